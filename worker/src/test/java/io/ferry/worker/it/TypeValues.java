package io.ferry.worker.it;

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
import java.util.TreeSet;

/**
 * Reads every column of a table (generated ones too) as text the server renders itself, independent of the
 * checksum helper: bytes as HEX() (strings in their column character set, binaries, JSON, geometry, BIT),
 * numbers and temporal values as CAST(... AS CHAR), FLOAT widened to DOUBLE first (CAST(float AS CHAR) prints
 * only 6 significant digits), TIMESTAMP both as text and as UNIX_TIMESTAMP, ENUM and SET also by index and
 * bitmask (in hex). The session runs at {@code time_zone='+00:00'}, so equal TIMESTAMPs print equally on servers in
 * different zones.
 */
final class TypeValues {
  private TypeValues() {}

  /** Row id (as text) to column name to rendering; SQL NULL is the string {@code NULL}. */
  static Map<String, Map<String, String>> read(Connection c, String db, String table) throws SQLException {
    List<String[]> columns = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS"
        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
      ps.setString(1, db);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columns.add(new String[] {rs.getString(1), rs.getString(2).toLowerCase(Locale.ROOT)});
        }
      }
    }
    StringBuilder sql = new StringBuilder("SELECT CAST(id AS CHAR)");
    for (String[] col : columns) {
      sql.append(", ").append(render("`" + col[0] + "`", col[1]));
    }
    sql.append(" FROM `").append(db).append("`.`").append(table).append("` ORDER BY id");
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    try (Statement s = c.createStatement()) {
      s.execute("SET SESSION time_zone = '+00:00'");
      try (ResultSet rs = s.executeQuery(sql.toString())) {
        while (rs.next()) {
          Map<String, String> row = new LinkedHashMap<>();
          for (int i = 0; i < columns.size(); i++) {
            String v = rs.getString(i + 2);
            row.put(columns.get(i)[0], v == null ? "NULL" : v);
          }
          if (rows.put(rs.getString(1), row) != null) {
            throw new IllegalStateException("duplicate id " + rs.getString(1) + " in " + db + "." + table);
          }
        }
      }
    }
    return rows;
  }

  private static String render(String c, String dataType) {
    return switch (dataType) {
      case "float", "double" -> "CAST(CAST(" + c + " AS DOUBLE) AS CHAR)";
      case "tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "year", "date", "datetime", "time" ->
          "CAST(" + c + " AS CHAR)";
      case "timestamp" -> "CONCAT(CAST(" + c + " AS CHAR), ' @', CAST(UNIX_TIMESTAMP(" + c + ") AS CHAR))";
      case "enum", "set" -> "CONCAT(HEX(" + c + "), ' #', HEX(" + c + " + 0))"; // bytes and index / bitmask
      case "bit" -> "CONCAT(HEX(" + c + "), ' #', CAST(" + c + " + 0 AS CHAR))";
      // strings (in their own character set), binaries, blobs, JSON, geometry: the bytes
      default -> "HEX(" + c + ")";
    };
  }

  /** Every differing cell as {@code table.column @ id=N: source=... destination=...}. */
  static List<String> differences(String table, Map<String, Map<String, String>> source,
                                  Map<String, Map<String, String>> destination) {
    List<String> out = new ArrayList<>();
    TreeSet<String> ids = new TreeSet<>(source.keySet());
    ids.addAll(destination.keySet());
    for (String id : ids) {
      Map<String, String> a = source.get(id);
      Map<String, String> b = destination.get(id);
      if (a == null || b == null) {
        out.add(table + " @ id=" + id + ": only in " + (a == null ? "destination" : "source"));
        continue;
      }
      for (Map.Entry<String, String> e : a.entrySet()) {
        String other = b.get(e.getKey());
        if (!e.getValue().equals(other)) {
          out.add(table + "." + e.getKey() + " @ id=" + id + ": source=" + shorten(e.getValue()) + " destination="
              + shorten(other));
        }
      }
    }
    return out;
  }

  private static String shorten(String s) {
    return s == null || s.length() <= 160 ? s : s.substring(0, 160) + "...(" + s.length() + " chars)";
  }
}
