package io.ferry.worker.copy;

import io.ferry.worker.jdbc.Jdbc;
import io.ferry.worker.schema.SchemaReader;
import io.ferry.worker.schema.TableDef;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How one table is copied: the statements that read it in key order, chunk after chunk, and the
 * statement that writes a chunk into its destination table. Built from the source's definition at
 * one moment; the copy rebuilds it when that definition changes.
 *
 * <p>A chunk is {@code SELECT cols FROM t WHERE key > last ORDER BY key LIMIT n}. A composite key is
 * compared column by column ({@code a > ? OR a = ? AND b > ?}), which the server turns into a range on
 * the key's index. A string key value is sent back as the bytes the server returned, relabelled to the
 * column's charset and compared under its collation, so a case-insensitive or accent-insensitive key
 * orders exactly as the server orders it; ENUM, SET and BIT keys compare by their numbers (index,
 * bitmask, bits), as the server orders them.
 */
final class TablePlan {
  /** The key column types whose values a range bound carries exactly (lower case, as information_schema). */
  private static final java.util.Set<String> SPLITTABLE = java.util.Set.of("tinyint", "smallint", "mediumint",
      "int", "integer", "bigint", "decimal", "numeric", "date", "datetime", "timestamp", "time", "year", "char",
      "varchar", "binary", "varbinary", "enum", "set", "bit");

  final String database;
  final String table;
  final String destDatabase;
  final TableDef def;
  final List<CopyColumn> columns;
  /** Indexes into {@link #columns} of the key, in key order. */
  final int[] key;
  private final String selectFrom;
  private final String orderBy;
  final String upsert;
  final int[] written;

