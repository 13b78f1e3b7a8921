package io.ferry.worker.jdbc;

import io.ferry.worker.position.BinlogPosition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Questions Ferry asks a source server about its binary log. */
public final class SourceQueries {
  private SourceQueries() {}

  /**
   * The current end of the binlog with the executed GTID set. Asks the way the server understands:
   * {@code SHOW BINARY LOG STATUS} (MySQL 8.2+), {@code SHOW BINLOG STATUS} (MariaDB 10.5+), else
   * {@code SHOW MASTER STATUS}.
   */
  public static BinlogPosition currentPosition(Connection c) throws SQLException {
    SQLException last = null;
    for (String sql : List.of("SHOW BINARY LOG STATUS", "SHOW BINLOG STATUS", "SHOW MASTER STATUS")) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        if (!rs.next()) {
          return null; // binlog disabled
        }
        String file = rs.getString(1);
        long pos = rs.getLong(2);
        return new BinlogPosition(file, pos, executedGtids(c));
      } catch (SQLException e) {
        if (e.getErrorCode() != 1064) { // anything but "syntax error" is a real failure
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }

  /** {@code @@gtid_binlog_pos} on MariaDB, {@code @@gtid_executed} on MySQL; empty when neither. */
  public static String executedGtids(Connection c) throws SQLException {
    String sql = isMariaDb(c) ? "SELECT @@GLOBAL.gtid_binlog_pos" : "SELECT @@GLOBAL.gtid_executed";
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() && rs.getString(1) != null ? rs.getString(1).replace("\n", "") : "";
    } catch (SQLException e) {
      return "";
    }
  }

  public static boolean isMariaDb(Connection c) throws SQLException {
    return c.getMetaData().getDatabaseProductVersion().toLowerCase().contains("mariadb");
  }

  /** The binlog files the server still has, oldest first. */
  public static List<String> binaryLogs(Connection c) throws SQLException {
    List<String> files = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
      while (rs.next()) {
        files.add(rs.getString(1));
      }
    }
    return files;
  }

  /** One row of global variables, by name; null when the server does not know a variable. */
  public static String variable(Connection c, String name) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES LIKE '" + name.replace("'", "") + "'")) {
      return rs.next() ? rs.getString(2) : null;
    }
  }
}
