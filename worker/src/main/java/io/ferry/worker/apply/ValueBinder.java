package io.ferry.worker.apply;

import io.ferry.worker.binlog.decode.JsonText;
import io.ferry.worker.binlog.decode.Unsigned;
import io.ferry.worker.binlog.decode.UtcTimestamp;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HexFormat;

/**
 * Binds one decoded binlog value to a statement parameter so that the destination stores exactly the
 * source's bytes. The decoded representation is that of {@code io.ferry.worker.binlog.decode}:
 * integers signed as logged (reinterpreted here when the column is unsigned), temporal values as
 * MySQL literals, TIMESTAMP as UTC (the applier session runs at {@code time_zone='+00:00'}), strings and
 * blobs as raw bytes (written as {@code _binary} literals into a column of the same charset: bytes
 * stay bytes), ENUM/SET as index/bitmask, BIT as big-endian bytes.
 *
 * <p>{@link #appendLiteral} writes the same value as an SQL literal into statement text the applier builds
 * itself (so that it can build the next statement while the destination executes the previous one): the
 * literal the driver would have sent for the parameter, for a session without {@code NO_BACKSLASH_ESCAPES}
 * (the applier pins its {@code sql_mode}) and a UTF-8 connection.
 */
final class ValueBinder {
  static final int BIT = 16;

  private ValueBinder() {}

