package io.ferry.worker.binlog.decode;

import static io.ferry.worker.binlog.decode.BinlogFixtures.bytes;
import static io.ferry.worker.binlog.decode.BinlogFixtures.flatten;
import static io.ferry.worker.binlog.decode.BinlogFixtures.ofType;
import static io.ferry.worker.binlog.decode.BinlogFixtures.only;
import static io.ferry.worker.binlog.decode.BinlogFixtures.read;
import static io.ferry.worker.binlog.decode.BinlogFixtures.utf8;
import static io.ferry.worker.binlog.decode.MySqlPacking.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RowsQueryEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.XidEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.UpdateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompressedTransactionTest {
  private static final String COMPRESSED = "mysql-binlog-connector-java/mysql-bin.compressed";

  @Test
  void zstdPayloadIsDecodedWithTheExactRowDeserializersAndSharedTableMaps() throws IOException {
    Map<Long, TableMapEventData> cache = new HashMap<>();
    List<Event> events = BinlogFixtures.read(bytes(COMPRESSED), BinlogEventDeserializers.create(cache));

    assertThat(events).extracting(e -> e.getHeader().getEventType()).containsExactly(EventType.FORMAT_DESCRIPTION,
        EventType.PREVIOUS_GTIDS, EventType.ANONYMOUS_GTID, EventType.TRANSACTION_PAYLOAD, EventType.ROTATE);
    TransactionPayloadEventData payload = only(events, EventType.TRANSACTION_PAYLOAD);
    assertThat(payload.getCompressionType()).isZero();
    assertThat(payload.getUncompressedSize()).isEqualTo(960);
    List<Event> inner = payload.getUncompressedEvents();
    assertThat(inner).extracting(e -> e.getHeader().getEventType()).containsExactly(EventType.QUERY,
        EventType.TABLE_MAP, EventType.EXT_UPDATE_ROWS, EventType.XID);
    assertThat(inner).allSatisfy(e -> assertThat(((EventHeaderV4) e.getHeader()).getNextPosition()).isZero());
    assertThat(((QueryEventData) inner.get(0).getData()).getSql()).isEqualTo("BEGIN");

    TableMapEventData table = inner.get(1).getData();
    assertThat(table.getDatabase() + "." + table.getTable()).isEqualTo("demo.movies");
    assertThat(cache).containsEntry(table.getTableId(), table);

    UpdateRowsEventData update = inner.get(2).getData();
    assertThat(update.getRows()).hasSize(1);
    Serializable[] before = update.getRows().get(0).getKey();
    Serializable[] after = update.getRows().get(0).getValue();
    assertThat(before).hasSize(11);
    assertThat(before[0]).isEqualTo(1);
    assertThat((byte[]) before[1]).isEqualTo(utf8("Once Upon a Time in the West"));
    assertThat(before[2]).isEqualTo(1968);
    assertThat((byte[]) before[3]).isEqualTo(utf8("Italy"));
    assertThat((byte[]) before[4]).isEqualTo(utf8("Western"));
    assertThat((byte[]) after[4]).isEqualTo(utf8("Western|Action"));
    assertThat(((XidEventData) inner.get(3).getData()).getXid()).isEqualTo(31);
  }

  @Test
  void theStockPayloadDeserializerBypassesCustomRowDeserializers() throws IOException {
    // What the stock wiring does with a custom UPDATE_ROWS deserializer: inner rows ignore it.
    EventDeserializer stock = new EventDeserializer();
    Map<Long, TableMapEventData> unused = new HashMap<>();
    stock.setEventDataDeserializer(EventType.EXT_UPDATE_ROWS,
        new ExactUpdateRowsDeserializer(unused).setMayContainExtraInformation(true));
    List<Event> events = BinlogFixtures.read(bytes(COMPRESSED), stock);
    TransactionPayloadEventData payload = only(events, EventType.TRANSACTION_PAYLOAD);
    UpdateRowsEventData update = only(payload.getUncompressedEvents(), EventType.EXT_UPDATE_ROWS);
    assertThat(update.getRows().get(0).getKey()[1]).isInstanceOf(String.class);
    assertThat(stock.getEventDataDeserializer(EventType.EXT_UPDATE_ROWS))
        .isInstanceOf(UpdateRowsEventDataDeserializer.class);
  }

  @Test
  void smallPayloadWithAWriteRow() throws IOException {
    List<Event> inner = flatten(read("rust_mysql_common/transaction_compression.000001"));
    TableMapEventData table = only(inner, EventType.TABLE_MAP);
    assertThat(table.getDatabase() + "." + table.getTable()).isEqualTo("test.tb1");
    WriteRowsEventData write = only(inner, EventType.EXT_WRITE_ROWS);
    assertThat(write.getRows()).containsExactly(new Serializable[] {1});
  }

  @Test
  void gtidTransactionsWithRowsQueryInsidePayloads() throws IOException {
    List<Event> events = read("mysql-binlog-connector-rust/mysql-bin.000057");
    assertThat(ofType(events, EventType.GTID))
        .extracting(e -> ((GtidEventData) e.getData()).getMySqlGtid().toString())
        .containsExactly("76f3e7be-6720-11ed-9cad-0242ac110002:11", "76f3e7be-6720-11ed-9cad-0242ac110002:12",
            "76f3e7be-6720-11ed-9cad-0242ac110002:13");
    List<Event> payloads = ofType(events, EventType.TRANSACTION_PAYLOAD);
    assertThat(payloads).hasSize(2);
    List<Event> inner = ((TransactionPayloadEventData) payloads.get(1).getData()).getUncompressedEvents();
    assertThat(ofType(inner, EventType.ROWS_QUERY)).first()
        .satisfies(e -> assertThat(((RowsQueryEventData) e.getData()).getQuery()).startsWith("update test_table_3"));
    UpdateRowsEventData update = only(inner, EventType.EXT_UPDATE_ROWS);
    Serializable[] before = update.getRows().get(0).getKey();
    Serializable[] after = update.getRows().get(0).getValue();
    assertThat(before[0]).isEqualTo(55555);
    assertThat(before[2]).isEqualTo("2022-11-20");
    assertThat(before[5]).isEqualTo(new UtcTimestamp(1668951630L, 0, 0));
    assertThat(before[7]).isEqualTo(8L);
    assertThat(after[7]).isEqualTo(4L);
    assertThat(before[9]).isEqualTo(new JsonText("{\"c\":1}"));
    assertThat((byte[]) after[10]).isEqualTo(utf8("product_3_value"));
  }

  @Test
  void uncompressedPayloadIsAccepted() throws IOException {
    byte[] raw = innerEventsOfTheCompressedFixture();
    byte[] body = concat(field(2, packed(255)), field(3, packed(raw.length)), field(1, packed(raw.length)),
        new byte[] {0}, raw);
    TransactionPayloadEventData data = deserializePayload(body);
    assertThat(data.getCompressionType()).isEqualTo(255);
    assertThat(data.getUncompressedEvents()).extracting(e -> e.getHeader().getEventType()).containsExactly(
        EventType.QUERY, EventType.TABLE_MAP, EventType.EXT_UPDATE_ROWS, EventType.XID);
    UpdateRowsEventData update = data.getUncompressedEvents().get(2).getData();
    assertThat((byte[]) update.getRows().get(0).getValue()[4]).isEqualTo(utf8("Western|Action"));
  }

  @Test
  void wrongUncompressedSizeOrUnknownCompressionFails() throws IOException {
    byte[] raw = innerEventsOfTheCompressedFixture();
    byte[] wrongSize = concat(field(2, packed(255)), field(3, packed(raw.length + 1)), field(1, packed(raw.length)),
        new byte[] {0}, raw);
    assertThatThrownBy(() -> deserializePayload(wrongSize)).isInstanceOf(IOException.class)
        .hasMessageContaining("decompressed to 960 bytes");
    byte[] lz4 = concat(field(2, packed(1)), field(1, packed(raw.length)), new byte[] {0}, raw);
    assertThatThrownBy(() -> deserializePayload(lz4)).isInstanceOf(IOException.class)
        .hasMessageContaining("compression type 1");
    byte[] cut = concat(field(2, packed(255)), field(1, packed(raw.length - 10)), new byte[] {0},
        java.util.Arrays.copyOf(raw, raw.length - 10));
    assertThatThrownBy(() -> deserializePayload(cut)).isInstanceOf(IOException.class);
  }

  private static TransactionPayloadEventData deserializePayload(byte[] body) throws IOException {
    EventDataDeserializer<?> d = BinlogEventDeserializers.create().getEventDataDeserializer(
        EventType.TRANSACTION_PAYLOAD);
    return (TransactionPayloadEventData) d.deserialize(new ByteArrayInputStream(body));
  }

  private static byte[] innerEventsOfTheCompressedFixture() throws IOException {
    TransactionPayloadEventData payload = only(read(COMPRESSED), EventType.TRANSACTION_PAYLOAD);
    try (ZstdInputStream in = new ZstdInputStream(new java.io.ByteArrayInputStream(payload.getPayload()))) {
      return in.readAllBytes();
    }
  }

  private static byte[] field(int type, byte[] value) {
    return concat(packed(type), packed(value.length), value);
  }

  /** MySQL's length-encoded integer (net_store_length). */
  private static byte[] packed(long v) {
    if (v < 251) {
      return new byte[] {(byte) v};
    }
    if (v < 0x10000) {
      return concat(new byte[] {(byte) 0xFC}, MySqlPacking.littleEndian(v, 2));
    }
    if (v < 0x1000000) {
      return concat(new byte[] {(byte) 0xFD}, MySqlPacking.littleEndian(v, 3));
    }
    return concat(new byte[] {(byte) 0xFE}, MySqlPacking.littleEndian(v, 8));
  }
}
