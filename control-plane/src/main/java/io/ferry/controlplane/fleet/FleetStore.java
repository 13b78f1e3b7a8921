package io.ferry.controlplane.fleet;

import io.ferry.protocol.model.ErrorInfo;
import io.ferry.protocol.model.JobState;
import io.ferry.protocol.model.WorkerState;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The scheduler's SQL on the metadata DB. Every write to a job names the epoch it expects, so a
 * decision taken on an old read (the API changed the job meanwhile, or a newer assignment happened)
 * changes nothing: the scheduler simply sees the new row at its next tick.
 */
final class FleetStore {
  /** A job row as the scheduler needs it. */
  record JobRow(String id, String tenantId, String sourceId, String destinationId, String desired,
      JobState state, String workerId, long epoch) {
    JobRow withState(JobState newState) {
      return new JobRow(id, tenantId, sourceId, destinationId, desired, newState, workerId, epoch);
    }

    JobRow ownedBy(String newWorker, long newEpoch) {
      return new JobRow(id, tenantId, sourceId, destinationId, desired, state, newWorker, newEpoch);
    }
  }

  /** A worker row. */
  record WorkerRow(String id, String host, WorkerState state, int capacity) {}

  /** A connection's fields, with its password still sealed; {@code ca} is its PEM CA certificate or null. */
  record ConnectionRow(String id, String host, int port, String user, byte[] passwordSealed, String tls, String ca) {}

  private final Pool pool;

  FleetStore(Pool pool) {
    this.pool = pool;
  }

