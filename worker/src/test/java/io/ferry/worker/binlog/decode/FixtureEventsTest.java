package io.ferry.worker.binlog.decode;

import static io.ferry.worker.binlog.decode.BinlogFixtures.ofType;
import static io.ferry.worker.binlog.decode.BinlogFixtures.only;
import static io.ferry.worker.binlog.decode.BinlogFixtures.read;
import static io.ferry.worker.binlog.decode.BinlogFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.event.AnnotateRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.FormatDescriptionEventData;
import com.github.shyiko.mysql.binlog.event.GtidTaggedEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.PreviousGtidSetEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Event-level decoding of real binlogs: metadata, GTIDs, MariaDB, ignorable events. */
class FixtureEventsTest {

  @Test
  void fullRowMetadataCarriesColumnNamesVisibilityAndSignedness() throws IOException {
    List<Event> events = read("rust_mysql_common/binlog-invisible-columns.000001");
    TableMapEventData table = ofType(events, EventType.TABLE_MAP).get(0).getData();
    TableMapEventMetadata meta = table.getEventMetadata();
    assertThat(meta.getColumnNames()).containsExactly("f1", "f2", "f3", "f4", "f5", "f6");
    assertThat(meta.getVisibility().stream().toArray()).containsExactly(2, 3, 4); // f1, f2, f6 are INVISIBLE
    assertThat(meta.getSignedness().stream().toArray()).containsExactly(0, 1, 5); // INT/BIGINT UNSIGNED
    Serializable[] row = ((WriteRowsEventData) ofType(events, EventType.EXT_WRITE_ROWS).get(0).getData())
        .getRows().get(0);
    assertThat(row[0]).isEqualTo(1);
    assertThat(row[2]).isEqualTo(-3);
    assertThat((byte[]) row[3]).isEqualTo(utf8("4"));
    assertThat((byte[]) row[4]).containsExactly(0x05);
    assertThat(row[5]).isEqualTo(6000000000L);
    UpdateRowsEventData update = only(events, EventType.EXT_UPDATE_ROWS);
    assertThat(update.getRows().get(0).getKey()[0]).isNull();
    assertThat(update.getRows().get(0).getValue()[0]).isEqualTo(111);
    assertThat(events.get(events.size() - 1).getHeader().getEventType()).isEqualTo(EventType.STOP);
  }

  @Test
  void fullRowMetadataCarriesEnumAndSetStrings() throws IOException {
    List<Event> events = read("rust_mysql_common/mysql-enum-string-set.000001");
    TableMapEventData table = ofType(events, EventType.TABLE_MAP).get(0).getData();
    TableMapEventMetadata meta = table.getEventMetadata();
    assertThat(meta.getColumnNames()).containsExactly("f1", "f2", "f3", "f4", "f5");
    assertThat(meta.getEnumStrValues()).singleElement()
        .satisfies(v -> assertThat(v).containsExactly("var1", "variant2", "foo"));
    assertThat(meta.getSetStrValues()).singleElement()
        .satisfies(v -> assertThat(v).containsExactly("one", "two", "three", "four"));

    Serializable[] inserted = ((WriteRowsEventData) only(events, EventType.EXT_WRITE_ROWS)).getRows().get(0);
    assertThat((byte[]) inserted[0]).hasSize(100); // CHAR(128): stored without trailing padding
    assertThat((byte[]) inserted[1]).hasSize(298);
    assertThat(inserted[2]).isEqualTo(1); // ENUM 'var1'
    assertThat(inserted[3]).isEqualTo(5L); // SET 'one,three'
    UpdateRowsEventData update = only(events, EventType.EXT_UPDATE_ROWS);
    Serializable[] after = update.getRows().get(0).getValue();
    assertThat((byte[]) after[0]).isEqualTo(utf8("field1"));
    assertThat(after[2]).isEqualTo(2);
    assertThat(after[3]).isEqualTo(10L);
    assertThat(ofType(events, EventType.EXT_DELETE_ROWS)).hasSize(1);
  }

  @Test
  void taggedGtidFromMySql96() throws IOException {
    List<Event> events = read("rust_mysql_common/binlog_transaction_with_GTID_TAG.000001");
    PreviousGtidSetEventData previous = only(events, EventType.PREVIOUS_GTIDS);
    assertThat(previous.getGtidSet()).isEqualTo("55778904-0299-11f1-b1b8-4ef0c4956feb:1-13:mytag:1-2");
    GtidTaggedEventData gtid = only(events, EventType.GTID_TAGGED);
    assertThat(gtid.getMySqlGtid().getTag()).isEqualTo("mytag");
    assertThat(gtid.getMySqlGtid().getServerId()).isEqualTo(UUID.fromString("55778904-0299-11f1-b1b8-4ef0c4956feb"));
    assertThat(gtid.getMySqlGtid().getTransactionId()).isEqualTo(3);
    assertThat(gtid.getMySqlGtid().toString()).isEqualTo("55778904-0299-11f1-b1b8-4ef0c4956feb:mytag:3");
    WriteRowsEventData write = only(events, EventType.EXT_WRITE_ROWS);
    assertThat(write.getRows()).containsExactly(new Serializable[] {3, 100, new BigDecimal("250.00")});
  }

