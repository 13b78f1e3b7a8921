package io.ferry.worker.binlog.decode;

import java.math.BigInteger;

/**
 * Reinterprets a signed integer cell as the UNSIGNED value it stores, once the schema says the column
 * is unsigned (row events carry the bits, not the signedness).
 */
public final class Unsigned {
  /** MySQL field type codes of the integer columns. */
  public static final int TINY = 1;
  public static final int SHORT = 2;
  public static final int LONG = 3;
  public static final int LONGLONG = 8;
  public static final int INT24 = 9;

  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  private Unsigned() {
  }

  /**
   * The unsigned value of an integer cell decoded by {@link RowValueDecoder}.
   *
   * @param value the cell: an Integer for TINY/SHORT/INT24/LONG, a Long for LONGLONG; null stays null
   * @param mysqlTypeCode the column's type code from the table map (1, 2, 9, 3 or 8)
   * @return a Long, except for a LONGLONG value of 2^63 or more, which is a BigInteger
   * @throws IllegalArgumentException for another type code or a value of the wrong class
   */
  public static Number of(Object value, int mysqlTypeCode) {
    if (value == null) {
      return null;
    }
    if (mysqlTypeCode == LONGLONG) {
      if (!(value instanceof Long v)) {
        throw new IllegalArgumentException("LONGLONG cell must be a Long, got " + value.getClass().getName());
      }
      return v >= 0 ? v : BigInteger.valueOf(v).add(TWO_TO_64);
    }
    if (!(value instanceof Integer v)) {
      throw new IllegalArgumentException("Integer cell of type " + mysqlTypeCode + " must be an Integer, got "
          + value.getClass().getName());
    }
    return switch (mysqlTypeCode) {
      case TINY -> (long) (v & 0xFF);
      case SHORT -> (long) (v & 0xFFFF);
      case INT24 -> (long) (v & 0xFF_FFFF);
      case LONG -> v & 0xFFFF_FFFFL;
      default -> throw new IllegalArgumentException("Not an integer column type code: " + mysqlTypeCode);
    };
  }
}
