package io.ferry.worker.copy;

import io.ferry.worker.jdbc.Jdbc;
import io.ferry.worker.position.BinlogPosition;
import io.vertx.core.json.JsonArray;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The initial copy's progress in the Ferry schema on the destination: one row per key range of a table
 * (a table that is not split has one range, the whole table), written in the same transaction as the
 * chunk it describes: after a crash each range goes on from its last committed chunk, never from zero
 * and never past a chunk that did not commit.
 */
final class CopyStore {
  /**
   * One range's progress: the keys after {@code lastKey} (from the start when null) up to and including
   * {@code end} (to the end of the table when null). A table copied whole ({@code whole}: it has no key)
   * has one range, and {@code snapshotAt} is the binlog position of the read that copied it.
   */
  static final class TableProgress {
    final int ordinal;
    String database;
    String table;
    final long rowsEstimate;
    List<String> lastKey;
    final List<String> end;
    final boolean whole;
    long rowsCopied;
    boolean done;
    BinlogPosition snapshotAt;

    TableProgress(int ordinal, String database, String table, long rowsEstimate, List<String> lastKey,
                  List<String> end, boolean whole, long rowsCopied, boolean done, BinlogPosition snapshotAt) {
      this.ordinal = ordinal;
      this.database = database;
      this.table = table;
      this.rowsEstimate = rowsEstimate;
      this.lastKey = lastKey;
      this.end = end;
      this.whole = whole;
      this.rowsCopied = rowsCopied;
      this.done = done;
      this.snapshotAt = snapshotAt;
    }

    TableProgress(int ordinal, String database, String table, long rowsEstimate, List<String> lastKey,
                  long rowsCopied, boolean done) {
      this(ordinal, database, table, rowsEstimate, lastKey, null, false, rowsCopied, done, null);
    }

    /** This progress as it is now (what a chunk in flight records). */
    TableProgress copy() {
      return new TableProgress(ordinal, database, table, rowsEstimate, lastKey == null ? null : List.copyOf(lastKey),
          end, whole, rowsCopied, done, snapshotAt);
    }

    String name() {
      return database + "." + table;
    }
  }

  /** Columns added after the first release, with their definitions (added to an older table). */
  private static final Map<String, String> ADDED = Map.of(
      "range_end", "MEDIUMTEXT NULL",
      "whole", "BOOLEAN NOT NULL DEFAULT FALSE",
      "snapshot_file", "VARCHAR(255) NULL",
      "snapshot_pos", "BIGINT NULL");

  private final String schema;
  private final String jobId;

  CopyStore(String schema, String jobId) {
    this.schema = schema;
    this.jobId = jobId;
  }

  void ensureTable(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + table() + " ("
          + " job_id VARCHAR(64) NOT NULL,"
          + " ordinal INT NOT NULL,"
          + " table_schema VARCHAR(64) NOT NULL,"
          + " table_name VARCHAR(64) NOT NULL,"
          + " rows_estimate BIGINT NOT NULL DEFAULT 0,"
          + " last_key MEDIUMTEXT NULL,"
          + " range_end MEDIUMTEXT NULL,"
          + " whole BOOLEAN NOT NULL DEFAULT FALSE,"
          + " rows_copied BIGINT NOT NULL DEFAULT 0,"
          + " done BOOLEAN NOT NULL DEFAULT FALSE,"
          + " snapshot_file VARCHAR(255) NULL,"
          + " snapshot_pos BIGINT NULL,"
          + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
          + " PRIMARY KEY (job_id, ordinal)"
          + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
    }
    List<String> have = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME FROM information_schema.COLUMNS"
        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'copy_state'")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          have.add(rs.getString(1).toLowerCase(java.util.Locale.ROOT));
        }
      }
    }
    for (Map.Entry<String, String> column : ADDED.entrySet()) {
      if (!have.contains(column.getKey())) { // a table an earlier version created
        try (Statement s = c.createStatement()) {
          s.execute("ALTER TABLE " + table() + " ADD COLUMN " + column.getKey() + " " + column.getValue());
        }
      }
    }
  }

  /** The job's ranges in copy order; empty when the job never copied. */
  List<TableProgress> load(Connection c) throws SQLException {
    List<TableProgress> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT ordinal, table_schema, table_name, rows_estimate,"
        + " last_key, range_end, whole, rows_copied, done, snapshot_file, snapshot_pos FROM " + table()
        + " WHERE job_id = ? ORDER BY ordinal")) {
      ps.setString(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          BinlogPosition at = rs.getString(10) == null ? null : new BinlogPosition(rs.getString(10), rs.getLong(11), "");
          out.add(new TableProgress(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getLong(4),
              key(rs.getString(5)), key(rs.getString(6)), rs.getBoolean(7), rs.getLong(8), rs.getBoolean(9), at));
        }
      }
    }
    return out;
  }

  private static List<String> key(String json) {
    if (json == null) {
      return null;
    }
    List<String> key = new ArrayList<>();
    for (Object o : new JsonArray(json)) {
      key.add((String) o);
    }
    return key;
  }

  private static String json(List<String> key) {
    return key == null ? null : new JsonArray(new ArrayList<>(key)).encode();
  }

  /** Records the ranges to copy (inside the caller's transaction). */
  void plan(Connection c, List<TableProgress> tables) throws SQLException {
    try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table() + " WHERE job_id = ?")) {
      del.setString(1, jobId);
      del.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table()
        + " (job_id, ordinal, table_schema, table_name, rows_estimate, last_key, range_end, whole)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (TableProgress t : tables) {
        ps.setString(1, jobId);
        ps.setInt(2, t.ordinal);
        ps.setString(3, t.database);
        ps.setString(4, t.table);
        ps.setLong(5, t.rowsEstimate);
        ps.setString(6, json(t.lastKey));
        ps.setString(7, json(t.end));
        ps.setBoolean(8, t.whole);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Records one range's progress (inside the caller's transaction). */
  void record(Connection c, TableProgress t) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + table() + " SET last_key = ?, rows_copied = ?,"
        + " done = ?, snapshot_file = ?, snapshot_pos = ? WHERE job_id = ? AND ordinal = ?")) {
      ps.setString(1, json(t.lastKey));
      ps.setLong(2, t.rowsCopied);
      ps.setBoolean(3, t.done);
      ps.setString(4, t.snapshotAt == null ? null : t.snapshotAt.file());
      if (t.snapshotAt == null) {
        ps.setNull(5, java.sql.Types.BIGINT);
      } else {
        ps.setLong(5, t.snapshotAt.position());
      }
      ps.setString(6, jobId);
      ps.setInt(7, t.ordinal);
      ps.executeUpdate();
    }
  }

  /** Records a range's new table name (inside the caller's transaction). */
  void rename(Connection c, TableProgress t) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + table() + " SET table_schema = ?, table_name = ?"
        + " WHERE job_id = ? AND ordinal = ?")) {
      ps.setString(1, t.database);
      ps.setString(2, t.table);
      ps.setString(3, jobId);
      ps.setInt(4, t.ordinal);
      ps.executeUpdate();
    }
  }

  private String table() {
    return Jdbc.quote(schema, "copy_state");
  }
}
