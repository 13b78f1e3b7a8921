package io.ferry.worker.binlog.decode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Test-side encoder of MySQL's binary JSON format ({@code sql-common/json_binary.cc}). */
final class JsonBinaryWriter {
  /** A value: its type byte and its data (without the type byte). */
  record V(int type, byte[] data) {
  }

  private JsonBinaryWriter() {
  }

  static byte[] doc(V v) {
    return MySqlPacking.concat(new byte[] {(byte) v.type}, v.data);
  }

  static V literal(int code) {
    return new V(0x04, new byte[] {(byte) code});
  }

  static V int16(int v) {
    return new V(0x05, MySqlPacking.littleEndian(v, 2));
  }

  static V int32(int v) {
    return new V(0x07, MySqlPacking.littleEndian(v, 4));
  }

  static V uint32(long v) {
    return new V(0x08, MySqlPacking.littleEndian(v, 4));
  }

  static V int64(long v) {
    return new V(0x09, MySqlPacking.littleEndian(v, 8));
  }

  static V uint64(long bits) {
    return new V(0x0A, MySqlPacking.littleEndian(bits, 8));
  }

  static V dbl(double d) {
    return new V(0x0B, MySqlPacking.littleEndian(Double.doubleToLongBits(d), 8));
  }

  static V str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return new V(0x0C, MySqlPacking.concat(varLength(b.length), b));
  }

  static V opaque(int fieldType, byte[] data) {
    return new V(0x0F, MySqlPacking.concat(new byte[] {(byte) fieldType}, varLength(data.length), data));
  }

  static V object(boolean large, String[] keys, V... values) {
    return container(true, large, keys, values);
  }

  static V array(boolean large, V... values) {
    return container(false, large, new String[0], values);
  }

  private static V container(boolean object, boolean large, String[] keys, V[] values) {
    int w = large ? 4 : 2;
    int n = values.length;
    int headerSize = 2 * w + (object ? n * (w + 2) : 0) + n * (1 + w);
    ByteArrayOutputStream tail = new ByteArrayOutputStream();
    int[] keyOffsets = new int[n];
    byte[][] keyBytes = new byte[n][];
    for (int i = 0; object && i < n; i++) {
      keyBytes[i] = keys[i].getBytes(StandardCharsets.UTF_8);
      keyOffsets[i] = headerSize + tail.size();
      tail.writeBytes(keyBytes[i]);
    }
    byte[][] entries = new byte[n][];
    for (int i = 0; i < n; i++) {
      V v = values[i];
      boolean inline = v.type == 0x04 || v.type == 0x05 || v.type == 0x06
          || (large && (v.type == 0x07 || v.type == 0x08));
      byte[] slot = new byte[w];
      if (inline) {
        System.arraycopy(v.data, 0, slot, 0, v.data.length);
      } else {
        slot = MySqlPacking.littleEndian(headerSize + tail.size(), w);
        tail.writeBytes(v.data);
      }
      entries[i] = MySqlPacking.concat(new byte[] {(byte) v.type}, slot);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(MySqlPacking.littleEndian(n, w));
    out.writeBytes(MySqlPacking.littleEndian(headerSize + tail.size(), w));
    for (int i = 0; object && i < n; i++) {
      out.writeBytes(MySqlPacking.littleEndian(keyOffsets[i], w));
      out.writeBytes(MySqlPacking.littleEndian(keyBytes[i].length, 2));
    }
    for (byte[] e : entries) {
      out.writeBytes(e);
    }
    out.writeBytes(tail.toByteArray());
    int type = object ? (large ? 0x01 : 0x00) : (large ? 0x03 : 0x02);
    return new V(type, out.toByteArray());
  }

  private static byte[] varLength(int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int v = length;
    do {
      int b = v & 0x7F;
      v >>>= 7;
      out.write(v != 0 ? b | 0x80 : b);
    } while (v != 0);
    return out.toByteArray();
  }
}
