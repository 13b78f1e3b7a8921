package io.ferry.controlplane.auth;

import io.ferry.controlplane.store.Sql;
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
 * The {@code api_tokens} table: API tokens and dashboard sessions (rows with a {@code user_id}). A
 * token is found by its prefix and accepted only when its hash matches, it is neither revoked nor
 * expired, and its person (if any) is not disabled.
 */
public final class TokenStore {
  private static final String COLUMNS = "t.id, t.name, t.role, t.tenant_id, t.user_id, t.token_prefix,"
      + " UNIX_TIMESTAMP(t.created_at) AS created, UNIX_TIMESTAMP(t.expires_at) AS expires,"
      + " UNIX_TIMESTAMP(t.revoked_at) AS revoked, u.name AS user_name";

  private final Pool pool;

  public TokenStore(Pool pool) {
    this.pool = pool;
  }

  /** A new token as its owner sees it once. */
  public record Issued(String id, String token, Instant expiresAt) {}

  /** The caller of a presented token, or null when it is unknown, revoked or expired. */
  public Future<Principal> authenticate(String token) {
    return pool.preparedQuery("SELECT t.token_hash, " + COLUMNS + " FROM api_tokens t"
            + " LEFT JOIN users u ON u.id = t.user_id"
            + " WHERE t.token_prefix = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > NOW(6))"
            + " AND (t.user_id IS NULL OR u.disabled_at IS NULL)")
        .execute(Tuple.of(Tokens.lookupPrefix(token)))
        .map(rows -> {
          Principal found = null;
          for (Row row : rows) {
            // every candidate is compared, so the time taken does not depend on which one matches
            if (Tokens.matches(token, row.getString("token_hash"))) {
              found = new Principal(row.getString("id"), row.getString("name"), Role.parse(row.getString("role")),
                  row.getString("tenant_id"), row.getString("user_id"), row.getString("user_name"));
            }
          }
          return found;
        });
  }

  /**
   * Stores a new token's hash. {@code ttlSeconds} null means it never expires; the expiry is computed by
   * the database so its clock alone decides.
   */
  public Future<Issued> create(SqlClient client, String token, String name, Role role, String tenantId, String userId,
      Long ttlSeconds) {
    String id = Sql.newId("tok");
    return client.preparedQuery("INSERT INTO api_tokens (id, tenant_id, user_id, name, role, token_prefix, token_hash,"
            + " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, IF(? IS NULL, NULL, NOW(6) + INTERVAL ? SECOND))")
        .execute(Tuple.from(new Object[] {id, tenantId, userId, name, role.wire(), Tokens.lookupPrefix(token),
            Tokens.hash(token), ttlSeconds, ttlSeconds}))
        .compose(r -> client.preparedQuery("SELECT UNIX_TIMESTAMP(expires_at) AS expires FROM api_tokens WHERE id = ?")
            .execute(Tuple.of(id)))
        .map(rows -> new Issued(id, token, Sql.instant(rows.iterator().next(), "expires")));
  }

  /** The id of the live token whose hash is {@code token}'s and whose name is {@code name}, or null. */
  public Future<String> findLive(SqlClient client, String token, String name) {
    return client.preparedQuery("SELECT id, token_hash FROM api_tokens WHERE token_prefix = ? AND name = ?"
            + " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > NOW(6))")
        .execute(Tuple.of(Tokens.lookupPrefix(token), name))
        .map(rows -> {
          String id = null;
          for (Row row : rows) {
            if (Tokens.matches(token, row.getString("token_hash"))) {
              id = row.getString("id");
            }
          }
          return id;
        });
  }

  /** Revokes every live token named {@code name} except {@code keepId}. */
  public Future<Integer> revokeOthers(SqlClient client, String name, String keepId) {
    return client.preparedQuery("UPDATE api_tokens SET revoked_at = NOW(6) WHERE name = ? AND id <> ?"
            + " AND user_id IS NULL AND revoked_at IS NULL")
        .execute(Tuple.of(name, keepId)).map(r -> r.rowCount());
  }

  /** Revokes one token; false when there is no such live token. */
  public Future<Boolean> revoke(SqlClient client, String id) {
    return client.preparedQuery("UPDATE api_tokens SET revoked_at = NOW(6) WHERE id = ? AND revoked_at IS NULL")
        .execute(Tuple.of(id)).map(r -> r.rowCount() == 1);
  }

  public Future<Integer> revokeSessionsOf(SqlClient client, String userId) {
    return client.preparedQuery("UPDATE api_tokens SET revoked_at = NOW(6) WHERE user_id = ? AND revoked_at IS NULL")
        .execute(Tuple.of(userId)).map(r -> r.rowCount());
  }

  /** One token (never its hash), or null. */
  public Future<JsonObject> get(String id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id"
            + " WHERE t.id = ?")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : json(rows.iterator().next()));
  }

  /** Every token, newest first; sessions included, so an admin can revoke them too. */
  public Future<List<JsonObject>> list() {
    return pool.query("SELECT " + COLUMNS + " FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id"
            + " ORDER BY t.created_at DESC, t.id").execute()
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          rows.forEach(row -> out.add(json(row)));
          return out;
        });
  }

  private static JsonObject json(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("name", row.getString("name"))
        .put("role", row.getString("role"))
        .put("tenant", row.getString("tenant_id"))
        .put("kind", row.getString("user_id") == null ? "api" : "session")
        .put("user", row.getString("user_name"))
        .put("prefix", row.getString("token_prefix"))
        .put("createdAt", Sql.text(Sql.instant(row, "created")))
        .put("expiresAt", Sql.text(Sql.instant(row, "expires")))
        .put("revokedAt", Sql.text(Sql.instant(row, "revoked")));
  }
}
