package io.ferry.app.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A point in the source's binary log: file, offset and the server's {@code gtid_binlog_pos} there. */
record BinlogCoordinates(String file, long position, String gtid) {

  /** The source's current end of binlog ({@code SHOW BINLOG STATUS}, else {@code SHOW MASTER STATUS}). */
  static BinlogCoordinates current(Connection c) throws SQLException {
    String file = null;
    long pos = 0;
    SQLException last = null;
    for (String sql : new String[] {"SHOW BINLOG STATUS", "SHOW MASTER STATUS"}) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        if (rs.next()) {
          file = rs.getString("File");
          pos = rs.getLong("Position");
        }
        last = null;
        break;
      } catch (SQLException e) {
        last = e;
      }
    }
    if (last != null) {
      throw last;
    }
    if (file == null) {
      throw new SQLException("the source has no binary log (SHOW BINLOG STATUS returned no row)");
    }
    String gtid;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@gtid_binlog_pos")) {
      rs.next();
      gtid = rs.getString(1);
    }
    return new BinlogCoordinates(file, pos, gtid == null ? "" : gtid);
  }

  /** Whether {@code (otherFile, otherPos)} is at or after this point (files compared by their number). */
  boolean reachedBy(String otherFile, long otherPos) {
    if (otherFile == null || otherFile.isEmpty()) {
      return false;
    }
    int cmp = Long.compare(fileNumber(otherFile), fileNumber(file));
    return cmp > 0 || (cmp == 0 && otherPos >= position);
  }

  private static long fileNumber(String f) {
    try {
      return Long.parseLong(f.substring(f.lastIndexOf('.') + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public String toString() {
    return file + ":" + position + (gtid.isEmpty() ? "" : " (gtid " + gtid + ")");
  }
}
