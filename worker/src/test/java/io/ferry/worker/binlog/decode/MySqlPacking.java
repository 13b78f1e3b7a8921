package io.ferry.worker.binlog.decode;

import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;

/**
 * Test-side encoders written from MySQL's {@code mysys/my_time.cc} packing functions
 * ({@code TIME_to_longlong_time_packed}, {@code my_time_packed_to_binary},
 * {@code TIME_to_longlong_datetime_packed}, {@code my_datetime_packed_to_binary},
 * {@code my_timestamp_to_binary}), so the decoder is checked against the server's own formulas rather
 * than against itself. C's {@code >>} on a negative longlong is arithmetic and {@code %} truncates toward
 * zero, exactly like Java's.
 */
final class MySqlPacking {
  private MySqlPacking() {
  }

  static ByteArrayInputStream in(byte[] bytes) {
    return new ByteArrayInputStream(bytes);
  }

  /** TIME_to_longlong_time_packed. */
  static long timePacked(boolean neg, int hour, int minute, int second, int micros) {
    long hms = ((long) hour << 12) | ((long) minute << 6) | second;
    long tmp = (hms << 24) + micros;
    return neg ? -tmp : tmp;
  }

  /** my_time_packed_to_binary. */
  static byte[] time2(long nr, int dec) {
    byte[] out = new byte[3 + (dec + 1) / 2];
    long intPart = nr >> 24;
    long frac = nr % (1L << 24);
    switch (dec) {
      case 0 -> storeBigEndian(out, 0, 3, 0x800000L + intPart);
      case 1, 2 -> {
        storeBigEndian(out, 0, 3, 0x800000L + intPart);
        out[3] = (byte) (frac / 10_000);
      }
      case 3, 4 -> {
        storeBigEndian(out, 0, 3, 0x800000L + intPart);
        storeBigEndian(out, 3, 2, frac / 100);
      }
      default -> storeBigEndian(out, 0, 6, nr + 0x800000000000L);
    }
    return out;
  }

  /** TIME_to_longlong_datetime_packed. */
  static long datetimePacked(int year, int month, int day, int hour, int minute, int second, int micros) {
    long ymd = ((long) (year * 13 + month) << 5) | day;
    long hms = ((long) hour << 12) | ((long) minute << 6) | second;
    return (((ymd << 17) | hms) << 24) + micros;
  }

  /** my_datetime_packed_to_binary. */
  static byte[] datetime2(long nr, int dec) {
    byte[] out = new byte[5 + (dec + 1) / 2];
    storeBigEndian(out, 0, 5, (nr >> 24) + 0x8000000000L);
    long frac = nr % (1L << 24);
    switch (dec) {
      case 0 -> {
      }
      case 1, 2 -> out[5] = (byte) (frac / 10_000);
      case 3, 4 -> storeBigEndian(out, 5, 2, frac / 100);
      default -> storeBigEndian(out, 5, 3, frac);
    }
    return out;
  }

  /** my_timestamp_to_binary. */
  static byte[] timestamp2(long seconds, int micros, int dec) {
    byte[] out = new byte[4 + (dec + 1) / 2];
    storeBigEndian(out, 0, 4, seconds);
    switch (dec) {
      case 0 -> {
      }
      case 1, 2 -> out[4] = (byte) (micros / 10_000);
      case 3, 4 -> storeBigEndian(out, 4, 2, micros / 100);
      default -> storeBigEndian(out, 4, 3, micros);
    }
    return out;
  }

  /** Field_newdate::store: day | month << 5 | year << 9, 3 bytes little-endian. */
  static byte[] date(int year, int month, int day) {
    return littleEndian(day | (month << 5) | (year << 9), 3);
  }

  static byte[] littleEndian(long value, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) (value >>> (8 * i));
    }
    return out;
  }

  static void storeBigEndian(byte[] out, int offset, int length, long value) {
    for (int i = 0; i < length; i++) {
      out[offset + i] = (byte) (value >>> (8 * (length - 1 - i)));
    }
  }

  static byte[] hex(String hex) {
    String h = hex.replace(" ", "");
    byte[] out = new byte[h.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
