package io.ferry.controlplane.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;

/**
 * The {@code verify_reports} table: one row per verify of a job, {@code running} until its worker's
 * result arrives, then {@code match}, {@code mismatch} or {@code error} with the report as JSON.
 */
public final class VerifyStore {
  /** One verify; {@code report} is null while it runs. */
  public record Report(long id, String jobId, String state, Instant startedAt, Instant finishedAt, JsonObject report) {}

  private final Pool pool;

  public VerifyStore(Pool pool) {
    this.pool = pool;
  }

  /** Records a new running verify (inside the caller's transaction) and returns its id. */
  public Future<Long> start(SqlClient tx, String jobId) {
    return tx.preparedQuery("INSERT INTO verify_reports (job_id, state) VALUES (?, 'running')").execute(Tuple.of(jobId))
        .compose(v -> tx.query("SELECT LAST_INSERT_ID()").execute())
        .map(rows -> ((Number) rows.iterator().next().getValue(0)).longValue());
  }

  /** Records how a verify ended; a result for another job, or for a verify already ended, changes nothing. */
  public Future<Boolean> finish(long id, String jobId, String state, JsonObject report) {
    return pool.preparedQuery("UPDATE verify_reports SET state = ?, report = ?, finished_at = CURRENT_TIMESTAMP(6)"
            + " WHERE id = ? AND job_id = ? AND state = 'running'")
        .execute(Tuple.of(state, report.encode(), id, jobId)).map(rows -> rows.rowCount() == 1);
  }

  /**
   * Keeps a running verify's progress ({@code {"progress": {...}}} as its report until the result
   * replaces it); changes nothing once the verify has ended.
   */
  public Future<Boolean> progress(long id, String jobId, JsonObject progress) {
    return pool.preparedQuery("UPDATE verify_reports SET report = ? WHERE id = ? AND job_id = ? AND state = 'running'")
        .execute(Tuple.of(new JsonObject().put("progress", progress).encode(), id, jobId))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The job's latest verify, or null when none has run. */
  public Future<Report> latest(SqlClient client, String jobId) {
    return client.preparedQuery("SELECT id, job_id, state, UNIX_TIMESTAMP(started_at) AS started_s,"
            + " UNIX_TIMESTAMP(finished_at) AS finished_s, report FROM verify_reports WHERE job_id = ?"
            + " ORDER BY id DESC LIMIT 1")
        .execute(Tuple.of(jobId)).map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          String report = r.getString("report");
          return new Report(((Number) r.getValue("id")).longValue(), r.getString("job_id"), r.getString("state"),
              Sql.instant(r, "started_s"), Sql.instant(r, "finished_s"),
              report == null ? null : new JsonObject(report));
        });
  }
}
