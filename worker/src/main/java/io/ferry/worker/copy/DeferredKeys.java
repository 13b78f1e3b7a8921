package io.ferry.worker.copy;

import io.ferry.worker.jdbc.Jdbc;
import io.vertx.core.json.JsonArray;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The non-unique secondary keys of tables Ferry creates for an initial copy, left out of the table until
 * its copy is done and then added in one {@code ALTER TABLE}: the server builds each from sorted rows
 * instead of updating it for every chunk, in random order, as the rows arrive.
 *
 * <p>Only plain {@code KEY}s are deferred. The primary key and unique keys stay (the stream's upserts
 * rely on them), and so do full-text and spatial keys; a table with a foreign key is created whole
 * (InnoDB would create an index of its own for the constraint). The keys are recorded in the Ferry schema
 * on the destination, committed before the table is created without them, so a crash at any point leaves
 * a record of what is missing; adding them checks which already exist, so it can run again after a crash.
 */
public final class DeferredKeys {
  /** A {@code CREATE TABLE} without its deferrable keys, and those keys as {@code KEY …} clauses. */
  record Split(String createTable, List<String> keys) {}

  private final String schema;
  private final String jobId;
  private boolean ensured;

  public DeferredKeys(String schema, String jobId) {
    this.schema = schema;
    this.jobId = jobId;
  }

  /**
   * Splits the deferrable keys off a {@code SHOW CREATE TABLE} text; none when the table has a foreign
   * key or the text is not laid out as the server prints it (one column or key per line).
   */
  static Split split(String createTable) {
    String[] lines = createTable.split("\n", -1);
    int close = -1;
    for (int i = lines.length - 1; i > 0; i--) {
      if (lines[i].startsWith(")")) {
        close = i;
        break;
      }
    }
    if (close < 2 || !lines[0].endsWith("(")) {
      return new Split(createTable, List.of());
    }
    List<String> kept = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int i = 1; i < close; i++) {
      String line = lines[i];
      String item = line.endsWith(",") ? line.substring(0, line.length() - 1) : line;
      if (!item.startsWith("  ") || item.startsWith("   ")) {
        return new Split(createTable, List.of()); // a definition over several lines: leave the text alone
      }
      String trimmed = item.trim();
      if (trimmed.contains("FOREIGN KEY")) {
        return new Split(createTable, List.of());
      }
      if (trimmed.startsWith("KEY `")) {
        keys.add(trimmed);
      } else {
        kept.add(item);
      }
    }
    if (keys.isEmpty() || kept.isEmpty()) {
      return new Split(createTable, List.of());
    }
    StringBuilder out = new StringBuilder(lines[0]).append('\n');
    out.append(String.join(",\n", kept)).append('\n');
    for (int i = close; i < lines.length; i++) {
      out.append(lines[i]);
      if (i < lines.length - 1) {
        out.append('\n');
      }
    }
    return new Split(out.toString(), List.copyOf(keys));
  }

  /** The name of a {@code KEY `name` (…)} clause. */
  static String name(String key) {
    int start = key.indexOf('`') + 1;
    StringBuilder name = new StringBuilder();
    for (int i = start; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '`') {
        if (i + 1 < key.length() && key.charAt(i + 1) == '`') {
          name.append('`');
          i++;
          continue;
        }
        break;
      }
      name.append(c);
    }
    return name.toString();
  }

  /**
   * The {@code CREATE TABLE} to run for a table an initial copy will fill: without its deferrable keys,
   * which are recorded (and committed, with whatever {@code dest} has open) first. Returns the text as
   * it is when nothing can be deferred.
   */
  public String createWithoutKeys(Connection dest, String sourceDb, String table, String createTable)
      throws SQLException {
    Split split = split(createTable);
    if (split.keys().isEmpty()) {
      return createTable;
    }
    ensureTable(dest);
    try (PreparedStatement ps = dest.prepareStatement("REPLACE INTO " + table()
        + " (job_id, table_schema, table_name, key_clauses) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, jobId);
      ps.setString(2, sourceDb);
      ps.setString(3, table);
      ps.setString(4, new JsonArray(new ArrayList<>(split.keys())).encode());
      ps.executeUpdate();
    }
    if (!dest.getAutoCommit()) {
      dest.commit();
    }
    return split.createTable();
  }

  /** Creates the record's table; the Ferry schema itself is there already ({@code CheckpointStore.ensureTables}). */
  void ensureTable(Connection c) throws SQLException {
    if (ensured) {
      return;
    }
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + table() + " ("
          + " job_id VARCHAR(64) NOT NULL,"
          + " table_schema VARCHAR(64) NOT NULL,"
          + " table_name VARCHAR(64) NOT NULL,"
          + " key_clauses MEDIUMTEXT NOT NULL,"
          + " PRIMARY KEY (job_id, table_schema, table_name)"
          + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
    }
    ensured = true;
  }

  /** The keys still to add, by the source's {@code db.table}, in the order the tables were recorded. */
  Map<String, List<String>> load(Connection c) throws SQLException {
    ensureTable(c);
    Map<String, List<String>> out = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT table_schema, table_name, key_clauses FROM " + table()
        + " WHERE job_id = ?")) {
      ps.setString(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<String> keys = new ArrayList<>();
          for (Object o : new JsonArray(rs.getString(3))) {
            keys.add((String) o);
          }
          out.put(rs.getString(1) + "." + rs.getString(2), keys);
        }
      }
    }
    return out;
  }

  /** Records a table's new name (inside the caller's transaction). */
  void rename(Connection c, String fromDb, String fromTable, String toDb, String toTable) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + table() + " SET table_schema = ?, table_name = ?"
        + " WHERE job_id = ? AND table_schema = ? AND table_name = ?")) {
      ps.setString(1, toDb);
      ps.setString(2, toTable);
      ps.setString(3, jobId);
      ps.setString(4, fromDb);
      ps.setString(5, fromTable);
      ps.executeUpdate();
    }
  }

  /** Forgets a table's keys: added (inside the caller's transaction). */
  void added(Connection c, String sourceDb, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table()
        + " WHERE job_id = ? AND table_schema = ? AND table_name = ?")) {
      ps.setString(1, jobId);
      ps.setString(2, sourceDb);
      ps.setString(3, table);
      ps.executeUpdate();
    }
  }

  /**
   * The names of the keys a destination table has now (lower case: index names ignore case), or null
   * when the table does not exist. One lookup tells both (a table may have no key at all): the table's
   * row in TABLES comes as a NULL name. Each half names the table by constants rather than by a join:
   * that is the form in which the server reads only this table's metadata.
   */
  static List<String> existingKeys(Connection c, String db, String table) throws SQLException {
    List<String> names = new ArrayList<>();
    boolean exists = false;
    try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS"
        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
        + " UNION ALL SELECT NULL FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
      ps.setString(1, db);
      ps.setString(2, table);
      ps.setString(3, db);
      ps.setString(4, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          exists = true;
          if (rs.getString(1) != null) {
            names.add(rs.getString(1).toLowerCase(Locale.ROOT));
          }
        }
      }
    }
    return exists ? names : null;
  }

  private String table() {
    return Jdbc.quote(schema, "copy_deferred_keys");
  }
}
