package io.ferry.worker.binlog.decode;

import com.github.shyiko.mysql.binlog.event.deserialization.AbstractRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;

/**
 * Decodes one non-null row cell into the representation the applier relies on:
 * <pre>
 * TINY, SHORT, INT24, LONG          Integer (signed, as stored; see {@link Unsigned})
 * LONGLONG                          Long (signed, as stored)
 * FLOAT / DOUBLE                    Float / Double
 * NEWDECIMAL                        BigDecimal with the column's scale
 * DATE                              String "YYYY-MM-DD", zero parts kept
 * DATETIME, DATETIME2               String "YYYY-MM-DD HH:MM:SS[.f{fsp}]", zero parts kept
 * TIME, TIME2                       String "[-]HH:MM:SS[.f{fsp}]", hours up to 838 (more if stored)
 * TIMESTAMP, TIMESTAMP2             {@link UtcTimestamp}
 * YEAR                              Integer: 0, else 1900 + stored byte
 * BIT(n)                            byte[] of (n+7)/8 bytes, big-endian, as stored
 * CHAR, VARCHAR, BINARY, VARBINARY,
 * BLOB/TEXT, GEOMETRY, VECTOR       byte[] (raw bytes, no charset decoding; BINARY(n) as logged, without
 *                                   trailing 0x00: the Exact*RowsDeserializers pad it, see {@link BinaryPadding})
 * ENUM                              Integer (1-based index, 0 = the '' error value)
 * SET                               Long bitmask
 * JSON                              {@link JsonText}
 * </pre>
 * {@code meta} and {@code length} are what {@link RowImages} passes, as the connector's {@code deserializeRow}
 * passes them to {@code deserializeCell} (for CHAR/ENUM/SET the real type and byte length already unpacked).
 */
final class RowValueDecoder {
  private static final int DIG_PER_DEC = 9;
  private static final int[] DIG_TO_BYTES = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};

  private RowValueDecoder() {
  }

  static Serializable decode(ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException {
    if (type == null) {
      throw new IOException("Unsupported column type in table map");
    }
    return switch (type) {
      case TINY -> (int) (byte) in.readInteger(1);
      case SHORT -> (int) (short) in.readInteger(2);
      case INT24 -> (in.readInteger(3) << 8) >> 8;
      case LONG -> in.readInteger(4);
      case LONGLONG -> in.readLong(8);
      case FLOAT -> Float.intBitsToFloat(in.readInteger(4));
      case DOUBLE -> Double.longBitsToDouble(in.readLong(8));
      case NEWDECIMAL -> decimal(meta, in);
      case DATE -> TemporalDecoder.date(in);
      case TIME -> TemporalDecoder.time(in);
      case TIME_V2 -> TemporalDecoder.time2(meta, in);
      case DATETIME -> TemporalDecoder.datetime(in);
      case DATETIME_V2 -> TemporalDecoder.datetime2(meta, in);
      case TIMESTAMP -> TemporalDecoder.timestamp(in);
      case TIMESTAMP_V2 -> TemporalDecoder.timestamp2(meta, in);
      case YEAR -> TemporalDecoder.year(in);
      case BIT -> bit(meta, in);
      // CHAR/BINARY: 'length' is the column's maximum byte length, which sizes the length prefix.
      case STRING -> in.read(in.readInteger(length < 256 ? 1 : 2));
      case VARCHAR, VAR_STRING -> in.read(in.readInteger(meta < 256 ? 1 : 2));
      case BLOB, TINY_BLOB, MEDIUM_BLOB, LONG_BLOB, GEOMETRY, VECTOR -> lengthPrefixed(meta, in);
      case ENUM -> in.readInteger(length);
      case SET -> in.readLong(length);
      case JSON -> new JsonText(JsonBinaryRenderer.render(lengthPrefixed(meta, in)));
      default -> throw new IOException("Unsupported column type " + type);
    };
  }

  /** BIT(n): meta low byte = n % 8, high byte = n / 8; stored as (n+7)/8 big-endian bytes. */
  static byte[] bit(int meta, ByteArrayInputStream in) throws IOException {
    int bits = (meta >> 8) * 8 + (meta & 0xFF);
    return in.read((bits + 7) / 8);
  }

  /** NEWDECIMAL: meta low byte = precision, high byte = scale; MySQL's decimal2bin format. */
  static java.math.BigDecimal decimal(int meta, ByteArrayInputStream in) throws IOException {
    int precision = meta & 0xFF;
    int scale = meta >> 8;
    if (scale > precision || precision == 0) {
      throw new IOException("Bad DECIMAL metadata: precision " + precision + ", scale " + scale);
    }
    int intDigits = precision - scale;
    int size = (intDigits / DIG_PER_DEC) * 4 + DIG_TO_BYTES[intDigits % DIG_PER_DEC]
        + (scale / DIG_PER_DEC) * 4 + DIG_TO_BYTES[scale % DIG_PER_DEC];
    return AbstractRowsEventDataDeserializer.asBigDecimal(precision, scale, in.read(size)).setScale(scale);
  }

  private static byte[] lengthPrefixed(int lengthBytes, ByteArrayInputStream in) throws IOException {
    if (lengthBytes < 1 || lengthBytes > 4) {
      throw new IOException("Bad length-prefix size " + lengthBytes);
    }
    long length = in.readLong(lengthBytes);
    if (length > Integer.MAX_VALUE - 16) {
      throw new IOException("Cell of " + length + " bytes is too large");
    }
    return in.read((int) length);
  }
}
