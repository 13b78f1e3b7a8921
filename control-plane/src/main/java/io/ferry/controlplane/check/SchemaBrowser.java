package io.ferry.controlplane.check;

import io.ferry.controlplane.store.ConnectionStore.Connection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Lists a stored connection's databases and base tables (with whether each has a primary key and its
 * estimated rows) for the job wizard, through the same fixed driver options and timeouts as
 * {@link ConnectionCheck}. Blocking: runs on the check threads, never an event loop. System schemas and
 * Ferry's own are left out; at most {@value #MAX_TABLES} tables are listed.
 */
public final class SchemaBrowser {
  public static final int MAX_TABLES = 10_000;
  private static final Set<String> HIDDEN = Set.of("mysql", "information_schema", "performance_schema", "sys", "_ferry");

  private final Set<Integer> ownPorts;

  /** @param ownPorts the ports this control plane listens on, which no connection may name */
  public SchemaBrowser(Set<Integer> ownPorts) {
    this.ownPorts = ownPorts;
  }

  /**
   * {@code {"ok":true,"databases":[{"name","tables":[{"name","primaryKey","copyKey","rows"}]}],"truncated"}}
   * ({@code copyKey}: a primary key or a unique key of NOT NULL columns, which the initial copy and verify
   * need to take a table by key ranges), or
   * {@code {"ok":false,"problems":[...],"databases":[]}} when the server cannot be read.
   */
  public JsonObject list(Connection c, String password) {
    String who = "connection " + c.describe();
    JsonObject refused = ConnectionCheck.refusedTarget(c, "SOURCE", who, ownPorts);
    if (refused != null) {
      return failed(refused);
    }
    try (java.sql.Connection conn = new com.mysql.cj.jdbc.Driver().connect(ConnectionCheck.url(c),
        ConnectionCheck.properties(c, password))) {
      conn.setReadOnly(true);
      Map<String, JsonArray> databases = new LinkedHashMap<>();
      try (ResultSet rs = conn.createStatement().executeQuery(
          "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME")) {
        while (rs.next()) {
          if (!HIDDEN.contains(rs.getString(1).toLowerCase(java.util.Locale.ROOT))) {
            databases.put(rs.getString(1), new JsonArray());
          }
        }
      }
      boolean truncated = tables(conn, databases);
      JsonArray out = new JsonArray();
      databases.forEach((name, tables) -> out.add(new JsonObject().put("name", name).put("tables", tables)));
      return new JsonObject().put("ok", true).put("databases", out).put("truncated", truncated);
    } catch (SQLException e) {
      return failed(ConnectionCheck.connectFailure(e, "SOURCE", who, c));
    } catch (IOException | GeneralSecurityException e) {
      return failed(ConnectionCheck.problem("SOURCE_TLS", who + ": the connection's CA certificate cannot be used",
          "Replace the connection's ca with the PEM certificate of the CA that signed the server's certificate."));
    }
  }

  /** Adds each visible base table to its database; true when there were more than {@link #MAX_TABLES}. */
  private static boolean tables(java.sql.Connection conn, Map<String, JsonArray> databases) throws SQLException {
    String hidden = String.join(", ", HIDDEN.stream().map(h -> "'" + h + "'").toList());
    Set<String> keyed = new HashSet<>();
    Set<String> copyKeyed = new HashSet<>();
    // every unique index, and whether any of its columns may be NULL (STATISTICS.NULLABLE is 'YES' then)
    try (ResultSet rs = conn.createStatement().executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME,"
        + " MAX(NULLABLE = 'YES') FROM information_schema.STATISTICS WHERE NON_UNIQUE = 0 AND TABLE_SCHEMA NOT IN ("
        + hidden + ") GROUP BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME")) {
      while (rs.next()) {
        String table = rs.getString(1) + "." + rs.getString(2);
        if ("PRIMARY".equals(rs.getString(3))) {
          keyed.add(table);
        }
        if (rs.getInt(4) == 0) {
          copyKeyed.add(table);
        }
      }
    }
    String sql = "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE'"
        + " AND TABLE_SCHEMA NOT IN (" + hidden + ") ORDER BY TABLE_SCHEMA, TABLE_NAME LIMIT ?";
    int count = 0;
    try (PreparedStatement p = conn.prepareStatement(sql)) {
      p.setInt(1, MAX_TABLES + 1);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          JsonArray tables = databases.get(rs.getString(1));
          if (tables == null) {
            continue;
          }
          if (++count > MAX_TABLES) {
            return true;
          }
          long rows = rs.getLong(3);
          String table = rs.getString(1) + "." + rs.getString(2);
          tables.add(new JsonObject().put("name", rs.getString(2)).put("primaryKey", keyed.contains(table))
              .put("copyKey", copyKeyed.contains(table)).put("rows", rs.wasNull() ? null : rows));
        }
      }
    }
    return false;
  }

  private static JsonObject failed(JsonObject problem) {
    return new JsonObject().put("ok", false).put("problems", new JsonArray().add(problem))
        .put("databases", new JsonArray()).put("truncated", false);
  }
}
