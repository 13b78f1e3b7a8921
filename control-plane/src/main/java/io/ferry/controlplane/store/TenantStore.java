package io.ferry.controlplane.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The {@code tenants} table. A tenant's id is its name (a slug), so bodies can name it readably. */
public final class TenantStore {
  private final Pool pool;

  public TenantStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Boolean> exists(SqlClient client, String id) {
    return client.preparedQuery("SELECT 1 FROM tenants WHERE id = ?").execute(Tuple.of(id)).map(rows -> rows.size() > 0);
  }

  public Future<Boolean> exists(String id) {
    return exists(pool, id);
  }

  public Future<Void> insert(SqlClient client, String id, String name) {
    return client.preparedQuery("INSERT INTO tenants (id, name) VALUES (?, ?)").execute(Tuple.of(id, name)).mapEmpty();
  }

  public Future<List<JsonObject>> list() {
    return pool.query("SELECT id, name, UNIX_TIMESTAMP(created_at) AS created FROM tenants ORDER BY id").execute()
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          rows.forEach(r -> out.add(new JsonObject().put("id", r.getString("id")).put("name", r.getString("name"))
              .put("createdAt", Sql.text(Sql.instant(r, "created")))));
          return out;
        });
  }
}