  static void bind(PreparedStatement ps, int index, Object value, int typeCode, boolean unsigned) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.NULL);
    } else if (unsigned && isInteger(typeCode)) {
      Number n = Unsigned.of(value, typeCode);
      if (n instanceof BigInteger b) {
        ps.setBigDecimal(index, new BigDecimal(b));
      } else {
        ps.setLong(index, n.longValue());
      }
    } else if (value instanceof Integer i) {
      ps.setLong(index, i);
    } else if (value instanceof Long l) {
      ps.setLong(index, l);
    } else if (value instanceof Float f) {
      // Widening is exact and Double.toString round-trips, so the server parses back the same float.
      bindDouble(ps, index, f.doubleValue());
    } else if (value instanceof Double d) {
      bindDouble(ps, index, d);
    } else if (value instanceof BigDecimal d) {
      ps.setBigDecimal(index, d);
    } else if (value instanceof String s) {
      ps.setString(index, s);
    } else if (value instanceof UtcTimestamp t) {
      ps.setString(index, t.toUtcLiteral());
    } else if (value instanceof JsonText j) {
      ps.setString(index, j.text());
    } else if (value instanceof byte[] b) {
      if (typeCode == BIT) {
        ps.setBigDecimal(index, new BigDecimal(new BigInteger(1, b)));
      } else {
        ps.setBytes(index, b);
      }
    } else {
      throw new IllegalArgumentException("No binding for decoded value of " + value.getClass().getName());
    }
  }

  /** Appends {@code value} as the literal {@link #bind} would have sent for it. */
  static void appendLiteral(StringBuilder sql, Object value, int typeCode, boolean unsigned) {
    if (value == null) {
      sql.append("NULL");
    } else if (unsigned && isInteger(typeCode)) {
      sql.append(Unsigned.of(value, typeCode));
    } else if (value instanceof Integer || value instanceof Long) {
      sql.append(value);
    } else if (value instanceof Float f) {
      appendDouble(sql, f.doubleValue());
    } else if (value instanceof Double d) {
      appendDouble(sql, d);
    } else if (value instanceof BigDecimal d) {
      sql.append(d.toPlainString());
    } else if (value instanceof String str) {
      appendQuoted(sql, str);
    } else if (value instanceof UtcTimestamp t) {
      appendQuoted(sql, t.toUtcLiteral());
    } else if (value instanceof JsonText j) {
      appendQuoted(sql, j.text());
    } else if (value instanceof byte[] b) {
      if (typeCode == BIT) {
        sql.append(new BigInteger(1, b));
      } else {
        appendBinary(sql, b);
      }
    } else {
      throw new IllegalArgumentException("No literal for decoded value of " + value.getClass().getName());
    }
  }

  private static void appendDouble(StringBuilder sql, double d) {
    if (d == 0 && Double.doubleToRawLongBits(d) != 0) {
      sql.append("'-0E0'"); // see bindDouble
    } else {
      sql.append(d); // Double.toString round-trips, and "1.0E10" is a valid approximate-value literal
    }
  }

  private static void appendQuoted(StringBuilder sql, CharSequence text) {
    sql.append('\'');
    escape(sql, text);
    sql.append('\'');
  }

  /**
   * Bytes as a binary string: {@code _binary'…'} when they are valid UTF-8 (the connection encodes the text
   * back into exactly these bytes), else {@code _binary X'…'}; both are the binary string the driver sends
   * for a bytes parameter.
   */
  private static void appendBinary(StringBuilder sql, byte[] bytes) {
    if (isAscii(bytes)) {
      // The common case: one char per byte, no decoder. The runs between escapes are appended whole (as
      // Latin-1 strings, a copy each) instead of a char at a time, which was most of a huge transaction's
      // statement building.
      sql.append("_binary'");
      int run = 0;
      for (int i = 0; i < bytes.length; i++) {
        if (ESCAPED[bytes[i]]) {
          appendAscii(sql, bytes, run, i);
          escape(sql, (char) bytes[i]);
          run = i + 1;
        }
      }
      appendAscii(sql, bytes, run, bytes.length);
      sql.append('\'');
      return;
    }
    CharBuffer text = utf8(bytes);
    if (text != null) {
      sql.append("_binary'");
      escape(sql, text);
      sql.append('\'');
    } else {
      sql.append("_binary X'"); // the introducer keeps it a string in a numeric column (no 0x number)
      HEX.formatHex(sql, bytes);
      sql.append('\'');
    }
  }

  private static final HexFormat HEX = HexFormat.of();

  /** The ASCII characters {@link #escape(StringBuilder, char)} changes. */
  private static final boolean[] ESCAPED = new boolean[128];

  static {
    for (char c : new char[] {0, '\n', '\r', '\\', '\'', '"', '\032'}) {
      ESCAPED[c] = true;
    }
  }

  private static void appendAscii(StringBuilder sql, byte[] bytes, int from, int to) {
    if (to > from) {
      sql.append(new String(bytes, from, to - from, StandardCharsets.ISO_8859_1));
    }
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  /** The text of bytes that are valid UTF-8, else null. */
  private static CharBuffer utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** The escapes of a quoted string literal, as the driver writes them. */
  private static void escape(StringBuilder sql, CharSequence text) {
    for (int i = 0, n = text.length(); i < n; i++) {
      escape(sql, text.charAt(i));
    }
  }

  private static void escape(StringBuilder sql, char c) {
    switch (c) {
      case 0 -> sql.append("\\0");
      case '\n' -> sql.append("\\n");
      case '\r' -> sql.append("\\r");
      case '\\' -> sql.append("\\\\");
      case '\'' -> sql.append("\\'");
      case '"' -> sql.append("\\\"");
      case '\032' -> sql.append("\\Z");
      default -> sql.append(c);
    }
  }

  /**
   * Connector/J writes a double parameter as {@code String.valueOf(d)}; for negative zero that is the
   * literal {@code -0.0}, which the server reads as a DECIMAL zero negated and stores as +0. A string
   * parameter goes through the server's strtod instead, which keeps the sign.
   */
  private static void bindDouble(PreparedStatement ps, int index, double d) throws SQLException {
    if (d == 0 && Double.doubleToRawLongBits(d) != 0) {
      ps.setString(index, "-0E0");
    } else {
      ps.setDouble(index, d);
    }
  }

  static boolean isInteger(int typeCode) {
    return switch (typeCode) {
      case Unsigned.TINY, Unsigned.SHORT, Unsigned.INT24, Unsigned.LONG, Unsigned.LONGLONG -> true;
      default -> false; // YEAR, which MariaDB also flags unsigned, is decoded as its value already
    };
  }
}
