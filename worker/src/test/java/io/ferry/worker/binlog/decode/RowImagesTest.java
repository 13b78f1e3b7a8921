package io.ferry.worker.binlog.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.LRUCache;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.DeleteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.UpdateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.WriteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RowImages} reads rows as the connector's own {@code deserializeRow} does: every fixture's rows events
 * decode to the same values through both (the connector's loop with the same cell decoder and padding).
 */
class RowImagesTest {
  @ParameterizedTest
  @ValueSource(strings = {"rust_mysql_common/mariadb-bin.000001", "rust_mysql_common/json.binlog.000001",
      "rust_mysql_common/mysql-enum-string-set.000001", "rust_mysql_common/mysql_type_bit.000001",
      "rust_mysql_common/time_issue.000001", "rust_mysql_common/binlog-invisible-columns.000001",
      "rust_mysql_common/minimal_row_metadata.000001", "MySqlCdc/mysql-bin.000001",
      "mysql-cdc-rs/8.0/31_update_rows_v2/binlog.000001", "mysql-cdc-rs/8.0/32_delete_rows_v2/binlog.000001"})
  void sameRowsAsTheConnectorsLoop(String fixture) throws IOException {
    byte[] file = BinlogFixtures.bytes(fixture);
    List<String> ours = rows(BinlogFixtures.read(file, BinlogEventDeserializers.create()), false);
    Map<Long, TableMapEventData> cache = new LRUCache<>(100, 0.75f, 10_000);
    EventDeserializer connector = BinlogEventDeserializers.create(cache);
    connector.setEventDataDeserializer(EventType.WRITE_ROWS, new Write(cache));
    connector.setEventDataDeserializer(EventType.EXT_WRITE_ROWS, new Write(cache).setMayContainExtraInformation(true));
    connector.setEventDataDeserializer(EventType.UPDATE_ROWS, new Update(cache));
    connector.setEventDataDeserializer(EventType.EXT_UPDATE_ROWS,
        new Update(cache).setMayContainExtraInformation(true));
    connector.setEventDataDeserializer(EventType.DELETE_ROWS, new Delete(cache));
    connector.setEventDataDeserializer(EventType.EXT_DELETE_ROWS,
        new Delete(cache).setMayContainExtraInformation(true));
    List<String> theirs = rows(BinlogFixtures.read(file, connector), true);
    assertThat(ours).isNotEmpty();
    assertThat(ours).isEqualTo(theirs);
  }

  /** Every row image rendered by content; {@code pad}: BINARY cells padded here, with the table map in effect. */
  private static List<String> rows(List<Event> events, boolean pad) {
    List<String> out = new ArrayList<>();
    Map<Long, TableMapEventData> maps = new HashMap<>();
    BinaryPadding padding = new BinaryPadding();
    for (Event e : events) {
      Object data = e.getData();
      if (data instanceof TableMapEventData t) {
        maps.put(t.getTableId(), t);
      } else if (data instanceof WriteRowsEventData w) {
        w.getRows().forEach(row -> out.add("write " + render(pad, padding, maps.get(w.getTableId()),
            w.getIncludedColumns(), row)));
      } else if (data instanceof DeleteRowsEventData d) {
        d.getRows().forEach(row -> out.add("delete " + render(pad, padding, maps.get(d.getTableId()),
            d.getIncludedColumns(), row)));
      } else if (data instanceof UpdateRowsEventData u) {
        TableMapEventData map = maps.get(u.getTableId());
        u.getRows().forEach(row -> out.add("update "
            + render(pad, padding, map, u.getIncludedColumnsBeforeUpdate(), row.getKey()) + " -> "
            + render(pad, padding, map, u.getIncludedColumns(), row.getValue())));
      }
    }
    return out;
  }

  private static String render(boolean pad, BinaryPadding padding, TableMapEventData map, BitSet included,
      Serializable[] row) {
    if (pad) {
      padding.restore(map, included, row);
    }
    return Arrays.deepToString(row);
  }

  /** The connector's row loop with Ferry's cell decoder (and no padding: see {@link #rows}). */
  private static final class Write extends WriteRowsEventDataDeserializer {
    Write(Map<Long, TableMapEventData> maps) {
      super(maps);
    }

    @Override
    protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
        throws IOException {
      return RowValueDecoder.decode(type, meta, length, in);
    }
  }

  private static final class Update extends UpdateRowsEventDataDeserializer {
    Update(Map<Long, TableMapEventData> maps) {
      super(maps);
    }

    @Override
    protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
        throws IOException {
      return RowValueDecoder.decode(type, meta, length, in);
    }
  }

  private static final class Delete extends DeleteRowsEventDataDeserializer {
    Delete(Map<Long, TableMapEventData> maps) {
      super(maps);
    }

    @Override
    protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
        throws IOException {
      return RowValueDecoder.decode(type, meta, length, in);
    }
  }
}
