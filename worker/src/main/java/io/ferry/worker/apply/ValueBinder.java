package io.ferry.worker.apply;

import io.ferry.worker.binlog.decode.JsonText;
import io.ferry.worker.binlog.decode.Unsigned;
import io.ferry.worker.binlog.decode.UtcTimestamp;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Binds one decoded binlog value to a statement parameter so that the destination stores exactly the
 * source's bytes. The decoded representation is that of {@code io.ferry.worker.binlog.decode}:
 * integers signed as logged (reinterpreted here when the column is unsigned), temporal values as
 * MySQL literals, TIMESTAMP as UTC (the applier session runs at {@code time_zone='+00:00'}), strings and
 * blobs as raw bytes (written as {@code _binary} literals into a column of the same charset: bytes
 * stay bytes), ENUM/SET as index/bitmask, BIT as big-endian bytes.
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

  private static boolean isInteger(int typeCode) {
    return switch (typeCode) {
      case Unsigned.TINY, Unsigned.SHORT, Unsigned.INT24, Unsigned.LONG, Unsigned.LONGLONG -> true;
      default -> false; // YEAR, which MariaDB also flags unsigned, is decoded as its value already
    };
  }
}
