package io.ferry.mariadb.check;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The stored (non-generated) columns and primary key of a table, read from information_schema, and the SQL that
 * renders each value in a server-independent way.
 *
 * <p>Every column value becomes a token {@code IFNULL(MD5(<canonical value>), 'N')}: 32 hex digits, or {@code N}
 * for NULL, so a NULL can never look like a value. The canonical value is:
 * <ul>
 *   <li>character types, ENUM, SET, JSON: {@code CONVERT(col USING utf8mb4)}, i.e. the exact UTF-8 bytes, whatever
 *       the column's charset or collation ('a' and 'A' differ even in a case-insensitive column);</li>
 *   <li>binary types, BLOBs and geometry: the raw bytes (MD5 of the bytes themselves, as exact as HEX() and without
 *       doubling a large BLOB past max_allowed_packet); BIT: {@code HEX(col)};</li>
 *   <li>TIMESTAMP: {@code UNIX_TIMESTAMP(col)}, independent of the session time zone;</li>
 *   <li>FLOAT: {@code CAST(CAST(col AS DOUBLE) AS CHAR)}, exact (a FLOAT cast to CHAR keeps only 6 digits);</li>
 *   <li>everything else (numbers, DATE, DATETIME, TIME, YEAR, UUID, INET): {@code CAST(col AS CHAR)}.</li>
 * </ul>
 */
final class TableColumns {
    private static final Set<String> TEXT = Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext",
            "enum", "set", "json");
    private static final Set<String> BINARY = Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob",
            "longblob", "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
            "geometrycollection");

    /** One stored column. */
    record Column(String name, String dataType, String columnType) {
        String quoted() {
            return quote(name);
        }

        /** The canonical value as SQL (see the class comment). */
        String canonical() {
            String c = quoted();
            if (TEXT.contains(dataType)) {
                return "CONVERT(" + c + " USING utf8mb4)";
            }
            if (BINARY.contains(dataType)) {
                return c;
            }
            return switch (dataType) {
                case "bit" -> "HEX(" + c + ")";
                // CAST(float AS CHAR) prints 6 significant digits: 1.0000001 and 1.0000002 would look equal.
                // Widening to DOUBLE is exact, and a DOUBLE prints as the shortest text that reads back the same
                // bits (sign of zero included).
                case "float" -> "CAST(CAST(" + c + " AS DOUBLE) AS CHAR)";
                case "timestamp" -> "CAST(UNIX_TIMESTAMP(" + c + ") AS CHAR)";
                default -> "CAST(" + c + " AS CHAR)";
            };
        }

        /** The token: 32 hex digits of MD5, or N for NULL. */
        String token() {
            return "IFNULL(MD5(" + canonical() + "),'N')";
        }

        /** A readable rendering of a key value (binary as hex). */
        String display() {
            return BINARY.contains(dataType) ? "CONCAT('0x', HEX(" + quoted() + "))" : canonical();
        }

        /** An ORDER BY term whose order is the same on every server version and collation. */
        String order() {
            return TEXT.contains(dataType) ? "CONVERT(" + quoted() + " USING utf8mb4) COLLATE utf8mb4_bin" : quoted();
        }
    }

    private final String database;
    private final String table;
    private final List<Column> columns;
    private final List<Column> primaryKey;

    private TableColumns(String database, String table, List<Column> columns, List<Column> primaryKey) {
        this.database = database;
        this.table = table;
        this.columns = columns;
        this.primaryKey = primaryKey;
    }

    static TableColumns load(Connection c, String database, String table) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, LOWER(DATA_TYPE), COLUMN_TYPE, EXTRA, "
                + "IS_GENERATED FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? "
                + "ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, database);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!isGenerated(rs.getString(4), rs.getString(5))) {
                        columns.add(new Column(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
        }
        if (columns.isEmpty()) {
            throw new SQLException("table " + database + "." + table + " not found (or has no stored column)");
        }
        List<Column> key = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME FROM information_schema.STATISTICS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX")) {
            ps.setString(1, database);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    columns.stream().filter(col -> col.name().equalsIgnoreCase(name)).findFirst().ifPresent(key::add);
                }
            }
        }
        return new TableColumns(database, table, List.copyOf(columns), List.copyOf(key));
    }

    static boolean isGenerated(String extra, String isGenerated) {
        String e = extra == null ? "" : extra.toUpperCase(Locale.ROOT);
        return "ALWAYS".equalsIgnoreCase(isGenerated) || e.contains("GENERATED") || e.contains("VIRTUAL")
                || e.contains("PERSISTENT") || e.contains("STORED");
    }

    List<Column> columns() {
        return columns;
    }

    List<Column> primaryKey() {
        return primaryKey;
    }

    String qualifiedName() {
        return quote(database) + "." + quote(table);
    }

    /** {@code MD5(CONCAT_WS(',', token1, token2, ...))} over the given columns. */
    static String rowDigest(List<Column> cols) {
        return "MD5(CONCAT_WS(','," + cols.stream().map(Column::token).collect(Collectors.joining(",")) + "))";
    }

    /** ORDER BY clause: the primary key in a server-independent order, or the given fallback expression. */
    String orderBy(String fallback) {
        if (primaryKey.isEmpty()) {
            return " ORDER BY " + fallback;
        }
        return " ORDER BY " + primaryKey.stream().map(Column::order).collect(Collectors.joining(", "));
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
