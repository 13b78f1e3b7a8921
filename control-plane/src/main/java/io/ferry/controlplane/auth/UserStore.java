package io.ferry.controlplane.auth;

import io.ferry.controlplane.store.Sql;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The {@code users} table: people who sign in to the dashboard, their passwords hashed with Argon2id. */
public final class UserStore {
  private static final String COLUMNS = "id, tenant_id, name, role, UNIX_TIMESTAMP(created_at) AS created,"
      + " UNIX_TIMESTAMP(disabled_at) AS disabled";

  private final Pool pool;

  public UserStore(Pool pool) {
    this.pool = pool;
  }

  /** What sign-in needs of a person: never leaves this package's callers as JSON. */
  public record Account(String id, String tenantId, String name, Role role, String passwordHash, boolean disabled) {
    @Override
    public String toString() {
      return "Account[" + id + " " + name + ", " + role + "]";
    }
  }

  public Future<Account> byName(String name) {
    return pool.preparedQuery("SELECT id, tenant_id, name, role, password_hash, disabled_at FROM users WHERE name = ?")
        .execute(Tuple.of(name))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new Account(r.getString("id"), r.getString("tenant_id"), r.getString("name"),
              Role.parse(r.getString("role")), r.getString("password_hash"), r.getValue("disabled_at") != null);
        });
  }

  public Future<Void> insert(SqlClient client, String id, String tenantId, String name, Role role, String passwordHash) {
    return client.preparedQuery("INSERT INTO users (id, tenant_id, name, password_hash, role) VALUES (?, ?, ?, ?, ?)")
        .execute(Tuple.of(id, tenantId, name, passwordHash, role.wire())).mapEmpty();
  }

  /** Disables a person; false when there is no such enabled person. */
  public Future<Boolean> disable(SqlClient client, String id) {
    return client.preparedQuery("UPDATE users SET disabled_at = NOW(6) WHERE id = ? AND disabled_at IS NULL")
        .execute(Tuple.of(id)).map(r -> r.rowCount() == 1);
  }

  public Future<JsonObject> get(SqlClient client, String id) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE id = ?").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : json(rows.iterator().next()));
  }

  public Future<List<JsonObject>> list() {
    return pool.query("SELECT " + COLUMNS + " FROM users ORDER BY name").execute().map(rows -> {
      List<JsonObject> out = new ArrayList<>();
      rows.forEach(r -> out.add(json(r)));
      return out;
    });
  }

  private static JsonObject json(Row r) {
    return new JsonObject().put("id", r.getString("id")).put("name", r.getString("name"))
        .put("role", r.getString("role")).put("tenant", r.getString("tenant_id"))
        .put("createdAt", Sql.text(Sql.instant(r, "created")))
        .put("disabledAt", Sql.text(Sql.instant(r, "disabled")));
  }
}
