package io.ferry.controlplane.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code connections} table. The password is only ever held sealed ({@code password_enc}, see
 * {@code secrets.SecretBox}); {@link Connection#json()} never includes it.
 */
public final class ConnectionStore {
  private static final String COLUMNS = "id, tenant_id, name, host, port, user_name, password_enc, tls, ca_cert,"
      + " UNIX_TIMESTAMP(created_at) AS created, UNIX_TIMESTAMP(updated_at) AS updated";

  private final Pool pool;

  public ConnectionStore(Pool pool) {
    this.pool = pool;
  }

  /** One connection row; {@code passwordSealed} is the AES-GCM box, bound to {@code id}. */
  public record Connection(String id, String tenantId, String name, String host, int port, String user, String tls,
      String ca, byte[] passwordSealed, Instant createdAt, Instant updatedAt) {

    public JsonObject json() {
      return new JsonObject()
          .put("id", id).put("tenant", tenantId).put("name", name).put("host", host).put("port", port)
          .put("user", user).put("tls", tls).put("ca", ca).put("passwordSet", passwordSealed != null)
          .put("createdAt", Sql.text(createdAt)).put("updatedAt", Sql.text(updatedAt));
    }

    /** {@code user@host:port}, the way messages name a server. */
    public String describe() {
      return user + "@" + host + ":" + port;
    }

    @Override
    public String toString() {
      return "Connection[" + id + " " + describe() + ", tls=" + tls + "]";
    }
  }

  public Future<Connection> get(SqlClient client, String id) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM connections WHERE id = ?").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : row(rows.iterator().next()));
  }

  public Future<Connection> get(String id) {
    return get(pool, id);
  }

  /** The connections of one tenant, or of all when {@code tenantId} is null, by name. */
  public Future<List<Connection>> list(String tenantId) {
    String sql = "SELECT " + COLUMNS + " FROM connections" + (tenantId == null ? "" : " WHERE tenant_id = ?")
        + " ORDER BY tenant_id, name";
    return pool.preparedQuery(sql).execute(tenantId == null ? Tuple.tuple() : Tuple.of(tenantId)).map(rows -> {
      List<Connection> out = new ArrayList<>();
      rows.forEach(r -> out.add(row(r)));
      return out;
    });
  }

  public Future<Void> insert(SqlClient client, Connection c) {
    return client.preparedQuery("INSERT INTO connections (id, tenant_id, name, host, port, user_name, password_enc, tls,"
            + " ca_cert) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .execute(Tuple.from(new Object[] {c.id(), c.tenantId(), c.name(), c.host(), c.port(), c.user(),
            Buffer.buffer(c.passwordSealed()), c.tls(), c.ca()}))
        .mapEmpty();
  }

  /** Replaces the fields; the sealed password too unless {@code c.passwordSealed()} is null. */
  public Future<Void> update(SqlClient client, Connection c) {
    if (c.passwordSealed() == null) {
      return client.preparedQuery("UPDATE connections SET name = ?, host = ?, port = ?, user_name = ?, tls = ?,"
              + " ca_cert = ? WHERE id = ?")
          .execute(Tuple.from(new Object[] {c.name(), c.host(), c.port(), c.user(), c.tls(), c.ca(), c.id()}))
          .mapEmpty();
    }
    return client.preparedQuery("UPDATE connections SET name = ?, host = ?, port = ?, user_name = ?, tls = ?,"
            + " ca_cert = ?, password_enc = ? WHERE id = ?")
        .execute(Tuple.from(new Object[] {c.name(), c.host(), c.port(), c.user(), c.tls(), c.ca(),
            Buffer.buffer(c.passwordSealed()), c.id()}))
        .mapEmpty();
  }

  public Future<Void> delete(SqlClient client, String id) {
    return client.preparedQuery("DELETE FROM connections WHERE id = ?").execute(Tuple.of(id)).mapEmpty();
  }

  /** Ids of the jobs that use the connection as source or destination. */
  public Future<List<String>> jobsUsing(SqlClient client, String id) {
    return client.preparedQuery("SELECT id FROM jobs WHERE source_id = ? OR destination_id = ? ORDER BY id FOR UPDATE")
        .execute(Tuple.of(id, id)).map(rows -> {
          List<String> out = new ArrayList<>();
          rows.forEach(r -> out.add(r.getString("id")));
          return out;
        });
  }

  private static Connection row(Row r) {
    Buffer sealed = r.getBuffer("password_enc");
    return new Connection(r.getString("id"), r.getString("tenant_id"), r.getString("name"), r.getString("host"),
        r.getInteger("port"), r.getString("user_name"), r.getString("tls"), r.getString("ca_cert"),
        sealed == null ? null : sealed.getBytes(), Sql.instant(r, "created"), Sql.instant(r, "updated"));
  }
}
