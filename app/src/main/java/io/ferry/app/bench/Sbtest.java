package io.ferry.app.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * sysbench's {@code oltp_*} schema ({@code sbtest.sbtest1..N}) and its deterministic initial rows: the same seed
 * gives the same rows on every server, so the copies are loaded without going through replication.
 */
final class Sbtest {
  static final String DATABASE = "sbtest";
  private static final int BATCH = 1_000;

  private Sbtest() {}

  static String table(int n) {
    return DATABASE + ".sbtest" + n;
  }

  /**
   * Creates the schema and loads {@code rows} rows into each of {@code tables} tables, in one transaction per
   * table, with {@code sql_log_bin=0}: the load is set-up, not part of the measured backlog.
   */
  static void createAndLoad(Connection c, int tables, int rows, long seed) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET SESSION sql_log_bin = 0");
      s.execute("CREATE DATABASE IF NOT EXISTS " + DATABASE + " CHARACTER SET utf8mb4");
      for (int t = 1; t <= tables; t++) {
        s.execute("CREATE TABLE " + table(t) + " (id INT NOT NULL AUTO_INCREMENT, k INT NOT NULL DEFAULT 0,"
            + " c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '', PRIMARY KEY (id), KEY k_1 (k))"
            + " ENGINE=InnoDB");
      }
    }
    c.setAutoCommit(false);
    for (int t = 1; t <= tables; t++) {
      Random random = new Random(seed * 1_000 + t);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table(t) + " (id, k, c, pad) VALUES (?,?,?,?)")) {
        for (int id = 1; id <= rows; id++) {
          ps.setInt(1, id);
          ps.setInt(2, 1 + random.nextInt(rows));
          ps.setString(3, digits(random, 10));
          ps.setString(4, digits(random, 5));
          ps.addBatch();
          if (id % BATCH == 0 || id == rows) {
            ps.executeBatch();
          }
        }
      }
      c.commit();
    }
    c.setAutoCommit(true);
  }

  /** sysbench's string shape: {@code groups} groups of 11 digits joined by '-' (c: 10 groups = 119 chars, pad: 5 = 59). */
  static String digits(Random random, int groups) {
    StringBuilder b = new StringBuilder(groups * 12);
    for (int g = 0; g < groups; g++) {
      if (g > 0) {
        b.append('-');
      }
      for (int i = 0; i < 11; i++) {
        b.append((char) ('0' + random.nextInt(10)));
      }
    }
    return b.toString();
  }

  /** The heartbeat table of the live phase: one row whose {@code ts} the source sets to the bench's clock. */
  static final String HEARTBEAT = DATABASE + ".heartbeat";
  /** The table the single huge transaction updates. */
  static final String HUGE = DATABASE + ".huge";

  /** Creates the heartbeat table with its one row, not replicated ({@code sql_log_bin=0}). */
  static void createHeartbeat(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET SESSION sql_log_bin = 0");
      s.execute("CREATE TABLE " + HEARTBEAT + " (id INT NOT NULL PRIMARY KEY, ts BIGINT NOT NULL) ENGINE=InnoDB");
      s.execute("INSERT INTO " + HEARTBEAT + " VALUES (1, 0)");
      s.execute("SET SESSION sql_log_bin = 1");
    }
  }

  /**
   * Creates {@link #HUGE} (the sbtest shape) with {@code rows} deterministic rows, not replicated, in one
   * {@code INSERT … SELECT} from MariaDB's sequence engine.
   */
  static void createAndLoadHuge(Connection c, int rows) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET SESSION sql_log_bin = 0");
      s.execute("CREATE TABLE " + HUGE + " (id INT NOT NULL AUTO_INCREMENT, k INT NOT NULL DEFAULT 0,"
          + " c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '', PRIMARY KEY (id), KEY k_1 (k))"
          + " ENGINE=InnoDB");
      s.execute("INSERT INTO " + HUGE + " (id, k, c, pad) SELECT seq, 1 + (seq * 7919) % " + rows + ","
          + " CONCAT(MD5(seq), MD5(seq + 1), MD5(seq + 2)), MD5(-seq) FROM " + DATABASE + ".seq_1_to_" + rows);
      s.execute("SET SESSION sql_log_bin = 1");
    }
  }

  /** {@code CHECKSUM TABLE} and {@code COUNT(*)} of every table, e.g. {@code "sbtest1 rows=50000 checksum=123"}. */
  static List<String> fingerprints(Connection c, int tables) throws SQLException {
    List<String> names = new ArrayList<>();
    for (int t = 1; t <= tables; t++) {
      names.add(table(t));
    }
    return fingerprints(c, names);
  }

  /** {@code CHECKSUM TABLE} and {@code COUNT(*)} of the named tables ({@code db.table}). */
  static List<String> fingerprints(Connection c, List<String> tables) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement()) {
      for (String t : tables) {
        long rows;
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + t)) {
          rs.next();
          rows = rs.getLong(1);
        }
        String checksum;
        try (ResultSet rs = s.executeQuery("CHECKSUM TABLE " + t)) {
          rs.next();
          checksum = rs.getString(2);
        }
        out.add(t.substring(t.indexOf('.') + 1) + " rows=" + rows + " checksum=" + checksum);
      }
    }
    return out;
  }
}
