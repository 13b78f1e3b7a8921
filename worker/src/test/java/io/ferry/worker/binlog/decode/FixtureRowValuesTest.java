package io.ferry.worker.binlog.decode;

import static io.ferry.worker.binlog.decode.BinlogFixtures.ofType;
import static io.ferry.worker.binlog.decode.BinlogFixtures.only;
import static io.ferry.worker.binlog.decode.BinlogFixtures.read;
import static io.ferry.worker.binlog.decode.BinlogFixtures.utf8;
import static io.ferry.worker.binlog.decode.MySqlPacking.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Row values decoded from real server binlogs (MySQL 5.7 to 9.0). */
class FixtureRowValuesTest {

  @Test
  void jsonDocumentsAsMySqlText() throws IOException {
    List<Event> events = read("rust_mysql_common/json-opaque.binlog");
    List<Object> docs = ofType(events, EventType.EXT_WRITE_ROWS).stream()
        .map(e -> (Object) ((WriteRowsEventData) e.getData()).getRows().get(0)[0]).toList();
    assertThat(docs).containsExactly(
        new JsonText("{\"a\":\"base64:type15:VQ==\"}"),
        new JsonText("{\"b\":\"2012-03-18\"}"),
        new JsonText("{\"c\":\"2012-03-18 11:30:45.000000\"}"),
        new JsonText("{\"c\":\"87:31:46.654321\"}"),
        // MySQL prints a DECIMAL inside JSON as a number, not a string
        new JsonText("{\"d\":123.456}"),
        new JsonText("{\"e\":9.00}"),
        new JsonText("{\"e\":[0,1,true,false]}"),
        new JsonText("{\"e\":null}"));
  }

  @Test
  void jsonColumnsAndThePartialUpdateEvent() throws IOException {
    List<Event> events = read("rust_mysql_common/json.binlog.000001");
    List<Serializable[]> inserted = ofType(events, EventType.EXT_WRITE_ROWS).stream()
        .flatMap(e -> ((WriteRowsEventData) e.getData()).getRows().stream()).toList();
    assertThat(inserted).hasSize(6);
    assertThat(inserted.get(0)).containsExactly(1,
        new JsonText("{\"age\":24,\"data\":\"xxxxxxxxxx\",\"name\":\"Joe\"}"), utf8("Joe"), 24);
    UpdateRowsEventData update = only(events, EventType.EXT_UPDATE_ROWS);
    assertThat(update.getRows()).hasSize(6);
    Map.Entry<Serializable[], Serializable[]> first = update.getRows().get(0);
    assertThat(first.getValue()[1]).isEqualTo(new JsonText("{\"age\":25,\"data\":\"xxxxxxxxxx\",\"name\":\"Joe\"}"));
    // PARTIAL_UPDATE_ROWS (binlog_row_value_options=PARTIAL_JSON) has no deserializer: the event comes
    // through with null data, reading goes on, and the consumer must refuse it by its type.
    Event partial = ofType(events, EventType.PARTIAL_UPDATE_ROWS_EVENT).get(0);
    assertThat((Object) partial.getData()).isNull();
    assertThat(events.get(events.size() - 1).getHeader().getEventType()).isEqualTo(EventType.XID);
  }

  @Test
  void wideAllTypesTableFromMySql57() throws IOException {
    List<Event> events = read("MySqlCdc/mysql-bin.000001");
    List<Event> writes = ofType(events, EventType.EXT_WRITE_ROWS);
    assertThat(writes).hasSize(3);
    Serializable[] row = ((WriteRowsEventData) writes.get(0).getData()).getRows().get(0);
    assertThat(row).hasSize(22);
    assertThat(row[0]).isEqualTo(11);
    assertThat(row[1]).isEqualTo(121);
    assertThat(row[2]).isEqualTo(12341);
    assertThat(row[3]).isEqualTo(1234561);
    assertThat(row[4]).isEqualTo(123456789);
    assertThat(row[5]).isEqualTo(1234567890987654321L);
    assertThat(row[6]).isEqualTo(12345.679f);
    assertThat(row[7]).isEqualTo(1.2345678909876543E8);
    assertThat(row[8]).isEqualTo(new BigDecimal("1234567890112233445566778899001112223334445556667778889.9900011112"));
    assertThat((byte[]) row[9]).isEqualTo(utf8("Bsd234234 234234 zdfsfsdfsdf"));
    assertThat((byte[]) row[10]).isEqualTo(utf8("Hello world!"));
    assertThat((byte[]) row[11]).isEqualTo(hex("1234564534454534"));
    assertThat(row[12]).isEqualTo(new JsonText("{\"id\":1,\"name\":\"John\"}"));
    assertThat((byte[]) row[13]).isEqualTo(hex("152354"));
    assertThat((byte[]) row[14]).isEqualTo(hex("07B55787")); // BIT(28): 4 bytes
    assertThat(row[15]).isEqualTo(2); // ENUM 'Medium'
    assertThat(row[16]).isEqualTo(4L); // SET 'Red'
    assertThat(row[17]).isEqualTo(1989);
    assertThat(row[18]).isEqualTo("1985-10-23");
    assertThat(row[19]).isEqualTo("1988-11-27 14:12:13.345");
    assertThat(row[20]).isEqualTo("15:22:33.67");
    assertThat(row[21]).isEqualTo(new UtcTimestamp(498046943L, 567000, 3));
  }

