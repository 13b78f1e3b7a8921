package io.ferry.app.bench;

import io.ferry.mariadb.MariaDbServer;
import io.ferry.mariadb.check.WriteLoad;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The tables of {@code ferry bench copy}: mixed types, a secondary index, rows filled by the server. */
final class CopyBenchTables {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");

  private CopyBenchTables() {}

  static void create(MariaDbServer source, int tables, int rows) {
    List<String> sql = new ArrayList<>();
    sql.add("CREATE DATABASE " + CopyBenchCommand.DB + " CHARACTER SET utf8mb4");
    long perTable = rows / tables;
    for (int t = 1; t <= tables; t++) {
      String name = table(t);
      long n = t == tables ? rows - perTable * (tables - 1) : perTable;
      sql.add("CREATE TABLE " + name + " (id BIGINT NOT NULL PRIMARY KEY, k INT NOT NULL, name VARCHAR(64),"
          + " price DECIMAL(12,2), created DATETIME(6), flag TINYINT, note TEXT, code VARBINARY(32), KEY (k))");
      sql.add("INSERT INTO " + name + " SELECT seq, seq % 10007, CONCAT('name ', seq, ' ✓'), seq / 100,"
          + " '2026-01-01 00:00:00' + INTERVAL seq SECOND, seq % 3, IF(seq % 5 = 0, NULL, REPEAT('n', seq % 90)),"
          + " UNHEX(MD5(seq)) FROM " + CopyBenchCommand.DB + ".seq_1_to_" + n);
    }
    source.execute(sql.toArray(String[]::new));
  }

  /**
   * The write load of {@code ferry bench copy}: at {@code rate} transactions/s (0: none), one transaction that
   * updates a random row, inserts a new one (ids above {@code firstId}) and deletes another, on a random table.
   */
  /** Creates {@code db} on the destination with the source's tables, every index included. */
  static void createLike(MariaDbServer source, MariaDbServer destination, String db, int tables) throws SQLException {
    List<String> sql = new ArrayList<>();
    sql.add("CREATE DATABASE " + db + " CHARACTER SET utf8mb4");
    try (Connection c = source.rootConnection(); java.sql.Statement s = c.createStatement()) {
      for (int t = 1; t <= tables; t++) {
        try (java.sql.ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + table(t))) {
          rs.next();
          sql.add("CREATE TABLE " + db + "." + rs.getString(2).substring("CREATE TABLE ".length()));
        }
      }
    }
    destination.execute(sql.toArray(String[]::new));
  }

  static WriteLoad load(MariaDbServer source, int tables, int rows, int rate, long firstId) {
    return new WriteLoad(source, rate, 7, firstId, "copy-bench-load", (s, random, id) -> {
      String t = table(1 + random.nextInt(tables));
      s.executeUpdate("UPDATE " + t + " SET k = k + 1, name = CONCAT('upd ', k) WHERE id = "
          + (1 + random.nextInt(rows / tables)));
      s.executeUpdate("INSERT INTO " + t + " VALUES (" + id + ", 1, 'new', 1.5, NOW(6), 1, 'x', NULL)");
      s.executeUpdate("DELETE FROM " + t + " WHERE id = " + (1 + random.nextInt(rows / tables)));
    });
  }

  static String table(int t) {
    return CopyBenchCommand.DB + ".t" + t;
  }

  /** Data and index size of the bench tables on the source, in MB. */
  static double megabytes(MariaDbServer source) throws SQLException {
    try (Connection c = source.rootConnection(); Statement s = c.createStatement()) {
      s.execute("ANALYZE TABLE " + String.join(", ", names(source)));
      try (ResultSet rs = s.executeQuery("SELECT SUM(DATA_LENGTH) FROM information_schema.TABLES"
          + " WHERE TABLE_SCHEMA = '" + CopyBenchCommand.DB + "'")) {
        rs.next();
        return rs.getLong(1) / 1e6;
      }
    }
  }

  private static List<String> names(MariaDbServer source) {
    List<String> out = new ArrayList<>();
    String list = source.queryString("SELECT GROUP_CONCAT(TABLE_NAME) FROM information_schema.TABLES"
        + " WHERE TABLE_SCHEMA = '" + CopyBenchCommand.DB + "'");
    for (String t : list.split(",")) {
      out.add(CopyBenchCommand.DB + "." + t);
    }
    return out;
  }

  /** Whether every bench table has the same CHECKSUM TABLE on both sides. */
  static boolean sameAs(MariaDbServer source, String db, MariaDbServer destination, String copy, int tables)
      throws SQLException {
    try (Connection a = source.rootConnection(); Connection b = destination.rootConnection()) {
      boolean same = true;
      for (int t = 1; t <= tables; t++) {
        long x = checksum(a, db + ".t" + t);
        long y = checksum(b, copy + ".t" + t);
        same &= x == y;
        if (x != y) {
          CONSOLE.info("  t{}: source {} copy {}", t, x, y);
        }
      }
      return same;
    }
  }

  private static long checksum(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CHECKSUM TABLE " + table + " EXTENDED")) {
      rs.next();
      return rs.getLong(2);
    }
  }
}