  private TablePlan(String database, String table, String destDatabase, TableDef def, List<CopyColumn> columns,
                    int[] key) {
    this.database = database;
    this.table = table;
    this.destDatabase = destDatabase;
    this.def = def;
    this.columns = columns;
    this.key = key;
    List<String> select = new ArrayList<>();
    columns.forEach(c -> select.add(c.selectExpression()));
    String order = keyColumns().stream().map(c -> Jdbc.quote(c.name())).collect(Collectors.joining(", "));
    String from = "SELECT " + String.join(", ", select) + " FROM " + Jdbc.quote(database, table);
    this.selectFrom = from;
    this.orderBy = " ORDER BY " + order + " LIMIT ?";
    List<Integer> w = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      if (!columns.get(i).generated()) {
        w.add(i);
      }
    }
    this.written = w.stream().mapToInt(Integer::intValue).toArray();
    String names = w.stream().map(i -> Jdbc.quote(columns.get(i).name())).collect(Collectors.joining(", "));
    this.upsert = "REPLACE INTO " + Jdbc.quote(destDatabase, table) + " (" + names + ") VALUES ("
        + String.join(", ", Collections.nCopies(w.size(), "?")) + ")";
  }

  /**
   * The plan for a source table as it is now, or null when the table is gone. A table without a
   * primary key or NOT NULL unique key gets a plan with an empty key (which the copy refuses).
   */
  static TablePlan read(Connection source, String database, String table, String destDatabase) throws SQLException {
    TableDef def = SchemaReader.read(source, database, table);
    if (def == null) {
      return null;
    }
    List<CopyColumn> columns = new ArrayList<>();
    try (PreparedStatement ps = source.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_SET_NAME,"
        + " COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
        + " ORDER BY ORDINAL_POSITION")) {
      ps.setString(1, database);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          boolean generated = def.column(name).map(c -> c.generated()).orElse(false);
          columns.add(CopyColumn.of(name, rs.getString(2), rs.getString(3), rs.getString(4), generated));
        }
      }
    }
    List<String> identity = def.identity();
    int[] key = new int[identity.size()];
    for (int i = 0; i < key.length; i++) {
      String k = identity.get(i);
      for (int c = 0; c < columns.size(); c++) {
        if (columns.get(c).name().equalsIgnoreCase(k)) {
          key[i] = c;
        }
      }
    }
    return new TablePlan(database, table, destDatabase, def, columns, key);
  }

  boolean hasKey() {
    return key.length > 0;
  }

  List<CopyColumn> keyColumns() {
    List<CopyColumn> out = new ArrayList<>();
    for (int k : key) {
      out.add(columns.get(k));
    }
    return out;
  }

  String sourceName() {
    return database + "." + table;
  }

  /**
   * The statement of the next chunk of a key range: the keys after {@code lastKey} (from the start when
   * null) up to and including {@code end} (to the end when null), in key order.
   */
  PreparedStatement prepare(Connection c, List<String> lastKey, List<String> end, int limit) throws SQLException {
    // (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ...: each disjunct repeats the equal prefix.
    PreparedStatement ps = c.prepareStatement(selectFrom + rangeWhere(lastKey != null, end != null) + orderBy,
        ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    ps.setInt(bindRange(ps, 1, lastKey, end), limit);
    return ps;
  }

  /**
   * The key {@code offset} keys after {@code from} (after the start when null) in the server's key order, as
   * {@link #keyOf} encodes it, or null when fewer keys follow. Key columns are selected as the copy selects
   * them ({@link CopyColumn#selectExpression}: an ENUM's index, a number's digits), so the bound binds back
   * as the value it came from.
   */
  List<String> keyAfter(Connection c, List<String> from, long offset) throws SQLException {
    String select = "SELECT " + keyColumns().stream().map(CopyColumn::selectExpression)
        .collect(Collectors.joining(", ")) + " FROM " + qualified(false);
    try (PreparedStatement ps = c.prepareStatement(select + rangeWhere(from != null, false) + " ORDER BY "
        + keyList() + " LIMIT 1 OFFSET ?")) {
      ps.setLong(bindRange(ps, 1, from, null), offset);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        byte[][] row = new byte[columns.size()][];
        for (int k = 0; k < key.length; k++) {
          row[key[k]] = rs.getBytes(k + 1);
        }
        return keyOf(row);
      }
    }
  }

  /** The statement that reads the whole table, in no particular order (a table without a key). */
  PreparedStatement prepareWhole(Connection c) throws SQLException {
    return c.prepareStatement(selectFrom, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
  }

  /**
   * Whether the table can be cut into key ranges (see {@link KeyRanges#bounds}): it has a key, and each of
   * the key's columns is of a type whose values travel exactly as a bound ({@link #SPLITTABLE}). FLOAT and
   * DOUBLE (approximate), INET/UUID, and blob or text keys (a prefix key, ordered by a sort rather than
   * its index) are copied in one range.
   */
  boolean splittableKey() {
    if (key.length == 0) {
      return false;
    }
    for (CopyColumn c : keyColumns()) {
      if (!SPLITTABLE.contains(c.dataType())) {
        return false;
      }
    }
    return true;
  }

  /** The key of a read row, encoded for the copy's progress record (strings and bytes as base64). */
  List<String> keyOf(byte[][] row) {
    List<String> out = new ArrayList<>(key.length);
    for (int i = 0; i < key.length; i++) {
      CopyColumn c = columns.get(key[i]);
      if (c.kind() == CopyColumn.Kind.TEXT || c.kind() == CopyColumn.Kind.BYTES) {
        out.add(Base64.getEncoder().encodeToString(row[key[i]]));
      } else {
        out.add(new String(row[key[i]], StandardCharsets.US_ASCII));
      }
    }
    return out;
  }

  /**
   * A stored key as a person reads it (log lines): strings quoted as the server's UTF-8 or other bytes,
   * bytes that are not valid UTF-8 or hold control characters in hex, each cut at 64 characters.
   */
  String describeKey(List<String> stored) {
    List<CopyColumn.Kind> kinds = new ArrayList<>(key.length);
    for (int k : key) {
      kinds.add(columns.get(k).kind());
    }
    return describeKey(stored, kinds);
  }

  /** {@link #describeKey(List)} for key columns of these kinds. */
  static String describeKey(List<String> stored, List<CopyColumn.Kind> kinds) {
    List<String> out = new ArrayList<>(stored.size());
    for (int i = 0; i < stored.size(); i++) {
      CopyColumn.Kind kind = i < kinds.size() ? kinds.get(i) : null;
      if (kind != CopyColumn.Kind.TEXT && kind != CopyColumn.Kind.BYTES) {
        out.add(stored.get(i));
        continue;
      }
      byte[] bytes = Base64.getDecoder().decode(stored.get(i));
      String text = readableUtf8(bytes);
      String shown = text != null ? "'" + text.replace("'", "''") + "'" : "0x" + java.util.HexFormat.of().formatHex(bytes);
      out.add(shown.length() > 64 ? shown.substring(0, 61) + "..." : shown);
    }
    return out.toString();
  }

  private static String readableUtf8(byte[] bytes) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
      return text.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f) ? null : text;
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }

  /** {@code db.table} on the source, or its destination table. */
  String qualified(boolean destination) {
    return Jdbc.quote(destination ? destDatabase : database, table);
  }

  /** The key columns, quoted, in key order (for ORDER BY and select lists). */
  String keyList() {
    return keyColumns().stream().map(c -> Jdbc.quote(c.name())).collect(Collectors.joining(", "));
  }

  /**
   * A WHERE clause for the keys after {@code from} and up to and including {@code to} (either may be
   * absent: an open end); empty when both are.
   */
  String rangeWhere(boolean from, boolean to) {
    List<String> parts = new ArrayList<>();
    if (from) {
      parts.add(after());
    }
    if (to) {
      parts.add("NOT " + after());
    }
    return parts.isEmpty() ? "" : " WHERE " + String.join(" AND ", parts);
  }

  /** Binds the parameters of {@link #rangeWhere} from {@code index} on; returns the next index. */
  int bindRange(PreparedStatement ps, int index, List<String> from, List<String> to) throws SQLException {
    int p = index;
    for (List<String> bound : java.util.Arrays.asList(from, to)) {
      if (bound != null) {
        for (int i = 0; i < key.length; i++) {
          for (int j = 0; j <= i; j++) {
            bindKey(ps, p++, j, bound.get(j));
          }
        }
      }
    }
    return p;
  }

  /**
   * An MD5 over every stored column's exact value (strings and bytes as hex, ENUM/SET/BIT as numbers,
   * FLOAT widened to DOUBLE, the rest as text; NULL apart from every value), the same on both servers.
   */
  String rowHash() {
    List<String> parts = new ArrayList<>();
    for (int i : written) {
      CopyColumn c = columns.get(i);
      String expr = switch (c.kind()) {
        case TEXT, BYTES -> "HEX(" + Jdbc.quote(c.name()) + ")";
        case JSON -> "HEX(CAST(" + Jdbc.quote(c.name()) + " AS CHAR))";
        default -> "CAST(" + c.selectExpression() + " AS CHAR)";
      };
      parts.add("COALESCE(" + expr + ", '-')");
    }
    return "MD5(CONCAT_WS('|', " + String.join(", ", parts) + "))";
  }

  private String after() {
    List<String> ors = new ArrayList<>();
    for (int i = 0; i < key.length; i++) {
      List<String> ands = new ArrayList<>();
      for (int j = 0; j <= i; j++) {
        ands.add(Jdbc.quote(columns.get(key[j]).name()) + (j < i ? " = " : " > ") + parameter(j));
      }
      ors.add("(" + String.join(" AND ", ands) + ")");
    }
    return "(" + String.join(" OR ", ors) + ")";
  }

  private String parameter(int keyIndex) {
    CopyColumn c = columns.get(key[keyIndex]);
    if (c.kind() == CopyColumn.Kind.TEXT) {
      // The bytes as the server sent them, read in the column's charset and compared under its collation.
      return "CONVERT(? USING " + c.charset() + ") COLLATE " + c.collation();
    }
    return "?";
  }

  private void bindKey(PreparedStatement ps, int index, int keyIndex, String value) throws SQLException {
    CopyColumn c = columns.get(key[keyIndex]);
    if (c.kind() == CopyColumn.Kind.TEXT || c.kind() == CopyColumn.Kind.BYTES) {
      ps.setBytes(index, Base64.getDecoder().decode(value));
    } else if (c.kind() == CopyColumn.Kind.NUMBER || isInteger(c.dataType()) || c.dataType().equals("decimal") || c.dataType().equals("numeric")) {
      ps.setBigDecimal(index, new BigDecimal(value));
    } else {
      ps.setString(index, value); // dates, times, floats, INET/UUID: the server converts to the column's type
    }
  }

  private static boolean isInteger(String type) {
    return type.endsWith("int") || type.equals("integer");
  }
}
