package io.ferry.worker.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads table definitions from a server's {@code information_schema}. */
public final class SchemaReader {
  private SchemaReader() {}

  /** The table's definition, or null when the server has no such table (or the user cannot see it). */
  public static TableDef read(Connection c, String database, String table) throws SQLException {
    Keyed keyed = readKeyed(c, database, table);
    return keyed == null ? null : keyed.def();
  }

  /**
   * A table's definition and the columns of all its unique keys, nullable ones and the primary key included
   * (lower-case names; an update that leaves them all alone cannot meet another row's key), from one read of
   * its keys.
   */
  public record Keyed(TableDef def, Set<String> uniqueColumns) {
    public Keyed {
      uniqueColumns = Set.copyOf(uniqueColumns);
    }
  }

  /** As {@link #read}, with the columns of every unique key: null when the server has no such table. */
  public static Keyed readKeyed(Connection c, String database, String table) throws SQLException {
    List<ColumnDef> columns = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, EXTRA"
        + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
      ps.setString(1, database);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String columnType = rs.getString(3);
          String extra = rs.getString(4) == null ? "" : rs.getString(4).toUpperCase(Locale.ROOT);
          boolean generated = extra.contains("GENERATED") || extra.contains("VIRTUAL") || extra.contains("PERSISTENT")
              || extra.contains("STORED");
          columns.add(new ColumnDef(rs.getString(1), rs.getString(2).toLowerCase(Locale.ROOT), columnType,
              columnType.toLowerCase(Locale.ROOT).contains("unsigned"), generated));
        }
      }
    }
    if (columns.isEmpty()) {
      return null;
    }
    Map<String, List<String>> keys = new LinkedHashMap<>();
    Map<String, Boolean> keyNullable = new LinkedHashMap<>();
    Set<String> uniqueColumns = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT s.INDEX_NAME, s.COLUMN_NAME, s.NULLABLE"
        + " FROM information_schema.STATISTICS s WHERE s.TABLE_SCHEMA = ? AND s.TABLE_NAME = ? AND s.NON_UNIQUE = 0"
        + " ORDER BY s.INDEX_NAME = 'PRIMARY' DESC, s.INDEX_NAME, s.SEQ_IN_INDEX")) {
      ps.setString(1, database);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          keys.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
          uniqueColumns.add(rs.getString(2).toLowerCase(Locale.ROOT));
          if ("YES".equalsIgnoreCase(rs.getString(3))) {
            keyNullable.put(rs.getString(1), true);
          }
        }
      }
    }
    List<String> primary = keys.getOrDefault("PRIMARY", List.of());
    List<List<String>> unique = new ArrayList<>();
    keys.forEach((name, cols) -> {
      if (!name.equals("PRIMARY") && !keyNullable.getOrDefault(name, false)) {
        unique.add(cols);
      }
    });
    return new Keyed(new TableDef(database, table, columns, primary, unique), uniqueColumns);
  }

  /** Base tables of a database, by name. */
  public static List<String> tables(Connection c, String database) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME FROM information_schema.TABLES"
        + " WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")) {
      ps.setString(1, database);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /** The source tables a filter includes, as {@code {database, table}} pairs, listed once per job start. */
  public static List<String[]> includedTables(Connection c, io.ferry.worker.config.TableFilter filter)
      throws SQLException {
    List<String[]> out = new ArrayList<>();
    for (String db : databases(c)) {
      for (String table : tables(c, db)) {
        if (filter.matches(db, table)) {
          out.add(new String[] {db, table});
        }
      }
    }
    return out;
  }

  /** All databases the user can see, except the server's own. */
  public static List<String> databases(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA"
        + " WHERE SCHEMA_NAME NOT IN ('mysql','information_schema','performance_schema','sys') ORDER BY 1");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
