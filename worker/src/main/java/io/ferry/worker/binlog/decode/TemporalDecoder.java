package io.ferry.worker.binlog.decode;

import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Decodes the temporal cell formats of row events into exact text, following MySQL's
 * {@code mysys/my_time.cc} ({@code my_time_packed_from_binary}, {@code my_datetime_packed_from_binary},
 * {@code my_timestamp_from_binary}, {@code TIME_from_longlong_*_packed}). Nothing is validated or
 * normalised: zero and partial dates ('0000-00-00', '2020-00-15') come out as stored.
 */
final class TemporalDecoder {
  /** TIMEF_INT_OFS: the 3-byte integer part of TIME2 is stored with this offset. */
  private static final long TIMEF_INT_OFS = 0x800000L;
  /** TIMEF_OFS: TIME2 with fsp 5/6 is one 6-byte number stored with this offset. */
  private static final long TIMEF_OFS = 0x800000000000L;
  /** DATETIMEF_INT_OFS: the 5-byte integer part of DATETIME2 is stored with this offset. */
  private static final long DATETIMEF_INT_OFS = 0x8000000000L;
  private static final int[] POW10 = {1, 10, 100, 1000, 10_000, 100_000, 1_000_000};

  private TemporalDecoder() {
  }

  /** DATE: 3 bytes little-endian, day in bits 0-4, month in 5-8, year above. */
  static String date(ByteArrayInputStream in) throws IOException {
    int v = in.readInteger(3);
    StringBuilder sb = new StringBuilder(10);
    appendDate(sb, v >>> 9, (v >>> 5) & 0x0F, v & 0x1F);
    return sb.toString();
  }

  /**
   * TIME (old format, no fraction): signed 3-byte little-endian integer HHMMSS. Minutes or seconds above 59
   * mean the cell is not in this format (see {@link #datetime}) and fail.
   */
  static String time(ByteArrayInputStream in) throws IOException {
    int v = (in.readInteger(3) << 8) >> 8;
    StringBuilder sb = new StringBuilder(10);
    if (v < 0) {
      sb.append('-');
      v = -v;
    }
    if ((v / 100) % 100 > 59 || v % 100 > 59) {
      throw new IOException("Not an old-format TIME (HHMMSS): " + (sb.length() > 0 ? "-" : "") + v + OLD_TEMPORAL_HINT);
    }
    appendTime(sb, v / 10_000, (v / 100) % 100, v % 100);
    return sb.toString();
  }

  /**
   * Why an old-format (type 11 / 12) cell can fail to parse: MariaDB logs its own pre-10.1 "hires" TIME(n) and
   * DATETIME(n) (n > 0; tables created before MariaDB 10.1.2 or with mysql56_temporal_format=OFF) under the same
   * type codes, with no precision in the table map, in a different layout. Decoding them as the old MySQL format
   * would silently write garbage, so they are refused.
   */
  private static final String OLD_TEMPORAL_HINT = "; a MariaDB 5.3-format TIME(n)/DATETIME(n) column with fractional"
      + " seconds? Convert it with ALTER TABLE ... FORCE under mysql56_temporal_format=ON";

  /** TIME2: big-endian, offset-encoded; negative values keep their fraction in reverse order. */
  static String time2(int fsp, ByteArrayInputStream in) throws IOException {
    checkFsp(fsp);
    long packed;
    switch (fsp) {
      case 0 -> packed = (bigEndian(in, 3) - TIMEF_INT_OFS) << 24;
      case 1, 2 -> {
        long intPart = bigEndian(in, 3) - TIMEF_INT_OFS;
        int frac = (int) bigEndian(in, 1);
        if (intPart < 0 && frac != 0) {
          intPart++; // borrow: the fraction of a negative value is stored as 0x100 - frac
          frac -= 0x100;
        }
        packed = (intPart << 24) + frac * 10_000L;
      }
      case 3, 4 -> {
        long intPart = bigEndian(in, 3) - TIMEF_INT_OFS;
        int frac = (int) bigEndian(in, 2);
        if (intPart < 0 && frac != 0) {
          intPart++; // borrow: stored as 0x10000 - frac
          frac -= 0x10000;
        }
        packed = (intPart << 24) + frac * 100L;
      }
      default -> packed = bigEndian(in, 6) - TIMEF_OFS;
    }
    return timeFromPacked(packed, fsp);
  }

  /**
   * DATETIME (old format): 8-byte little-endian integer YYYYMMDDhhmmss. Zero parts pass (zero and partial dates);
   * a negative value, or a month, day, hour, minute or second out of range, means the cell is not in this format
   * and fails instead of becoming a garbage literal (see {@link #OLD_TEMPORAL_HINT}).
   */
  static String datetime(ByteArrayInputStream in) throws IOException {
    long v = in.readLong(8);
    long date = v / 1_000_000L;
    long time = v % 1_000_000L;
    if (v < 0 || date > 99_991_231L || (date / 100) % 100 > 12 || date % 100 > 31 || time / 10_000 > 23
        || (time / 100) % 100 > 59 || time % 100 > 59) {
      throw new IOException("Not an old-format DATETIME (YYYYMMDDhhmmss): " + v + OLD_TEMPORAL_HINT);
    }
    StringBuilder sb = new StringBuilder(19);
    appendDate(sb, (int) (date / 10_000), (int) ((date / 100) % 100), (int) (date % 100));
    sb.append(' ');
    appendTime(sb, (int) (time / 10_000), (int) ((time / 100) % 100), (int) (time % 100));
    return sb.toString();
  }

