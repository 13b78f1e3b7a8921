package io.ferry.worker.binlog.decode;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's {@link EventDeserializer} with two safety checks added in {@link #nextEvent}:
 * <ul>
 *   <li>Each event is first read whole (its header declares its length). The stock deserializer skips
 *       the unread rest of an event and its checksum with {@code InputStream.skip}, which stops silently
 *       at end of stream, so a file cut inside an event could end without an error. Here a cut event
 *       throws {@link EOFException}. (A file cut exactly between two events cannot be told apart from a
 *       complete one.)
 *   <li>An event type the connector does not know is skipped only when flagged
 *       {@code LOG_EVENT_IGNORABLE_F} (Aurora's padding event 100, for one); otherwise
 *       {@link UnsupportedBinlogEventException}.
 * </ul>
 * The event's bytes are then decoded from an {@link EventBytes} (no lock per byte) with a
 * {@link HeaderDeserializer} (the header in one read). Everything else (checksum length from the
 * FORMAT_DESCRIPTION event, table-map caching, dispatch to the registered data deserializers) is the
 * connector's.
 */
public class StrictEventDeserializer extends EventDeserializer {
  private static final Logger LOG = LoggerFactory.getLogger(StrictEventDeserializer.class);
  static final int HEADER_LENGTH = HeaderDeserializer.LENGTH;
  static final int LOG_EVENT_IGNORABLE_F = 0x80;
  private static final int MAX_EVENT_LENGTH = Integer.MAX_VALUE - 64;
  /** Events up to this size are read into one buffer kept from event to event; larger ones get their own. */
  static final int KEPT_BUFFER = 1 << 20;

  /**
   * The event being decoded. Decoding copies out everything it keeps (values, table-map bodies, payloads), so
   * the next event may overwrite it.
   */
  private byte[] buffer = new byte[8192];

  @SuppressWarnings("rawtypes") // the connector's constructor takes a raw map
  public StrictEventDeserializer(Map<EventType, EventDataDeserializer> eventDataDeserializers,
      Map<Long, TableMapEventData> tableMapEventByTableId) {
    super(new HeaderDeserializer(), new NullEventDataDeserializer(), eventDataDeserializers,
        tableMapEventByTableId);
  }

  /** The next event, or null at a clean end of stream (between two events). */
  @Override
  public Event nextEvent(ByteArrayInputStream inputStream) throws IOException {
    if (inputStream.peek() == -1) {
      return null;
    }
    byte[] event = buffer;
    readFully(inputStream, event, 0, HEADER_LENGTH, "event header");
    long eventLength = HeaderDeserializer.uint(event, 9, 4);
    long nextPosition = HeaderDeserializer.uint(event, 13, 4);
    if (eventLength < HEADER_LENGTH || eventLength > MAX_EVENT_LENGTH) {
      throw new IOException("Invalid binlog event length " + eventLength + " in header at next position "
          + nextPosition);
    }
    int length = (int) eventLength;
    if (length > event.length) {
      event = Arrays.copyOf(event, length);
      if (length <= KEPT_BUFFER) {
        buffer = event;
      }
    }
    readFully(inputStream, event, HEADER_LENGTH, length, "event body");
    int typeCode = event[4] & 0xFF;
    int flags = (int) HeaderDeserializer.uint(event, 17, 2);
    if (EventType.byEventNumber(typeCode) == null) {
      if ((flags & LOG_EVENT_IGNORABLE_F) == 0) {
        throw new UnsupportedBinlogEventException(typeCode, flags, eventLength, nextPosition);
      }
      LOG.debug("Skipping ignorable binlog event of unknown type {} ({} bytes, next position {})", typeCode,
          eventLength, nextPosition);
    }
    return super.nextEvent(new ByteArrayInputStream(new EventBytes(event, length)));
  }

  private static void readFully(ByteArrayInputStream in, byte[] into, int from, int to, String what)
      throws IOException {
    int offset = from;
    while (offset < to) {
      int read = in.read(into, offset, to - offset);
      if (read < 0) {
        throw new EOFException("Binlog ends inside an " + what + ": needed " + to + " bytes, got " + offset);
      }
      offset += read;
    }
  }
}
