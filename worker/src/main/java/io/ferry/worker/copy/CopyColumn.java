package io.ferry.worker.copy;

import io.ferry.worker.jdbc.Jdbc;
import java.util.Locale;
import java.util.Set;

/**
 * One column as the initial copy moves it. The copy session reads every value as the server's own
 * bytes ({@code character_set_results=binary}): strings and blobs in the column's charset, numbers and
 * temporal values as their literal text, ENUM/SET/BIT as their numbers ({@code col + 0}: index, bitmask,
 * bits), which is also how the server compares and orders them as keys. How a value
 * is written back, and how a key value is compared in the next chunk's range, follows from the kind.
 *
 * @param charset the column's character set (strings only, else null)
 * @param collation the column's collation (strings only, else null)
 */
record CopyColumn(String name, String dataType, Kind kind, String charset, String collation, boolean generated) {
  /** How a value travels. */
  enum Kind {
    /** A character string: raw bytes in the column's charset, compared under its collation. */
    TEXT,
    /** Binary strings, blobs, geometry: raw bytes, compared bytewise. */
    BYTES,
    /**
     * ENUM, SET and BIT as numbers. (A member name sent back as bytes is not always found again: MariaDB
     * rejects a 4-byte character's bytes in a utf8mb4 ENUM.)
     */
    NUMBER,
    /** MySQL's JSON: its text form, written as UTF-8 text. */
    JSON,
    /** Numbers, dates and times, INET/UUID: the server's literal text, parsed back by the server. */
    LITERAL
  }

  private static final Set<String> TEXT_TYPES = Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext");
  private static final Set<String> LITERAL_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "integer",
      "bigint", "decimal", "numeric", "float", "double", "real", "date", "time", "datetime", "timestamp", "year",
      "inet4", "inet6", "uuid");

  static CopyColumn of(String name, String dataType, String charset, String collation, boolean generated) {
    String type = dataType.toLowerCase(Locale.ROOT);
    Kind kind;
    if (TEXT_TYPES.contains(type) && charset != null && !"binary".equalsIgnoreCase(charset)) {
      kind = Kind.TEXT;
    } else if (type.equals("enum") || type.equals("set") || type.equals("bit")) {
      kind = Kind.NUMBER;
    } else if (type.equals("json")) {
      kind = Kind.JSON;
    } else if (LITERAL_TYPES.contains(type)) {
      kind = Kind.LITERAL;
    } else {
      kind = Kind.BYTES; // binary, varbinary, blobs, geometry, vector
    }
    return new CopyColumn(name, type, kind, charset, collation, generated);
  }

  /** What the copy selects for this column. */
  String selectExpression() {
    String quoted = Jdbc.quote(name);
    if (dataType.equals("float")) {
      // A FLOAT prints with about six digits, which do not always parse back to the same float; widened to
      // DOUBLE it prints exactly, and the destination narrows it back without loss.
      return "CAST(" + quoted + " AS DOUBLE)";
    }
    return kind == Kind.NUMBER ? quoted + " + 0" : quoted;
  }

  boolean isEnum() {
    return dataType.equals("enum");
  }
}
