package io.ferry.worker.binlog.decode;

import static io.ferry.worker.binlog.decode.MySqlPacking.concat;
import static io.ferry.worker.binlog.decode.MySqlPacking.datetime2;
import static io.ferry.worker.binlog.decode.MySqlPacking.datetimePacked;
import static io.ferry.worker.binlog.decode.MySqlPacking.hex;
import static io.ferry.worker.binlog.decode.MySqlPacking.littleEndian;
import static io.ferry.worker.binlog.decode.MySqlPacking.time2;
import static io.ferry.worker.binlog.decode.MySqlPacking.timePacked;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BinlogEventDeserializersTest {
  private static final Set<EventType> REPLACED = EnumSet.of(EventType.WRITE_ROWS, EventType.UPDATE_ROWS,
      EventType.DELETE_ROWS, EventType.EXT_WRITE_ROWS, EventType.EXT_UPDATE_ROWS, EventType.EXT_DELETE_ROWS,
      EventType.TRANSACTION_PAYLOAD, EventType.TABLE_MAP);

  @Test
  void registersEveryConnectorDefaultAndReplacesRowsPayloadAndTableMap() {
    EventDeserializer stock = new EventDeserializer();
    EventDeserializer ours = BinlogEventDeserializers.create();
    assertThat(ours).isInstanceOf(StrictEventDeserializer.class);
    for (EventType type : EventType.values()) {
      EventDataDeserializer<?> mine = ours.getEventDataDeserializer(type);
      if (REPLACED.contains(type)) {
        assertThat(mine.getClass()).as(type.name()).isNotEqualTo(stock.getEventDataDeserializer(type).getClass());
      } else {
        assertThat(mine.getClass()).as(type.name()).isEqualTo(stock.getEventDataDeserializer(type).getClass());
      }
    }
    assertThat(ours.getEventDataDeserializer(EventType.EXT_UPDATE_ROWS))
        .isInstanceOf(ExactUpdateRowsDeserializer.class);
    assertThat(ours.getEventDataDeserializer(EventType.TRANSACTION_PAYLOAD))
        .isInstanceOf(TransactionPayloadDeserializer.class);
    assertThat(ours.getEventDataDeserializer(EventType.TABLE_MAP)).isInstanceOf(RepeatedTableMaps.class);
    assertThat(ours.getEventDataDeserializer(EventType.PARTIAL_UPDATE_ROWS_EVENT))
        .isInstanceOf(NullEventDataDeserializer.class);
  }

  @Test
  void version1UpdateRowsWithTemporalAndBitColumns() throws IOException {
    Map<Long, TableMapEventData> cache = new HashMap<>();
    cache.put(7L, table(7L));
    EventDeserializer d = BinlogEventDeserializers.create(cache);
    byte[] before = concat(hex("00"), littleEndian(-5, 4), time2(timePacked(true, 838, 59, 59, 0), 6),
        datetime2(datetimePacked(0, 0, 0, 0, 0, 0, 0), 6), hex("00"), hex("01"));
    byte[] after = concat(hex("00"), littleEndian(6, 4), time2(timePacked(true, 0, 0, 1, 500000), 6),
        datetime2(datetimePacked(9999, 12, 31, 23, 59, 59, 999999), 6), hex("FF"), hex("00"));
    byte[] body = concat(littleEndian(7, 6), hex("0000"), hex("05"), hex("1F"), hex("1F"), before, after);
    UpdateRowsEventData update = (UpdateRowsEventData) d.getEventDataDeserializer(EventType.UPDATE_ROWS)
        .deserialize(new ByteArrayInputStream(body));
    assertThat(update.getRows()).hasSize(1);
    Serializable[] b = update.getRows().get(0).getKey();
    Serializable[] a = update.getRows().get(0).getValue();
    assertThat(b[0]).isEqualTo(-5);
    assertThat(b[1]).isEqualTo("-838:59:59.000000");
    assertThat(b[2]).isEqualTo("0000-00-00 00:00:00.000000");
    assertThat(b[3]).isEqualTo(0);
    assertThat((byte[]) b[4]).containsExactly(0x01);
    assertThat(a[1]).isEqualTo("-00:00:01.500000");
    assertThat(a[2]).isEqualTo("9999-12-31 23:59:59.999999");
    assertThat(a[3]).isEqualTo(2155);
  }

  @Test
  void version2DeleteRowsSkipsTheExtraInfoAndKeepsNulls() throws IOException {
    Map<Long, TableMapEventData> cache = new HashMap<>();
    cache.put(7L, table(7L));
    EventDeserializer d = BinlogEventDeserializers.create(cache);
    // columns 0 and 4 present; column 4 (the second present one) is NULL
    byte[] row = concat(hex("02"), littleEndian(42, 4));
    byte[] extra = hex("0400 0102"); // extra_row_info: its length (4) includes the 2 length bytes
    byte[] body = concat(littleEndian(7, 6), hex("0000"), extra, hex("05"), hex("11"), row);
    DeleteRowsEventData delete = (DeleteRowsEventData) d.getEventDataDeserializer(EventType.EXT_DELETE_ROWS)
        .deserialize(new ByteArrayInputStream(body));
    BitSet present = new BitSet();
    present.set(0);
    present.set(4);
    assertThat(delete.getIncludedColumns()).isEqualTo(present);
    assertThat(delete.getRows()).containsExactly(new Serializable[] {42, null});
  }

  /** LONG, TIME(6), DATETIME(6), YEAR, BIT(1). */
  private static TableMapEventData table(long id) {
    TableMapEventData t = new TableMapEventData();
    t.setTableId(id);
    t.setDatabase("d");
    t.setTable("t");
    t.setColumnTypes(new byte[] {3, 19, 18, 13, 16});
    t.setColumnMetadata(new int[] {0, 6, 6, 0, 1});
    BitSet nullable = new BitSet();
    nullable.set(0, 5);
    t.setColumnNullability(nullable);
    return t;
  }
}
