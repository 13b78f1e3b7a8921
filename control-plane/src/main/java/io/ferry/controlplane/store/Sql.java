package io.ferry.controlplane.store;

import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Small helpers shared by the stores. Times are read as {@code UNIX_TIMESTAMP(col)} and written as
 * {@code FROM_UNIXTIME(?)} so no time zone of the JDBC session or the server can shift them.
 */
public final class Sql {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Sql() {}

  /** A new object id: the kind's prefix and 64 random bits, e.g. {@code job_3f9a0c1d2e4b5a69}. */
  public static String newId(String kind) {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return kind + "_" + HexFormat.of().formatHex(bytes);
  }

  /** A column selected as {@code UNIX_TIMESTAMP(...)}, or null. */
  public static Instant instant(Row row, String column) {
    Object v = row.getValue(column);
    if (v == null) {
      return null;
    }
    BigDecimal seconds = new BigDecimal(v.toString());
    long whole = seconds.longValue();
    long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
    return Instant.ofEpochSecond(whole, nanos);
  }

  /** An instant as the seconds {@code FROM_UNIXTIME(?)} takes (microsecond precision). */
  public static BigDecimal seconds(Instant at) {
    return BigDecimal.valueOf(at.getEpochSecond()).add(BigDecimal.valueOf(at.getNano() / 1000, 6));
  }

  public static String text(Instant at) {
    return at == null ? null : at.toString();
  }
}
