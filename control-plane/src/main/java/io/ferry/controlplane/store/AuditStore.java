package io.ferry.controlplane.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code audit_log} table. A change and its audit row are written in one transaction, so neither
 * exists without the other. {@code detail} is JSON built by the routes from allow-listed fields only:
 * no password, token or token hash ever reaches it.
 */
public final class AuditStore {
  private final Pool pool;

  public AuditStore(Pool pool) {
    this.pool = pool;
  }

  /** One audit row. {@code actorKind} is {@code token}, {@code user} or {@code system}. */
  public record Entry(String tenantId, String actor, String actorId, String actorKind, String action, String objectType,
      String objectId, String remoteAddr, JsonObject detail) {}

  public Future<Void> record(SqlClient client, Entry e) {
    return client.preparedQuery("INSERT INTO audit_log (tenant_id, actor, actor_id, actor_kind, action, object_type,"
            + " object_id, remote_addr, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .execute(Tuple.from(new Object[] {e.tenantId(), truncate(e.actor(), 200), e.actorId(), e.actorKind(), e.action(),
            e.objectType(), e.objectId(), truncate(e.remoteAddr(), 64), e.detail() == null ? null : e.detail().encode()}))
        .mapEmpty();
  }

  /**
   * The newest rows first: at most {@code limit}, with ids below {@code before} when given, of one
   * tenant when {@code tenantId} is given.
   */
  public Future<List<JsonObject>> list(String tenantId, Long before, int limit) {
    StringBuilder sql = new StringBuilder("SELECT id, UNIX_TIMESTAMP(at) AS at_s, tenant_id, actor, actor_id, actor_kind,"
        + " action, object_type, object_id, remote_addr, detail FROM audit_log WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (tenantId != null) {
      sql.append(" AND tenant_id = ?");
      args.add(tenantId);
    }
    if (before != null) {
      sql.append(" AND id < ?");
      args.add(before);
    }
    sql.append(" ORDER BY id DESC LIMIT ").append(limit);
    return pool.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(rows -> {
      List<JsonObject> out = new ArrayList<>();
      for (Row row : rows) {
        String detail = row.getString("detail");
        out.add(new JsonObject()
            .put("id", row.getLong("id"))
            .put("at", Sql.text(Sql.instant(row, "at_s")))
            .put("tenant", row.getString("tenant_id"))
            .put("actor", row.getString("actor"))
            .put("actorId", row.getString("actor_id"))
            .put("actorKind", row.getString("actor_kind"))
            .put("action", row.getString("action"))
            .put("objectType", row.getString("object_type"))
            .put("objectId", row.getString("object_id"))
            .put("remoteAddr", row.getString("remote_addr"))
            .put("detail", detail == null ? null : new JsonObject(detail)));
      }
      return out;
    });
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
