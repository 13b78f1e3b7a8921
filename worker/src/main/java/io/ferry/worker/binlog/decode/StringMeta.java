package io.ferry.worker.binlog.decode;

/**
 * What the table map's metadata says of a column logged as STRING (254): its real type (CHAR/BINARY, ENUM or SET)
 * and its length in bytes, as the connector's rows deserializer works them out (the type's high bits and the
 * length's high bits share the first metadata byte).
 */
record StringMeta(int type, int length) {
  static final int STRING = 254;
  private static final int ENUM = 247;
  private static final int SET = 248;

  static StringMeta of(int meta) {
    if (meta < 256) {
      return new StringMeta(STRING, meta);
    }
    int meta0 = meta >> 8;
    int meta1 = meta & 0xFF;
    if ((meta0 & 0x30) != 0x30) {
      return new StringMeta(meta0 | 0x30, meta1 | (((meta0 & 0x30) ^ 0x30) << 4));
    }
    return new StringMeta(meta0 == ENUM || meta0 == SET ? meta0 : STRING, meta1);
  }
}
