package io.ferry.worker.binlog.decode;

import com.github.shyiko.mysql.binlog.event.deserialization.AbstractRowsEventDataDeserializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.LongFunction;

/**
 * Renders MySQL's binary JSON ({@code sql-common/json_binary.cc}) as JSON text the way MySQL prints it
 * ({@code Json_wrapper::to_string}), compact (no blanks after ':' and ','):
 * <ul>
 *   <li>opaque values as {@code "base64:typeNN:<base64>"}, NN the MySQL field type code;
 *   <li>DATE as {@code "YYYY-MM-DD"}, DATETIME/TIMESTAMP as {@code "YYYY-MM-DD HH:MM:SS.ffffff"} and TIME
 *       as {@code "[-]HH:MM:SS.ffffff"} (always 6 digits, like MySQL);
 *   <li>DECIMAL as a plain number with its scale, DOUBLE with {@link Double#toString} (a JSON number
 *       that parses back to the same double), unsigned 64-bit integers unsigned;
 *   <li>strings and keys decoded as UTF-8 regardless of the platform charset.
 * </ul>
 * An empty binary value is the JSON null literal, as in MySQL's {@code json_binary::parse_binary}.
 *
 * <p>The connector's {@code JsonBinary.parseAsString} was not used: it drops the
 * {@code base64:typeNN:} prefix of opaque values, trims the fraction of DATETIME/TIME values (".000000"
 * disappears), garbles negative TIME values, and decodes keys with the platform charset.
 */
final class JsonBinaryRenderer {
  private static final int SMALL_OBJECT = 0x00;
  private static final int LARGE_OBJECT = 0x01;
  private static final int SMALL_ARRAY = 0x02;
  private static final int LARGE_ARRAY = 0x03;
  private static final int LITERAL = 0x04;
  private static final int INT16 = 0x05;
  private static final int UINT16 = 0x06;
  private static final int INT32 = 0x07;
  private static final int UINT32 = 0x08;
  private static final int INT64 = 0x09;
  private static final int UINT64 = 0x0A;
  private static final int DOUBLE = 0x0B;
  private static final int STRING = 0x0C;
  private static final int OPAQUE = 0x0F;
  private static final int MAX_DEPTH = 150;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final byte[] b;
  private final StringBuilder out;

  private JsonBinaryRenderer(byte[] binary) {
    this.b = binary;
    this.out = new StringBuilder(Math.max(16, binary.length * 2));
  }

  /** The JSON text of one binary JSON value. */
  static String render(byte[] binary) throws IOException {
    if (binary.length == 0) {
      return "null";
    }
    int type = binary[0] & 0xFF;
    if (type > OPAQUE) {
      // Not a binary JSON type byte: JSON stored as text (MariaDB style), as the connector also assumes.
      return new String(binary, StandardCharsets.UTF_8);
    }
    JsonBinaryRenderer r = new JsonBinaryRenderer(binary);
    r.value(type, 1, binary.length, 0);
    return r.out.toString();
  }

  private void value(int type, int pos, int end, int depth) throws IOException {
    switch (type) {
      case SMALL_OBJECT, LARGE_OBJECT -> container(true, type == LARGE_OBJECT, pos, end, depth);
      case SMALL_ARRAY, LARGE_ARRAY -> container(false, type == LARGE_ARRAY, pos, end, depth);
      case LITERAL -> literal(uint(pos, 1, end));
      case INT16 -> out.append((short) uint(pos, 2, end));
      case UINT16 -> out.append(uint(pos, 2, end));
      case INT32 -> out.append((int) uint(pos, 4, end));
      case UINT32 -> out.append(uint(pos, 4, end));
      case INT64 -> out.append(uint(pos, 8, end));
      case UINT64 -> out.append(Long.toUnsignedString(uint(pos, 8, end)));
      case DOUBLE -> out.append(Double.toString(Double.longBitsToDouble(uint(pos, 8, end))));
      case STRING -> string(pos, end);
      case OPAQUE -> opaque(pos, end);
      default -> throw new IOException("Unknown binary JSON value type 0x" + Integer.toHexString(type));
    }
  }

