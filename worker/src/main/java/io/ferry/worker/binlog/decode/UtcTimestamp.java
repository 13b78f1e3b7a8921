package io.ferry.worker.binlog.decode;

import java.io.Serializable;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A TIMESTAMP / TIMESTAMP2 cell exactly as stored: seconds since the epoch in UTC plus microseconds,
 * with the column's fractional-second precision. MySQL's zero timestamp '0000-00-00 00:00:00' is stored
 * as 0 seconds and renders as such.
 *
 * @param epochSeconds seconds since 1970-01-01 00:00:00 UTC (0 .. 2^32-1)
 * @param micros microseconds, 0 .. 999999 (already truncated to {@code fsp} digits by the server)
 * @param fsp the column's fractional-second precision, 0 .. 6
 */
public record UtcTimestamp(long epochSeconds, int micros, int fsp) implements Serializable {
  public UtcTimestamp {
    if (micros < 0 || micros > 999_999) {
      throw new IllegalArgumentException("micros out of range: " + micros);
    }
    if (fsp < 0 || fsp > 6) {
      throw new IllegalArgumentException("fsp out of range: " + fsp);
    }
  }

  /** True for MySQL's zero timestamp '0000-00-00 00:00:00'. */
  public boolean isZero() {
    return epochSeconds == 0 && micros == 0;
  }

  /**
   * The value as a literal in UTC: {@code YYYY-MM-DD HH:MM:SS} plus {@code .} and exactly {@code fsp}
   * digits when fsp > 0; the zero timestamp renders as {@code 0000-00-00 00:00:00[.000…]}.
   */
  public String toUtcLiteral() {
    StringBuilder sb = new StringBuilder(26);
    if (isZero()) {
      sb.append("0000-00-00 00:00:00");
    } else {
      LocalDateTime t = LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
      TemporalDecoder.appendDate(sb, t.getYear(), t.getMonthValue(), t.getDayOfMonth());
      sb.append(' ');
      TemporalDecoder.appendTime(sb, t.getHour(), t.getMinute(), t.getSecond());
    }
    TemporalDecoder.appendFraction(sb, micros, fsp);
    return sb.toString();
  }

  @Override
  public String toString() {
    return toUtcLiteral();
  }
}
