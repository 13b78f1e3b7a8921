package io.ferry.worker.binlog.decode;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.MissingTableMapEventException;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Reads the row images of rows events as the connector's {@code AbstractRowsEventDataDeserializer.deserializeRow}
 * (0.41.0) does — the same columns, types, metadata and lengths handed to {@link RowValueDecoder} — without its
 * per-row costs: it looked the table map up in the LRU cache (boxing the table id, reordering the cache), counted the
 * included columns bit by bit, built a {@code BitSet} of the null columns, and found each cell's
 * {@link ColumnType} in a {@code HashMap}, for every row. Here the table map is looked up once per rows event (see
 * {@link #newEvent}), the columns' types and lengths once per table map, and the null bitmap is read into a reused
 * array. BINARY(n) cells are padded back by {@link BinaryPadding}. One instance per deserializer; not thread-safe.
 */
final class RowImages {
  /** A table map's columns as the cell decoder takes them. */
  private record Columns(TableMapEventData map, ColumnType[] types, int[] meta, int[] lengths) {}

  private final Map<Long, TableMapEventData> tableMaps;
  private final BinaryPadding padding;
  private long tableId = -1;
  private Columns columns;
  private byte[] nulls = new byte[16];
  private final ArrayCursor cursor = new ArrayCursor();
  /** The rows part of the event being read; kept from event to event (the cells are copied out of it). */
  private byte[] body = new byte[8192];

  RowImages(Map<Long, TableMapEventData> tableMaps) {
    this.tableMaps = tableMaps;
    this.padding = new BinaryPadding();
  }

  /** A new rows event starts: its table id may now name another table map. */
  void newEvent() {
    tableId = -1;
  }

  /**
   * Reads the start of a rows event's body as the connector's rows deserializers (0.41.0) do: the table
   * id, the flags, and in a v2 event its extra data; the column count and bitmaps follow.
   */
  static long tableId(ByteArrayInputStream in, boolean mayContainExtraInformation) throws IOException {
    long id = in.readLong(6);
    in.skip(2); // flags
    if (mayContainExtraInformation) {
      int extraLength = in.readInteger(2);
      in.skip(extraLength - 2);
    }
    return id;
  }

  /**
   * The rest of the event's body (its row images), copied out of {@code in} to be read straight from an array:
   * into a buffer kept from event to event up to {@link StrictEventDeserializer#KEPT_BUFFER}, so that one event
   * with a huge row does not pin its size in memory.
   */
  ArrayCursor rows(ByteArrayInputStream in) throws IOException {
    int length = in.available();
    byte[] into = body;
    if (into.length < length) {
      into = new byte[Math.max(length, Math.min(body.length * 2, StrictEventDeserializer.KEPT_BUFFER))];
      if (into.length <= StrictEventDeserializer.KEPT_BUFFER) {
        body = into;
      }
    }
    in.fill(into, 0, length);
    return cursor.reset(into, 0, length);
  }

  /** Every row image left in {@code rows}, one per row (write and delete events); then lets go of the array. */
  List<Serializable[]> readAll(long tableId, BitSet included, ArrayCursor rows) throws IOException {
    List<Serializable[]> result = new ArrayList<>();
    while (rows.available() > 0) {
      result.add(read(tableId, included, rows));
    }
    rows.close();
    return result;
  }

  /** The size of the buffer kept for the next event's rows. */
  int keptBuffer() {
    return body.length;
  }

  Serializable[] read(long tableId, BitSet included, ByteArrayInputStream in) throws IOException {
    if (tableId != this.tableId) {
      TableMapEventData map = tableMaps.get(tableId);
      if (map == null) {
        throw new MissingTableMapEventException("No TableMapEventData has been found for table id:" + tableId
            + ". Usually that means that you have started reading binary log 'within the logical event group'"
            + " (e.g. from WRITE_ROWS and not proceeding TABLE_MAP");
      }
      if (columns == null || columns.map != map) {
        columns = columns(map);
      }
      this.tableId = tableId;
    }
    Serializable[] row = new Serializable[included.cardinality()];
    int nullBytes = (row.length + 7) >> 3;
    if (nulls.length < nullBytes) {
      nulls = new byte[nullBytes];
    }
    in.fill(nulls, 0, nullBytes);
    ColumnType[] types = columns.types;
    for (int i = 0, index = 0; i < types.length; i++) {
      if (!included.get(i)) {
        continue;
      }
      if ((nulls[index >> 3] & (1 << (index & 7))) == 0) {
        row[index] = RowValueDecoder.decode(types[i], columns.meta[i], columns.lengths[i], in);
      }
      index++;
    }
    padding.restore(columns.map, included, row);
    return row;
  }

  /** Each column's type and length as the connector works them out (a STRING's real type is in its metadata). */
  private static Columns columns(TableMapEventData map) {
    byte[] codes = map.getColumnTypes();
    int[] meta = map.getColumnMetadata();
    ColumnType[] types = new ColumnType[codes.length];
    int[] lengths = new int[codes.length];
    for (int i = 0; i < codes.length; i++) {
      int typeCode = codes[i] & 0xFF;
      int length = 0;
      if (typeCode == StringMeta.STRING) {
        StringMeta string = StringMeta.of(meta[i]);
        typeCode = string.type();
        length = string.length();
      }
      types[i] = ColumnType.byCode(typeCode);
      lengths[i] = length;
    }
    return new Columns(map, types, meta, lengths);
  }
}
