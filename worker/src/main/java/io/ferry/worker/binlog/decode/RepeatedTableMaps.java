package io.ferry.worker.binlog.decode;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.TableMapEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TABLE_MAP deserializer, decoding only table maps it has not seen byte for byte. The source writes a table
 * map before every statement's rows, so a stream of small transactions repeats the same few maps over and over,
 * and with full row metadata each one carries every column's name, charset and type details: decoding them was
 * a sixth of the reader's time on sysbench's {@code oltp_write_only}. A map whose body (table id, names, types,
 * metadata) equals the last one seen for its table id is answered with that one's decoded data — the same
 * object, which nothing modifies. Comparing whole bodies (not table ids alone, which a restarted server hands
 * out again) keeps the answer exact. At most {@code capacity} table ids are remembered, the least recently
 * used dropped first.
 */
final class RepeatedTableMaps implements EventDataDeserializer<TableMapEventData> {
  private record Seen(byte[] body, TableMapEventData data) {}

  private final TableMapEventDataDeserializer decoder = new TableMapEventDataDeserializer();
  private final Map<Long, Seen> seen;

  RepeatedTableMaps(int capacity) {
    this.seen = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Seen> eldest) {
        return size() > capacity;
      }
    };
  }

  @Override
  public TableMapEventData deserialize(ByteArrayInputStream in) throws IOException {
    byte[] body = in.read(in.available()); // the event's data: its block ends before the checksum
    long tableId = HeaderDeserializer.uint(body, 0, Math.min(6, body.length));
    Seen last = seen.get(tableId);
    if (last != null && Arrays.equals(last.body, body)) {
      return last.data;
    }
    TableMapEventData data = decoder.deserialize(new ByteArrayInputStream(new EventBytes(body)));
    seen.put(tableId, new Seen(body, data));
    return data;
  }
}
