package io.ferry.worker.binlog.decode;

import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * The v4 event header (19 bytes: timestamp, type, server id, event length, next position, flags), read in one
 * call and decoded from the array. Same result as the connector's {@code EventHeaderV4Deserializer}, which
 * reads it through six calls of one to four byte reads each, once for every event.
 */
final class HeaderDeserializer implements EventHeaderDeserializer<EventHeaderV4> {
  static final int LENGTH = 19;

  @Override
  public EventHeaderV4 deserialize(ByteArrayInputStream in) throws IOException {
    byte[] h = in.read(LENGTH);
    EventHeaderV4 header = new EventHeaderV4();
    header.setTimestamp(uint(h, 0, 4) * 1000L);
    EventType type = EventType.byEventNumber(h[4] & 0xFF);
    header.setEventType(type == null ? EventType.UNKNOWN : type);
    header.setServerId(uint(h, 5, 4));
    header.setEventLength(uint(h, 9, 4));
    header.setNextPosition(uint(h, 13, 4));
    header.setFlags((int) uint(h, 17, 2));
    return header;
  }

  /** The little-endian unsigned integer of {@code length} bytes at {@code offset}. */
  static long uint(byte[] bytes, int offset, int length) {
    long v = 0;
    for (int i = length - 1; i >= 0; i--) {
      v = (v << 8) | (bytes[offset + i] & 0xFF);
    }
    return v;
  }
}
