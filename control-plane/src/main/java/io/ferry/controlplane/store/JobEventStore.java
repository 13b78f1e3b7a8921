package io.ferry.controlplane.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A job's history as the dashboard shows it: the scheduler's {@code job_events} (assignments, state
 * changes, errors) merged with the audit trail's rows about the job (who created, paused, verified it).
 * The audit part keeps only the action, the actor's name and the allow-listed detail: no remote address.
 */
public final class JobEventStore {
  private final Pool pool;

  public JobEventStore(Pool pool) {
    this.pool = pool;
  }

  /** At most {@code limit} entries, newest first. */
  public Future<List<JsonObject>> list(String jobId, int limit) {
    Future<List<JsonObject>> scheduler = pool.preparedQuery("SELECT id, UNIX_TIMESTAMP(at) AS at_s, kind, epoch, detail"
            + " FROM job_events WHERE job_id = ? ORDER BY id DESC LIMIT " + limit)
        .execute(Tuple.of(jobId)).map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row r : rows) {
            Number epoch = (Number) r.getValue("epoch");
            out.add(new JsonObject().put("at", Sql.text(Sql.instant(r, "at_s"))).put("source", "scheduler")
                .put("kind", r.getString("kind")).put("epoch", epoch == null ? null : epoch.longValue())
                .put("detail", r.getString("detail")));
          }
          return out;
        });
    Future<List<JsonObject>> audit = pool.preparedQuery("SELECT UNIX_TIMESTAMP(at) AS at_s, actor, action, detail"
            + " FROM audit_log WHERE object_type = 'job' AND object_id = ? ORDER BY id DESC LIMIT " + limit)
        .execute(Tuple.of(jobId)).map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row r : rows) {
            String detail = r.getString("detail");
            out.add(new JsonObject().put("at", Sql.text(Sql.instant(r, "at_s"))).put("source", "audit")
                .put("kind", r.getString("action")).put("actor", r.getString("actor"))
                .put("detail", detail == null ? null : new JsonObject(detail)));
          }
          return out;
        });
    return Future.all(scheduler, audit).map(all -> {
      List<JsonObject> merged = new ArrayList<>(scheduler.result());
      merged.addAll(audit.result());
      merged.sort(Comparator.comparing((JsonObject e) -> Instant.parse(e.getString("at"))).reversed());
      return merged.size() > limit ? merged.subList(0, limit) : merged;
    });
  }
}