  Future<List<JobRow>> jobs() {
    // Every tick reads every job: the definition (spec) is left out and read only when a job is placed.
    return pool.query("SELECT id, tenant_id, source_id, destination_id, desired_state, state, worker_id, epoch"
        + " FROM jobs").execute().map(rows -> {
          List<JobRow> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new JobRow(r.getString("id"), r.getString("tenant_id"), r.getString("source_id"),
                r.getString("destination_id"), r.getString("desired_state"),
                JobState.valueOf(r.getString("state")), r.getString("worker_id"), r.getLong("epoch")));
          }
          return out;
        });
  }

  Future<List<WorkerRow>> workers() {
    return pool.query("SELECT id, host, state, capacity FROM workers").execute().map(rows -> {
      List<WorkerRow> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new WorkerRow(r.getString("id"), r.getString("host"), WorkerState.valueOf(r.getString("state")),
            r.getInteger("capacity")));
      }
      return out;
    });
  }

  /** A job's stored definition (the API's JSON). */
  Future<String> spec(String jobId) {
    return pool.preparedQuery("SELECT spec FROM jobs WHERE id = ?").execute(Tuple.of(jobId)).map(rows -> {
      if (rows.size() == 0) {
        throw new IllegalStateException("job " + jobId + " no longer exists");
      }
      return rows.iterator().next().getString("spec");
    });
  }

  Future<ConnectionRow> connection(String id) {
    return pool.preparedQuery("SELECT id, host, port, user_name, password_enc, tls, ca_cert FROM connections"
        + " WHERE id = ?")
        .execute(Tuple.of(id)).map(rows -> {
          if (rows.size() == 0) {
            throw new IllegalStateException("connection " + id + " no longer exists");
          }
          Row r = rows.iterator().next();
          return new ConnectionRow(r.getString("id"), r.getString("host"), r.getInteger("port"),
              r.getString("user_name"), r.getBuffer("password_enc").getBytes(), r.getString("tls"),
              r.getString("ca_cert"));
        });
  }

  Future<Void> registerWorker(String id, String host, int capacity, int protocolVersion, Instant startedAt) {
    return pool.preparedQuery("INSERT INTO workers (id, host, state, capacity, protocol_version, started_at, last_heartbeat)"
        + " VALUES (?, ?, 'UP', ?, ?, ?, CURRENT_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE host = VALUES(host),"
        + " state = 'UP', capacity = VALUES(capacity), protocol_version = VALUES(protocol_version),"
        + " started_at = VALUES(started_at), last_heartbeat = VALUES(last_heartbeat)")
        .execute(Tuple.of(id, host, capacity, protocolVersion, LocalDateTime.ofInstant(startedAt, ZoneOffset.UTC)))
        .mapEmpty();
  }

  Future<Void> workerState(String id, WorkerState state) {
    return pool.preparedQuery("UPDATE workers SET state = ? WHERE id = ?").execute(Tuple.of(state.name(), id)).mapEmpty();
  }

  /** Records that these workers were heard from (one batch; the exact time lives in memory). */
  Future<Void> touchWorkers(Collection<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = ids.stream().map(Tuple::of).toList();
    return pool.preparedQuery("UPDATE workers SET last_heartbeat = CURRENT_TIMESTAMP(6) WHERE id = ?")
        .executeBatch(batch).mapEmpty();
  }

  /**
   * Gives the job to {@code workerId} with the next epoch if nobody changed it since {@code epoch} was
   * read. Returns whether it did. The job is STARTING until the new owner reports it running, so
   * nobody reads RUNNING for a job whose new owner has not yet claimed it at the destination.
   */
  Future<Boolean> claim(String jobId, long epoch, String workerId) {
    return pool.preparedQuery("UPDATE jobs SET epoch = epoch + 1, worker_id = ?, state = 'STARTING'"
        + " WHERE id = ? AND epoch = ?")
        .execute(Tuple.of(workerId, jobId, epoch)).map(rows -> rows.rowCount() == 1);
  }

  /** Takes the job off its worker, optionally setting its state; only while the epoch is still {@code epoch}. */
  Future<Boolean> release(String jobId, long epoch, JobState state) {
    return pool.preparedQuery("UPDATE jobs SET worker_id = NULL, state = COALESCE(?, state) WHERE id = ? AND epoch = ?")
        .execute(Tuple.of(state == null ? null : state.name(), jobId, epoch)).map(rows -> rows.rowCount() == 1);
  }

  /**
   * The state its owner reports. Only the current owner's report lands: after a release or a newer
   * assignment the row no longer matches (worker and epoch), so a late heartbeat cannot undo a pause.
   */
  Future<Void> reportState(String jobId, long epoch, String workerId, JobState state, ErrorInfo error) {
    return pool.preparedQuery("UPDATE jobs SET state = ?, error_code = ?, error_message = ?, error_remedy = ?,"
        + " error_at = ? WHERE id = ? AND epoch = ? AND worker_id = ?")
        .execute(Tuple.tuple(errorColumns(state, error)).addString(jobId).addLong(epoch).addString(workerId))
        .mapEmpty();
  }

  /** A job that cannot be assigned at all (for example its stored password cannot be decrypted). */
  Future<Void> fail(String jobId, long epoch, ErrorInfo error) {
    return pool.preparedQuery("UPDATE jobs SET state = ?, error_code = ?, error_message = ?, error_remedy = ?,"
        + " error_at = ? WHERE id = ? AND epoch = ?")
        .execute(Tuple.tuple(errorColumns(JobState.ERROR, error)).addString(jobId).addLong(epoch)).mapEmpty();
  }

  private static List<Object> errorColumns(JobState state, ErrorInfo error) {
    List<Object> values = new ArrayList<>();
    values.add(state.name());
    values.add(error == null ? null : error.code());
    values.add(error == null ? null : error.message());
    values.add(error == null ? null : error.remedy());
    values.add(error == null ? null : LocalDateTime.ofInstant(error.at(), ZoneOffset.UTC));
    return values;
  }

  Future<Void> event(String jobId, String kind, long epoch, String detail) {
    return pool.preparedQuery("INSERT INTO job_events (job_id, kind, epoch, detail) VALUES (?, ?, ?, ?)")
        .execute(Tuple.of(jobId, kind, epoch, detail)).mapEmpty();
  }

  /**
   * Mirrors positions in one batch. A row whose stored epoch is newer keeps its values: an update from
   * a fenced owner is refused by the database itself, whatever order the messages arrive in.
   */
  Future<Void> mirror(Collection<JobLive> jobs) {
    if (jobs.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = new ArrayList<>();
    for (JobLive j : jobs) {
      batch.add(Tuple.of(j.jobId(), j.epoch(), j.position().file(), j.position().offset(), j.position().gtidSet(),
          j.lagSeconds() == null ? null : j.lagSeconds().doubleValue(), j.rowsApplied(), j.eventsPerSecond()));
    }
    String keep = "IF(VALUES(epoch) >= epoch, VALUES(%1$s), %1$s)";
    return pool.preparedQuery("INSERT INTO job_checkpoints (job_id, epoch, binlog_file, binlog_pos, gtid_set,"
        + " lag_seconds, rows_applied, events_per_second) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
        + String.join(", ", List.of("binlog_file", "binlog_pos", "gtid_set", "lag_seconds", "rows_applied",
            "events_per_second").stream().map(c -> c + " = " + String.format(keep, c)).toList())
        + ", epoch = GREATEST(epoch, VALUES(epoch))").executeBatch(batch).mapEmpty();
  }
}
