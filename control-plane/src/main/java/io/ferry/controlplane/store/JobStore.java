package io.ferry.controlplane.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The API's side of the {@code jobs} table (see the {@code fleet} package-info for the split with the
 * scheduler): the definition, {@code desired_state}, and {@code state} only where an API call decides
 * it. Reads join the {@code job_checkpoints} mirror.
 */
public final class JobStore {
  private static final String COLUMNS = "j.id, j.tenant_id, j.name, j.source_id, j.destination_id, j.spec,"
      + " j.desired_state, j.state, j.worker_id, j.epoch, j.error_code, j.error_message, j.error_remedy,"
      + " UNIX_TIMESTAMP(j.error_at) AS error_at_s, UNIX_TIMESTAMP(j.created_at) AS created,"
      + " UNIX_TIMESTAMP(j.updated_at) AS updated, c.binlog_file, c.binlog_pos, c.gtid_set, c.lag_seconds,"
      + " c.rows_applied, c.events_per_second";
  private static final String FROM = " FROM jobs j LEFT JOIN job_checkpoints c ON c.job_id = j.id";

  private final Pool pool;

  public JobStore(Pool pool) {
    this.pool = pool;
  }

  /** A job row with its mirrored checkpoint (null fields before the first checkpoint). */
  public record Job(String id, String tenantId, String name, String sourceId, String destinationId, JsonObject spec,
      String desiredState, String state, String workerId, long epoch, String errorCode, String errorMessage,
      String errorRemedy, Instant errorAt, Instant createdAt, Instant updatedAt, String binlogFile, Long binlogPos,
      String gtidSet, Double lagSeconds, Long rowsApplied, Double eventsPerSecond) {}

  public Future<Job> get(SqlClient client, String id, boolean forUpdate) {
    return client.preparedQuery("SELECT " + COLUMNS + FROM + " WHERE j.id = ?" + (forUpdate ? " FOR UPDATE" : ""))
        .execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? null : row(rows.iterator().next()));
  }

  /** Jobs of one tenant (or all when null), in one state when {@code state} is given, by name. */
  public Future<List<Job>> list(String tenantId, String state) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + FROM + " WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (tenantId != null) {
      sql.append(" AND j.tenant_id = ?");
      args.add(tenantId);
    }
    if (state != null) {
      sql.append(" AND j.state = ?");
      args.add(state);
    }
    sql.append(" ORDER BY j.tenant_id, j.name");
    return pool.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(rows -> {
      List<Job> out = new ArrayList<>();
      rows.forEach(r -> out.add(row(r)));
      return out;
    });
  }

  /**
   * Jobs whose row changed within the last {@code seconds} by the database's clock (the API's and the
   * scheduler's writes both touch {@code updated_at}), for the dashboard's live stream.
   */
  public Future<List<Job>> changedWithin(int seconds) {
    return pool.preparedQuery("SELECT " + COLUMNS + FROM + " WHERE j.updated_at >= NOW(6) - INTERVAL ? SECOND")
        .execute(Tuple.of(seconds)).map(rows -> {
          List<Job> out = new ArrayList<>();
          rows.forEach(r -> out.add(row(r)));
          return out;
        });
  }

  /** Every job's id and tenant, for filtering fleet views by tenant. */
  public Future<List<String[]>> tenants() {
    return pool.query("SELECT id, tenant_id FROM jobs").execute().map(rows -> {
      List<String[]> out = new ArrayList<>();
      rows.forEach(r -> out.add(new String[] {r.getString("id"), r.getString("tenant_id")}));
      return out;
    });
  }

  public Future<Void> insert(SqlClient client, String id, String tenantId, String name, String sourceId,
      String destinationId, JsonObject spec, String desiredState) {
    return client.preparedQuery("INSERT INTO jobs (id, tenant_id, name, source_id, destination_id, spec, desired_state,"
            + " state) VALUES (?, ?, ?, ?, ?, ?, ?, 'CREATED')")
        .execute(Tuple.from(new Object[] {id, tenantId, name, sourceId, destinationId, spec.encode(), desiredState}))
        .mapEmpty();
  }

  /**
   * Writes the operator's wish; {@code state} null leaves the state to the scheduler. A start or resume
   * clears the error, as the fleet package-info allows.
   */
  public Future<Void> change(SqlClient client, String id, String desiredState, String state, boolean clearError) {
    String sql = "UPDATE jobs SET desired_state = ?" + (state == null ? "" : ", state = ?")
        + (clearError ? ", error_code = NULL, error_message = NULL, error_remedy = NULL, error_at = NULL" : "")
        + " WHERE id = ?";
    Tuple args = state == null ? Tuple.of(desiredState, id) : Tuple.of(desiredState, state, id);
    return client.preparedQuery(sql).execute(args).mapEmpty();
  }

  public Future<Void> delete(SqlClient client, String id) {
    return client.preparedQuery("DELETE FROM jobs WHERE id = ?").execute(Tuple.of(id)).mapEmpty();
  }

  private static Job row(Row r) {
    Number pos = (Number) r.getValue("binlog_pos");
    Number rows = (Number) r.getValue("rows_applied");
    Number lag = (Number) r.getValue("lag_seconds");
    Number eps = (Number) r.getValue("events_per_second");
    Number epoch = (Number) r.getValue("epoch");
    return new Job(r.getString("id"), r.getString("tenant_id"), r.getString("name"), r.getString("source_id"),
        r.getString("destination_id"), new JsonObject(r.getString("spec")), r.getString("desired_state"),
        r.getString("state"), r.getString("worker_id"), epoch == null ? 0 : epoch.longValue(), r.getString("error_code"),
        r.getString("error_message"), r.getString("error_remedy"), Sql.instant(r, "error_at_s"),
        Sql.instant(r, "created"), Sql.instant(r, "updated"), r.getString("binlog_file"),
        pos == null ? null : pos.longValue(), r.getString("gtid_set"), lag == null ? null : lag.doubleValue(),
        rows == null ? null : rows.longValue(), eps == null ? null : eps.doubleValue());
  }
}