  @Test
  void mariaDbGtidsAndVersion1RowEvents() throws IOException {
    List<Event> events = read("rust_mysql_common/mariadb-bin.000001");
    FormatDescriptionEventData fde = events.get(0).getData();
    assertThat(fde.getServerVersion()).startsWith("10.5.15-MariaDB");
    List<Event> gtids = ofType(events, EventType.MARIADB_GTID);
    assertThat(gtids).extracting(e -> {
      MariadbGtidEventData g = e.getData();
      return g.getDomainId() + "-" + g.getServerId() + "-" + g.getSequence();
    }).containsExactly("0-0-1", "0-0-2");
    assertThat(((AnnotateRowsEventData) ofType(events, EventType.ANNOTATE_ROWS).get(0).getData()).getRowsQuery())
        .startsWith("insert into outbox");

    TableMapEventData table = ofType(events, EventType.TABLE_MAP).get(0).getData();
    assertThat(table.getEventMetadata().getColumnNames()).containsExactly("id", "topic", "event_type", "event",
        "created");
    assertThat(table.getEventMetadata().getEnumStrValues()).singleElement()
        .satisfies(v -> assertThat(v).containsExactly("BLOB", "JSON", "PROTOBUF"));

    List<Event> writes = ofType(events, EventType.WRITE_ROWS); // v1: MariaDB does not write v2 row events
    assertThat(writes).hasSize(2);
    Serializable[] row = ((WriteRowsEventData) writes.get(0).getData()).getRows().get(0);
    assertThat(row[0]).isEqualTo(62);
    assertThat((byte[]) row[1]).isEqualTo(utf8("foo"));
    assertThat(row[2]).isEqualTo(2); // ENUM 'JSON'
    assertThat((byte[]) row[3]).isEqualTo(utf8("{\"foo\":1}")); // MariaDB JSON is LONGTEXT: bytes
    assertThat(row[4]).isEqualTo(new UtcTimestamp(1650493084L, 0, 0));
    assertThat(((UtcTimestamp) row[4]).toUtcLiteral()).isEqualTo("2022-04-20 22:18:04");
    assertThat(((WriteRowsEventData) writes.get(1).getData()).getRows().get(0)[4])
        .isEqualTo(new UtcTimestamp(1650493195L, 0, 0));
  }

  @Test
  void auroraPaddingEventIsSkipped() throws IOException {
    List<Event> events = read("mysql-binlog-connector-java/mysql-bin.aurora-padding");
    assertThat(events).extracting(e -> e.getHeader().getEventType()).containsExactly(EventType.FORMAT_DESCRIPTION,
        EventType.PREVIOUS_GTIDS, EventType.ANONYMOUS_GTID, EventType.UNKNOWN, EventType.QUERY);
    EventHeaderV4 padding = events.get(3).getHeader();
    assertThat(padding.getFlags() & StrictEventDeserializer.LOG_EVENT_IGNORABLE_F).isNotZero();
    assertThat(padding.getEventLength()).isEqualTo(928);
    assertThat((Object) events.get(3).getData()).isNull();
    assertThat(((QueryEventData) events.get(4).getData()).getSql()).isEqualTo("BEGIN");
    assertThat(((EventHeaderV4) events.get(4).getHeader()).getNextPosition()).isEqualTo(1294);
  }

  @Test
  void inUseFlagOnTheFormatDescriptionDoesNotMatter() throws IOException {
    // The FDE of json-opaque.binlog has LOG_EVENT_BINLOG_IN_USE_F set, so its stored CRC32 matches only
    // with the flag cleared. Checksums are not verified (by the connector or here); the file reads.
    List<Event> events = read("rust_mysql_common/json-opaque.binlog");
    assertThat(events.get(0).getHeader().getEventType()).isEqualTo(EventType.FORMAT_DESCRIPTION);
    assertThat(((EventHeaderV4) events.get(0).getHeader()).getFlags() & 0x01).isEqualTo(1);
    assertThat(events.get(events.size() - 1).getHeader().getEventType()).isEqualTo(EventType.XID);
  }
}
