package io.ferry.app.chaos;

import io.ferry.mariadb.MariaDbServer;
import io.ferry.worker.position.BinlogPosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a chaos run asks the servers: the source's end of binlog, a job's checkpoint at the destination, and
 * whether tables are equal on both sides. Each call opens its own root connection (a server may have been
 * restarted since the last one).
 */
final class ChaosChecks {
  /** Rows counted on the source side and whether every table had the same count and checksum. */
  record Comparison(long rows, boolean equal) {}

  private final MariaDbServer source;
  private final MariaDbServer destination;

  ChaosChecks(MariaDbServer source, MariaDbServer destination) {
    this.source = source;
    this.destination = destination;
  }

  BinlogPosition sourceEnd() throws SQLException {
    try (Connection c = source.rootConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SHOW BINLOG STATUS")) {
      rs.next();
      return new BinlogPosition(rs.getString(1), rs.getLong(2), "");
    }
  }

  /** The job's stored position, or null (none yet, or the destination is down). */
  BinlogPosition checkpoint(String jobId) {
    try (Connection c = destination.rootConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT binlog_file, binlog_pos FROM _ferry.checkpoint WHERE job_id = ?")) {
      ps.setString(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getString(1) != null ? new BinlogPosition(rs.getString(1), rs.getLong(2), "") : null;
      }
    } catch (SQLException e) {
      return null;
    }
  }

  /** Waits until {@code db.big} at the destination has a row; false on timeout. */
  boolean awaitRows(String db, long timeoutMillis) throws InterruptedException {
    long until = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < until) {
      try (Connection c = destination.rootConnection(); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + db + ".big")) {
        if (rs.next() && rs.getLong(1) > 0) {
          return true;
        }
      } catch (SQLException e) {
        // not created yet
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** CHECKSUM TABLE and COUNT(*) of each table on both sides. */
  Comparison compare(String db, String copy, String... tables) {
    long rows = 0;
    boolean equal = true;
    try (Connection s = source.rootConnection(); Connection d = destination.rootConnection()) {
      for (String t : tables) {
        long a = count(s, db, t);
        long b = count(d, copy, t);
        rows += a;
        equal &= a == b && checksum(s, db, t) == checksum(d, copy, t);
      }
    } catch (SQLException e) {
      return new Comparison(rows, false);
    }
    return new Comparison(rows, equal);
  }

  private static long count(Connection c, String db, String table) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + db + "." + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long checksum(Connection c, String db, String table) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CHECKSUM TABLE " + db + "." + table)) {
      rs.next();
      long v = rs.getLong(2);
      return rs.wasNull() ? Long.MIN_VALUE : v;
    }
  }
}
