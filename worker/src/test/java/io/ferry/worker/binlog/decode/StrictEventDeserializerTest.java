package io.ferry.worker.binlog.decode;

import static io.ferry.worker.binlog.decode.BinlogFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.shyiko.mysql.binlog.BinaryLogFileReader;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictEventDeserializerTest {
  /**
   * 495 bytes: magic, FDE 4-126, PREVIOUS_GTIDS -157, ANONYMOUS_GTID -236, QUERY -312, TABLE_MAP -374,
   * EXT_WRITE_ROWS -420, XID -451, ROTATE -495.
   */
  private static final String FILE = "rust_mysql_common/minimal_row_metadata.000001";

  @ParameterizedTest(name = "cut at {0}")
  @ValueSource(ints = {
      6, // inside the first event header
      100, // inside the FORMAT_DESCRIPTION body
      380, // inside the rows event header
      404, // inside the rows event body
      418, // inside the rows event checksum
      425, // inside the XID header
      449, // inside the XID checksum
      494, // one byte short of the end
  })
  void fileCutInsideAnEventFails(int length) {
    byte[] cut = Arrays.copyOf(bytes(FILE), length);
    assertThatThrownBy(() -> BinlogFixtures.read(cut, BinlogEventDeserializers.create()))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void theStockDeserializerStopsSilentlyWhenTheChecksumIsCut() throws IOException {
    byte[] cut = Arrays.copyOf(bytes(FILE), 449);
    List<Event> events = BinlogFixtures.read(cut, new EventDeserializer());
    assertThat(events.get(events.size() - 1).getHeader().getEventType()).isEqualTo(EventType.XID);
  }

  @Test
  void fileCutBetweenEventsEndsCleanly() throws IOException {
    byte[] cut = Arrays.copyOf(bytes(FILE), 451);
    List<Event> events = BinlogFixtures.read(cut, BinlogEventDeserializers.create());
    assertThat(events).hasSize(7);
    assertThat(events.get(6).getHeader().getEventType()).isEqualTo(EventType.XID);
    assertThat(BinlogFixtures.read(bytes(FILE), BinlogEventDeserializers.create())).hasSize(8);
  }

  @Test
  void compressedTransactionCutInsideItsPayloadFails() {
    byte[] cut = Arrays.copyOf(bytes("mysql-binlog-connector-java/mysql-bin.compressed"), 236 + 300);
    assertThatThrownBy(() -> BinlogFixtures.read(cut, BinlogEventDeserializers.create()))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void corruptCompressedPayloadFails() {
    byte[] file = bytes("mysql-binlog-connector-java/mysql-bin.compressed");
    for (int i = 236 + 60; i < 236 + 200; i++) {
      file[i] ^= 0x5A;
    }
    assertThatThrownBy(() -> BinlogFixtures.read(file, BinlogEventDeserializers.create()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void unknownEventNotFlaggedIgnorableFailsAndTheStreamStaysAligned() throws IOException {
    byte[] file = bytes("mysql-binlog-connector-java/mysql-bin.aurora-padding");
    int padding = 281; // the type-100 event; its flags are the last 2 header bytes
    assertThat(file[padding + 4]).isEqualTo((byte) 100);
    file[padding + 17] &= ~StrictEventDeserializer.LOG_EVENT_IGNORABLE_F;
    try (BinaryLogFileReader reader = new BinaryLogFileReader(new ByteArrayInputStream(file),
        BinlogEventDeserializers.create())) {
      assertThat(reader.readEvent().getHeader().getEventType()).isEqualTo(EventType.FORMAT_DESCRIPTION);
      assertThat(reader.readEvent().getHeader().getEventType()).isEqualTo(EventType.PREVIOUS_GTIDS);
      assertThat(reader.readEvent().getHeader().getEventType()).isEqualTo(EventType.ANONYMOUS_GTID);
      assertThatThrownBy(reader::readEvent).isInstanceOfSatisfying(UnsupportedBinlogEventException.class, e -> {
        assertThat(e.typeCode()).isEqualTo(100);
        assertThat(e.nextPosition()).isEqualTo(1209);
      });
      Event next = reader.readEvent();
      assertThat(((QueryEventData) next.getData()).getSql()).isEqualTo("BEGIN");
      assertThat(reader.readEvent()).isNull();
    }
  }

  @Test
  void impossibleEventLengthFails() {
    byte[] file = bytes(FILE);
    file[4 + 9] = 5; // FDE event_length = 5 (little-endian), shorter than a header
    file[4 + 10] = 0;
    assertThatThrownBy(() -> BinlogFixtures.read(file, BinlogEventDeserializers.create()))
        .isInstanceOf(IOException.class).hasMessageContaining("Invalid binlog event length 5");
  }
}
