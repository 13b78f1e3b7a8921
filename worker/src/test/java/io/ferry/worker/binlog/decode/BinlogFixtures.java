package io.ferry.worker.binlog.decode;

import com.github.shyiko.mysql.binlog.BinaryLogFileReader;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the binlog fixtures under test resources {@code /binlog/} (see PROVENANCE.md there). */
final class BinlogFixtures {
  private BinlogFixtures() {
  }

  static byte[] bytes(String path) {
    try (InputStream in = BinlogFixtures.class.getResourceAsStream("/binlog/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("No fixture " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** All events of a fixture, read with a fresh Ferry deserializer. */
  static List<Event> read(String path) throws IOException {
    return read(bytes(path), BinlogEventDeserializers.create());
  }

  static List<Event> read(byte[] file, EventDeserializer deserializer) throws IOException {
    List<Event> events = new ArrayList<>();
    try (BinaryLogFileReader reader = new BinaryLogFileReader(new ByteArrayInputStream(file), deserializer)) {
      for (Event e = reader.readEvent(); e != null; e = reader.readEvent()) {
        events.add(e);
      }
    }
    return events;
  }

  /** The events with TRANSACTION_PAYLOAD replaced by their inner events, in order. */
  static List<Event> flatten(List<Event> events) {
    List<Event> out = new ArrayList<>();
    for (Event e : events) {
      if (e.getHeader().getEventType() == EventType.TRANSACTION_PAYLOAD) {
        out.addAll(((TransactionPayloadEventData) e.getData()).getUncompressedEvents());
      } else {
        out.add(e);
      }
    }
    return out;
  }

  static List<Event> ofType(List<Event> events, EventType type) {
    return events.stream().filter(e -> e.getHeader().getEventType() == type).toList();
  }

  static <T> T only(List<Event> events, EventType type) {
    List<Event> matching = ofType(events, type);
    if (matching.size() != 1) {
      throw new AssertionError("Expected one " + type + ", found " + matching.size());
    }
    return matching.get(0).getData();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
