package io.ferry.worker.binlog.decode;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import java.io.Serializable;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Gives BINARY(n) cells back the trailing {@code 0x00} bytes the server leaves out of row events.
 *
 * <p>{@code Field_string::pack} strips the pad character of single-byte character sets from CHAR values, and the
 * pad character of {@code binary} is {@code 0x00}: BINARY(8) {@code 0x0102000000000000} is logged as {@code 0x0102}.
 * A replica pads it back when it unpacks the row. Ferry must too: writing {@code 0x0102} into the column stores
 * the same value, but comparing {@code 0x0102} with the stored value does not match, so a delete by a BINARY key
 * or a keyless update/delete matched on the row image would silently miss the row.
 *
 * <p>The binlog only says which CHAR columns are BINARY in the table map's optional metadata (DEFAULT_CHARSET or
 * COLUMN_CHARSET, written with {@code binlog_row_metadata} MINIMAL or FULL): collation 63 is {@code binary}.
 * Those fields list one collation per character column, counted in column order over the columns the server
 * treats as character columns: CHAR/BINARY (not ENUM/SET, which have their own fields), VARCHAR/VARBINARY,
 * TEXT/BLOB and GEOMETRY (MySQL's and MariaDB's {@code is_character_type}; JSON is not one). Without that metadata
 * ({@code NO_LOG}, or servers older than MySQL 8.0.1 / MariaDB 10.5) nothing is padded. So is nothing when the
 * table has a column type whose membership is not known (VECTOR) or the metadata does not fit the count.
 */
final class BinaryPadding {
  private static final int BINARY_COLLATION = 63;
  private static final int VARCHAR = 15;
  private static final int VECTOR = 242;
  private static final int ENUM = 247;
  private static final int SET = 248;
  private static final int TINY_BLOB = 249;
  private static final int BLOB = 252;
  private static final int VAR_STRING = 253;
  private static final int STRING = 254;
  private static final int GEOMETRY = 255;

  private TableMapEventData lastMap;
  private int[] lastPad;

  /** Pads the BINARY cells of one decoded row image in place. */
  void restore(TableMapEventData map, BitSet includedColumns, Serializable[] row) {
    if (map == null) {
      return;
    }
    if (map != lastMap) {
      lastPad = padLengths(map);
      lastMap = map;
    }
    int[] pad = lastPad;
    if (pad == null) {
      return;
    }
    for (int i = 0, cell = 0; i < pad.length && cell < row.length; i++) {
      if (!includedColumns.get(i)) {
        continue;
      }
      if (pad[i] > 0 && row[cell] instanceof byte[] b && b.length < pad[i]) {
        row[cell] = Arrays.copyOf(b, pad[i]);
      }
      cell++;
    }
  }

  /**
   * For each column, the byte length of a BINARY(n) column (n), else 0; null when no column needs padding or the
   * table map does not say which columns are binary.
   */
  static int[] padLengths(TableMapEventData map) {
    TableMapEventMetadata meta = map.getEventMetadata();
    if (meta == null || (meta.getDefaultCharset() == null && meta.getColumnCharsets() == null)) {
      return null;
    }
    byte[] types = map.getColumnTypes();
    int[] metadata = map.getColumnMetadata();
    int[] binaryLength = new int[types.length];
    int[] charIndex = new int[types.length];
    int characterColumns = 0;
    for (int i = 0; i < types.length; i++) {
      int code = types[i] & 0xFF;
      charIndex[i] = -1;
      if (code == VECTOR) {
        return null;
      }
      if (code == STRING) {
        StringMeta string = StringMeta.of(metadata[i]);
        int real = string.type();
        int length = string.length();
        if (real == ENUM || real == SET) {
          continue;
        }
        binaryLength[i] = length;
        charIndex[i] = characterColumns++;
      } else if (code == VARCHAR || code == VAR_STRING || (code >= TINY_BLOB && code <= BLOB) || code == GEOMETRY) {
        charIndex[i] = characterColumns++;
      }
    }
    int[] pad = new int[types.length];
    boolean any = false;
    List<Integer> perColumn = meta.getColumnCharsets();
    if (perColumn != null && perColumn.size() != characterColumns) {
      return null;
    }
    Map<Integer, Integer> exceptions = null;
    int defaultCollation = -1;
    if (perColumn == null) {
      defaultCollation = meta.getDefaultCharset().getDefaultCharsetCollation();
      exceptions = meta.getDefaultCharset().getCharsetCollations();
      if (exceptions != null) {
        for (int k : exceptions.keySet()) {
          if (k < 0 || k >= characterColumns) {
            return null;
          }
        }
      }
    }
    for (int i = 0; i < types.length; i++) {
      if (charIndex[i] < 0 || binaryLength[i] == 0) {
        continue;
      }
      int collation = perColumn != null ? perColumn.get(charIndex[i])
          : exceptions != null && exceptions.containsKey(charIndex[i]) ? exceptions.get(charIndex[i]) : defaultCollation;
      if (collation == BINARY_COLLATION) {
        pad[i] = binaryLength[i];
        any = true;
      }
    }
    return any ? pad : null;
  }
}
