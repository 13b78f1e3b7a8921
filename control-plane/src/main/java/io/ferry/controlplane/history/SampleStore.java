package io.ferry.controlplane.history;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The charts' buckets in the metadata DB ({@code job_samples}), so a restarted control plane keeps them. */
public final class SampleStore {
  /** One job's bucket as stored: the sample, when its last report came and the owner's epoch then. */
  record Saved(String jobId, Sample sample, long lastAt, long epoch) {}

  private final Pool pool;

  public SampleStore(Pool pool) {
    this.pool = pool;
  }

  /** Writes buckets, replacing what an earlier flush wrote of the same bucket. */
  Future<Void> save(List<Saved> rows) {
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = new ArrayList<>(rows.size());
    for (Saved r : rows) {
      Sample s = r.sample();
      batch.add(Tuple.of(r.jobId(), s.startMillis(), r.lastAt(), r.epoch(), s.lagSeconds(), s.rowsApplied(),
          s.rowsPerSecond(), s.eventsPerSecond()));
    }
    return pool.preparedQuery("REPLACE INTO job_samples (job_id, bucket_start, last_at, epoch, lag_seconds,"
        + " rows_applied, rows_per_second, events_per_second) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .executeBatch(batch).mapEmpty();
  }

  /** Every job's buckets from {@code sinceMillis} on, by job and then oldest first. */
  Future<List<Saved>> load(long sinceMillis) {
    return pool.preparedQuery("SELECT job_id, bucket_start, last_at, epoch, lag_seconds, rows_applied,"
        + " rows_per_second, events_per_second FROM job_samples WHERE bucket_start >= ? ORDER BY job_id, bucket_start")
        .execute(Tuple.of(sinceMillis)).map(rows -> {
          List<Saved> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new Saved(r.getString("job_id"), new Sample(number(r, "bucket_start"), decimal(r, "lag_seconds"),
                number(r, "rows_applied"), decimal(r, "rows_per_second"), decimal(r, "events_per_second")),
                number(r, "last_at"), number(r, "epoch")));
          }
          return out;
        });
  }

  /** Deletes the buckets that start before {@code millis} (deleted jobs' included). */
  Future<Void> deleteBefore(long millis) {
    return pool.preparedQuery("DELETE FROM job_samples WHERE bucket_start < ?").execute(Tuple.of(millis)).mapEmpty();
  }

  private static long number(Row r, String column) {
    return ((Number) r.getValue(column)).longValue();
  }

  private static Double decimal(Row r, String column) {
    Object v = r.getValue(column);
    return v == null ? null : ((Number) v).doubleValue();
  }
}