  @Test
  void integerTableWriteUpdateDeleteFromMySql82() throws IOException {
    Serializable[] expected = {1, 11, 111, 1111, 11111L, 1};
    WriteRowsEventData write = only(read("mysql-cdc-rs/8.0/19_30_Table_map_event_Write_rows_log_event/binlog.000018"),
        EventType.EXT_WRITE_ROWS);
    assertThat(write.getRows()).containsExactly(expected);
    assertThat(write.getRows().get(0)[4]).isInstanceOf(Long.class);

    UpdateRowsEventData update = only(read("mysql-cdc-rs/8.0/31_update_rows_v2/binlog.000001"),
        EventType.EXT_UPDATE_ROWS);
    assertThat(update.getRows().get(0).getKey()).containsExactly(expected);
    assertThat(update.getRows().get(0).getValue()).containsExactly(1, 22, 222, 1111, 11111L, 1);

    List<Event> events = read("mysql-cdc-rs/8.0/32_delete_rows_v2/binlog.000001");
    DeleteRowsEventData delete = only(events, EventType.EXT_DELETE_ROWS);
    assertThat(delete.getRows()).containsExactly(new Serializable[] {1, 22, 222, 1111, 11111L, 1});
    TableMapEventData table = ofType(events, EventType.TABLE_MAP).get(0).getData();
    assertThat(table.getColumnTypes()).containsExactly(1, 2, 9, 3, 8, 1);
  }

  @Test
  void bitColumnsAreTheStoredBytes() throws IOException {
    WriteRowsEventData write = only(read("rust_mysql_common/mysql_type_bit.000001"), EventType.EXT_WRITE_ROWS);
    Serializable[] row = write.getRows().get(0);
    assertThat((byte[]) row[0]).containsExactly(0x04); // BIT(3) b'100'
    assertThat((byte[]) row[1]).isEqualTo(utf8("foo"));
    assertThat((byte[]) row[2]).containsExactly(0x20); // BIT(8)
  }

  @Test
  void negativeTimeFromMySql80() throws IOException {
    WriteRowsEventData write = only(read("rust_mysql_common/time_issue.000001"), EventType.EXT_WRITE_ROWS);
    // stored 0x6043E5: 0x800000 - 0x6043E5 = 507 << 12 | 48 << 6 | 27
    assertThat(write.getRows().get(0)).containsExactly("-507:48:27");
  }

  @Test
  void minimalRowImageAndUnsignedColumn() throws IOException {
    List<Event> events = read("rust_mysql_common/minimal_row_metadata.000001");
    TableMapEventData table = only(events, EventType.TABLE_MAP);
    WriteRowsEventData write = only(events, EventType.EXT_WRITE_ROWS);
    BitSet present = new BitSet();
    present.set(0);
    present.set(2);
    present.set(4);
    assertThat(write.getIncludedColumns()).isEqualTo(present);
    Serializable[] row = write.getRows().get(0);
    assertThat(row[0]).isEqualTo(1);
    assertThat((byte[]) row[1]).isEqualTo(utf8("a"));
    assertThat(row[2]).isEqualTo(-1064764973);
    // the connector maps the SIGNEDNESS bits (one per numeric column) to column indexes
    assertThat(table.getEventMetadata().getSignedness().stream().toArray()).containsExactly(4);
    assertThat(Unsigned.of(row[2], table.getColumnTypes()[4])).isEqualTo(3230202323L);
  }

  @Test
  void vectorColumnsAreRawBytes() throws IOException {
    List<Event> events = read("rust_mysql_common/vector.binlog");
    WriteRowsEventData write = (WriteRowsEventData) ofType(events, EventType.EXT_WRITE_ROWS).get(0).getData();
    Serializable[] row = write.getRows().get(0);
    assertThat(row[0]).isEqualTo(1L);
    assertThat((byte[]) row[1]).isEqualTo(hex("CDCC8C3F CDCC0C40 33335340")); // [1.1, 2.2, 3.3] as float32 LE
    assertThat(ofType(events, EventType.EXT_DELETE_ROWS)).hasSize(1);
  }
}
