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
      "mysql-cdc-rs/8.0/31_update_rows_v2/binlog.000001",
      "mysql-cdc-rs/8.0/32_delete_rows_v2/binlog.000001"})
  void sameRowsAsTheConnectorsLoop(String fixture) throws IOException {
    byte[] file = BinlogFixtures.bytes(fixture);
    List<String> ours = rows(BinlogFixtures.read(file, BinlogEventDeserializers.create()));
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
    List<String> theirs = rows(BinlogFixtures.read(file, connector));
    assertThat(ours).isNotEmpty();
    assertThat(ours).isEqualTo(theirs);
  }

  private static List<String> rows(List<Event> events) {
    List<String> out = new ArrayList<>();
    for (Event e : events) {
      Object data = e.getData();
      if (data instanceof WriteRowsEventData w) {
        w.getRows().forEach(row -> out.add("write " + Arrays.deepToString(row)));
      } else if (data instanceof DeleteRowsEventData d) {
        d.getRows().forEach(row -> out.add("delete " + Arrays.deepToString(row)));
      } else if (data instanceof UpdateRowsEventData u) {
        u.getRows().forEach(row -> out.add("update " + Arrays.deepToString(row.getKey()) + " -> "
            + Arrays.deepToString(row.getValue())));
      }
    }
    return out;
  }

  private static Serializable[] padded(Map<Long, TableMapEventData> maps, BinaryPadding padding, long tableId,
      BitSet included, Serializable[] row) {
    padding.restore(maps.get(tableId), included, row);
    return row;
  }

  /** The connector's loop (its deserializeRow), with Ferry's cell decoder and padding. */
  private static final class Write extends WriteRowsEventDataDeserializer {
    private final Map<Long, TableMapEventData> maps;
    private final BinaryPadding padding = new BinaryPadding();

    Write(Map<Long, TableMapEventData> maps) {
      super(maps);
      this.maps = maps;
    }

    @Override
    protected Serializable[] deserializeRow(long tableId, BitSet included, ByteArrayInputStream in) throws IOException {
      return padded(maps, padding, tableId, included, super.deserializeRow(tableId, included, in));
    }

    @Override
    protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
        throws IOException {
      return RowValueDecoder.decode(type, meta, length, in);
    }
  }

  private static final class Update extends UpdateRowsEventDataDeserializer {
    private final Map<Long, TableMapEventData> maps;
    private final BinaryPadding padding = new BinaryPadding();

    Update(Map<Long, TableMapEventData> maps) {
      super(maps);
      this.maps = maps;
    }

    @Override
    protected Serializable[] deserializeRow(long tableId, BitSet included, ByteArrayInputStream in) throws IOException {
      return padded(maps, padding, tableId, included, super.deserializeRow(tableId, included, in));
    }

    @Override
    protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
        throws IOException {
      return RowValueDecoder.decode(type, meta, length, in);
    }
  }

  private static final class Delete extends DeleteRowsEventDataDeserializer {
    private final Map<Long, TableMapEventData> maps;
    private final BinaryPadding padding = new BinaryPadding();

    Delete(Map<Long, TableMapEventData> maps) {
      super(maps);
      this.maps = maps;
    }

    @Override
    protected Serializable[] deserializeRow(long tableId, BitSet included, ByteArrayInputStream in) throws IOException {
      return padded(maps, padding, tableId, included, super.deserializeRow(tableId, included, in));
    }

    @Override
    protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
        throws IOException {
      return RowValueDecoder.decode(type, meta, length, in);
    }
  }
}
