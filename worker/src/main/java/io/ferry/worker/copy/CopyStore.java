package io.ferry.worker.copy;

import io.ferry.worker.jdbc.Jdbc;
import io.vertx.core.json.JsonArray;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The initial copy's progress, one row per table in the Ferry schema on the destination, written in
 * the same transaction as the chunk it describes and the checkpoint: after a crash the copy goes on
 * from the last committed chunk, never from zero and never past a chunk that did not commit.
 */
final class CopyStore {
  /** One table's progress; {@code lastKey} is null before its first chunk. */
  static final class TableProgress {
    final int ordinal;
    String database;
    String table;
    final long rowsEstimate;
    List<String> lastKey;
    long rowsCopied;
    boolean done;

    TableProgress(int ordinal, String database, String table, long rowsEstimate, List<String> lastKey,
                  long rowsCopied, boolean done) {
      this.ordinal = ordinal;
      this.database = database;
      this.table = table;
      this.rowsEstimate = rowsEstimate;
      this.lastKey = lastKey;
      this.rowsCopied = rowsCopied;
      this.done = done;
    }

    /** This progress as it is now (what a chunk in flight records). */
    TableProgress copy() {
      return new TableProgress(ordinal, database, table, rowsEstimate, lastKey == null ? null : List.copyOf(lastKey),
          rowsCopied, done);
    }
  }

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
          + " rows_copied BIGINT NOT NULL DEFAULT 0,"
          + " done BOOLEAN NOT NULL DEFAULT FALSE,"
          + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
          + " PRIMARY KEY (job_id, ordinal)"
          + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
    }
  }

  /** The job's tables in copy order; empty when the job never copied. */
  List<TableProgress> load(Connection c) throws SQLException {
    List<TableProgress> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT ordinal, table_schema, table_name, rows_estimate,"
        + " last_key, rows_copied, done FROM " + table() + " WHERE job_id = ? ORDER BY ordinal")) {
      ps.setString(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<String> key = null;
          if (rs.getString(5) != null) {
            key = new ArrayList<>();
            for (Object o : new JsonArray(rs.getString(5))) {
              key.add((String) o);
            }
          }
          out.add(new TableProgress(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getLong(4), key,
              rs.getLong(6), rs.getBoolean(7)));
        }
      }
    }
    return out;
  }

  /** Records the tables to copy (inside the caller's transaction). */
  void plan(Connection c, List<TableProgress> tables) throws SQLException {
    try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table() + " WHERE job_id = ?")) {
      del.setString(1, jobId);
      del.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table()
        + " (job_id, ordinal, table_schema, table_name, rows_estimate) VALUES (?, ?, ?, ?, ?)")) {
      for (TableProgress t : tables) {
        ps.setString(1, jobId);
        ps.setInt(2, t.ordinal);
        ps.setString(3, t.database);
        ps.setString(4, t.table);
        ps.setLong(5, t.rowsEstimate);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Records one table's progress (inside the caller's transaction). */
  void record(Connection c, TableProgress t) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + table() + " SET last_key = ?, rows_copied = ?,"
        + " done = ? WHERE job_id = ? AND ordinal = ?")) {
      ps.setString(1, t.lastKey == null ? null : new JsonArray(new ArrayList<>(t.lastKey)).encode());
      ps.setLong(2, t.rowsCopied);
      ps.setBoolean(3, t.done);
      ps.setString(4, jobId);
      ps.setInt(5, t.ordinal);
      ps.executeUpdate();
    }
  }

  /** Records a table's new name (inside the caller's transaction). */
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
