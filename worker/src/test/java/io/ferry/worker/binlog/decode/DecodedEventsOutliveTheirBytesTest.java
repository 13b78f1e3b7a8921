package io.ferry.worker.binlog.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.BinaryLogFileReader;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deserializer reads every event into one buffer it reuses; what an event decodes to must not change when
 * the next events overwrite that buffer. Each fixture is rendered (values deeply, bytes by content) once right
 * after each event is read and once after the whole file was read; both must be equal.
 */
class DecodedEventsOutliveTheirBytesTest {
  @ParameterizedTest
  @ValueSource(strings = {"rust_mysql_common/mariadb-bin.000001", "rust_mysql_common/json.binlog.000001",
      "rust_mysql_common/mysql-enum-string-set.000001", "rust_mysql_common/transaction_compression.000001",
      "mysql-binlog-connector-java/mysql-bin.compressed", "MySqlCdc/mysql-bin.000001",
      "mysql-binlog-connector-rust/mysql-bin.000057"})
  void decodedValuesDoNotChangeWhenTheBufferIsReused(String fixture) throws IOException {
    byte[] file = BinlogFixtures.bytes(fixture);
    List<String> atOnce = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    try (BinaryLogFileReader reader = new BinaryLogFileReader(new ByteArrayInputStream(file),
        BinlogEventDeserializers.create())) {
      for (Event e = reader.readEvent(); e != null; e = reader.readEvent()) {
        events.add(e);
        atOnce.addAll(render(BinlogFixtures.flatten(List.of(e))));
      }
    }
    assertThat(events).hasSizeGreaterThan(3);
    assertThat(render(BinlogFixtures.flatten(events))).isEqualTo(atOnce);
  }

  private static List<String> render(List<Event> events) {
    List<String> out = new ArrayList<>();
    for (Event e : events) {
      StringBuilder s = new StringBuilder(e.getHeader().toString());
      Object data = e.getData();
      if (data instanceof WriteRowsEventData w) {
        w.getRows().forEach(row -> s.append(deep(row)));
      } else if (data instanceof DeleteRowsEventData d) {
        d.getRows().forEach(row -> s.append(deep(row)));
      } else if (data instanceof UpdateRowsEventData u) {
        for (Map.Entry<Serializable[], Serializable[]> row : u.getRows()) {
          s.append(deep(row.getKey())).append("->").append(deep(row.getValue()));
        }
      } else {
        s.append(data);
      }
      out.add(s.toString());
    }
    return out;
  }

  private static String deep(Serializable[] row) {
    return java.util.Arrays.deepToString(row);
  }
}