  private void container(boolean object, boolean large, int start, int end, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("Binary JSON nested deeper than " + MAX_DEPTH);
    }
    int w = large ? 4 : 2;
    long count = uint(start, w, end);
    long size = uint(start + w, w, end);
    if (size > end - start || count > size) {
      throw new IOException("Binary JSON container size " + size + " exceeds its " + (end - start) + " bytes");
    }
    int limit = start + (int) size;
    int keyEntries = start + 2 * w;
    int valueEntries = object ? keyEntries + (int) count * (w + 2) : keyEntries;
    out.append(object ? '{' : '[');
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        out.append(',');
      }
      if (object) {
        int keyEntry = keyEntries + i * (w + 2);
        long keyOffset = uint(keyEntry, w, limit);
        int keyLength = (int) uint(keyEntry + w, 2, limit);
        checkRange(start + keyOffset, keyLength, limit);
        quote(new String(b, start + (int) keyOffset, keyLength, StandardCharsets.UTF_8));
        out.append(':');
      }
      int entry = valueEntries + i * (1 + w);
      int type = (int) uint(entry, 1, limit);
      if (type == LITERAL || type == INT16 || type == UINT16 || (large && (type == INT32 || type == UINT32))) {
        value(type, entry + 1, limit, depth + 1); // small scalars are inlined in the value entry
      } else {
        long offset = uint(entry + 1, w, limit);
        checkRange(start + offset, 1, limit);
        value(type, start + (int) offset, limit, depth + 1);
      }
    }
    out.append(object ? '}' : ']');
  }

  private void literal(long v) throws IOException {
    switch ((int) v) {
      case 0 -> out.append("null");
      case 1 -> out.append("true");
      case 2 -> out.append("false");
      default -> throw new IOException("Unknown binary JSON literal " + v);
    }
  }

  private void string(int pos, int end) throws IOException {
    int[] cursor = {pos};
    int length = varLength(cursor, end);
    checkRange(cursor[0], length, end);
    quote(new String(b, cursor[0], length, StandardCharsets.UTF_8));
  }

  private void opaque(int pos, int end) throws IOException {
    int fieldType = (int) uint(pos, 1, end);
    int[] cursor = {pos + 1};
    int length = varLength(cursor, end);
    checkRange(cursor[0], length, end);
    byte[] data = Arrays.copyOfRange(b, cursor[0], cursor[0] + length);
    switch (fieldType) {
      case 246 -> decimal(data); // NEWDECIMAL: precision, scale, then the decimal's binary form
      case 10 -> temporal(data, p -> TemporalDecoder.datetimeFromPacked(p, 0, false)); // DATE
      case 11, 19 -> temporal(data, p -> TemporalDecoder.timeFromPacked(p, 6)); // TIME, TIME2
      case 7, 12, 17, 18 -> temporal(data, p -> TemporalDecoder.datetimeFromPacked(p, 6, true));
      default -> {
        out.append("\"base64:type").append(fieldType).append(':');
        out.append(Base64.getEncoder().encodeToString(data)).append('"');
      }
    }
  }

  private void decimal(byte[] data) throws IOException {
    if (data.length < 3) {
      throw new IOException("Binary JSON decimal of " + data.length + " bytes");
    }
    int precision = data[0] & 0xFF;
    int scale = data[1] & 0xFF;
    BigDecimal value = AbstractRowsEventDataDeserializer.asBigDecimal(precision, scale,
        Arrays.copyOfRange(data, 2, data.length));
    out.append(value.setScale(scale).toPlainString());
  }

  private void temporal(byte[] data, LongFunction<String> format) throws IOException {
    if (data.length != 8) {
      throw new IOException("Binary JSON temporal value of " + data.length + " bytes, expected 8");
    }
    long packed = 0;
    for (int i = 7; i >= 0; i--) {
      packed = (packed << 8) | (data[i] & 0xFF);
    }
    out.append('"').append(format.apply(packed)).append('"');
  }

  private void quote(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** MySQL's variable-length integer: 7 bits a byte, low bits first, high bit = more bytes follow. */
  private int varLength(int[] cursor, int end) throws IOException {
    long length = 0;
    for (int i = 0; i < 5; i++) {
      int v = (int) uint(cursor[0]++, 1, end);
      length |= (long) (v & 0x7F) << (7 * i);
      if ((v & 0x80) == 0) {
        if (length > Integer.MAX_VALUE) {
          break;
        }
        return (int) length;
      }
    }
    throw new IOException("Bad variable-length integer in binary JSON");
  }

  /** Little-endian unsigned integer of {@code width} bytes at {@code pos}, which must end before {@code end}. */
  private long uint(long pos, int width, int end) throws IOException {
    checkRange(pos, width, end);
    long v = 0;
    for (int i = width - 1; i >= 0; i--) {
      v = (v << 8) | (b[(int) pos + i] & 0xFF);
    }
    return v;
  }

  private void checkRange(long pos, long length, int end) throws IOException {
    if (pos < 0 || length < 0 || pos + length > end) {
      throw new IOException("Binary JSON truncated: need " + length + " bytes at " + pos + ", value ends at " + end);
    }
  }
}