  /** DATETIME2: 5 bytes big-endian (offset-encoded) plus a signed fraction of (fsp+1)/2 bytes. */
  static String datetime2(int fsp, ByteArrayInputStream in) throws IOException {
    checkFsp(fsp);
    long intPart = bigEndian(in, 5) - DATETIMEF_INT_OFS;
    long frac = switch (fsp) {
      case 0 -> 0;
      case 1, 2 -> signedBigEndian(in, 1) * 10_000L;
      case 3, 4 -> signedBigEndian(in, 2) * 100L;
      default -> signedBigEndian(in, 3);
    };
    return datetimeFromPacked((intPart << 24) + frac, fsp, true);
  }

  /**
   * Renders MySQL's packed TIME longlong ({@code TIME_from_longlong_time_packed}): the integer part
   * (hour:10, minute:6, second:6) in the high bits, microseconds in the low 24 bits, negated as a whole
   * for negative values.
   */
  static String timeFromPacked(long packed, int fsp) {
    StringBuilder sb = new StringBuilder(17);
    if (packed < 0) {
      sb.append('-');
      packed = -packed;
    }
    long hms = packed >> 24;
    appendTime(sb, (int) ((hms >> 12) % (1 << 10)), (int) ((hms >> 6) % (1 << 6)), (int) (hms % (1 << 6)));
    appendFraction(sb, (int) (packed % (1L << 24)), fsp);
    return sb.toString();
  }

  /**
   * Renders MySQL's packed DATETIME longlong ({@code TIME_from_longlong_datetime_packed}):
   * ((year*13+month) << 5 | day) << 17 | (hour << 12 | minute << 6 | second), shifted left 24 bits
   * plus microseconds.
   */
  static String datetimeFromPacked(long packed, int fsp, boolean withTime) {
    if (packed < 0) {
      packed = -packed; // never written by a server; MySQL's own printing ignores the sign too
    }
    long ymdhms = packed >> 24;
    long ymd = ymdhms >> 17;
    long ym = ymd >> 5;
    long hms = ymdhms % (1 << 17);
    StringBuilder sb = new StringBuilder(26);
    appendDate(sb, (int) (ym / 13), (int) (ym % 13), (int) (ymd % (1 << 5)));
    if (withTime) {
      sb.append(' ');
      appendTime(sb, (int) (hms >> 12), (int) ((hms >> 6) % (1 << 6)), (int) (hms % (1 << 6)));
      appendFraction(sb, (int) (packed % (1L << 24)), fsp);
    }
    return sb.toString();
  }

  /** TIMESTAMP (old format): 4-byte little-endian unsigned seconds since the epoch. */
  static UtcTimestamp timestamp(ByteArrayInputStream in) throws IOException {
    return new UtcTimestamp(in.readLong(4), 0, 0);
  }

  /** TIMESTAMP2: 4-byte big-endian unsigned seconds plus a fraction of (fsp+1)/2 bytes. */
  static UtcTimestamp timestamp2(int fsp, ByteArrayInputStream in) throws IOException {
    checkFsp(fsp);
    long seconds = bigEndian(in, 4);
    long micros = switch (fsp) {
      case 0 -> 0;
      case 1, 2 -> bigEndian(in, 1) * 10_000L;
      case 3, 4 -> signedBigEndian(in, 2) * 100L;
      default -> signedBigEndian(in, 3);
    };
    if (micros < 0 || micros > 999_999) {
      throw new IOException("TIMESTAMP2 fraction out of range: " + micros);
    }
    return new UtcTimestamp(seconds, (int) micros, fsp);
  }

  /** YEAR: one unsigned byte, 0 is the zero year, anything else is 1900 + value. */
  static int year(ByteArrayInputStream in) throws IOException {
    int raw = in.readInteger(1);
    return raw == 0 ? 0 : 1900 + raw;
  }

  static void appendDate(StringBuilder sb, int year, int month, int day) {
    pad(sb, year, 4);
    sb.append('-');
    pad(sb, month, 2);
    sb.append('-');
    pad(sb, day, 2);
  }

  static void appendTime(StringBuilder sb, int hour, int minute, int second) {
    pad(sb, hour, 2);
    sb.append(':');
    pad(sb, minute, 2);
    sb.append(':');
    pad(sb, second, 2);
  }

  /** Appends '.' and exactly {@code fsp} digits of {@code micros} (truncating), nothing when fsp is 0. */
  static void appendFraction(StringBuilder sb, int micros, int fsp) {
    if (fsp > 0) {
      sb.append('.');
      pad(sb, micros / POW10[6 - fsp], fsp);
    }
  }

  private static void pad(StringBuilder sb, long value, int width) {
    String digits = Long.toString(value);
    for (int i = digits.length(); i < width; i++) {
      sb.append('0');
    }
    sb.append(digits);
  }

  private static void checkFsp(int fsp) throws IOException {
    if (fsp < 0 || fsp > 6) {
      throw new IOException("Fractional-second precision out of range: " + fsp);
    }
  }

  private static long bigEndian(ByteArrayInputStream in, int length) throws IOException {
    long result = 0;
    for (int i = 0; i < length; i++) {
      result = (result << 8) | in.read();
    }
    return result;
  }

  private static long signedBigEndian(ByteArrayInputStream in, int length) throws IOException {
    long v = bigEndian(in, length);
    int shift = 64 - 8 * length;
    return (v << shift) >> shift;
  }
}
