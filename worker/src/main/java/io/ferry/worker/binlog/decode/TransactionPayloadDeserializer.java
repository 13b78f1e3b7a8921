package io.ferry.worker.binlog.decode;

import com.github.luben.zstd.ZstdInputStream;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;

/**
 * TRANSACTION_PAYLOAD (type 40, MySQL 8.0.20+ binlog_transaction_compression): reads the TLV header
 * (each value a length-encoded integer), decompresses the payload (compression type 0 = ZSTD, 255 =
 * NONE) and deserializes the inner events with the given {@link EventDeserializer}, which must share the
 * outer deserializer's data deserializers and table-map cache, so that the exact row decoding applies
 * inside compressed transactions too. The stock deserializer uses a fresh {@code new EventDeserializer()}
 * instead, which bypasses custom row deserializers.
 *
 * <p>The inner deserializer must be a separate instance from the outer one: inner events carry no
 * checksum, while the outer deserializer strips the checksum length it learnt from the
 * FORMAT_DESCRIPTION event from every event it reads. A separate instance that never sees a
 * FORMAT_DESCRIPTION event strips nothing.
 */
public class TransactionPayloadDeserializer implements EventDataDeserializer<TransactionPayloadEventData> {
  static final int FIELD_END_MARK = 0;
  static final int FIELD_PAYLOAD_SIZE = 1;
  static final int FIELD_COMPRESSION_TYPE = 2;
  static final int FIELD_UNCOMPRESSED_SIZE = 3;
  static final int COMPRESSION_ZSTD = 0;
  static final int COMPRESSION_NONE = 255;

  private final EventDeserializer innerEvents;

  public TransactionPayloadDeserializer(EventDeserializer innerEvents) {
    this.innerEvents = innerEvents;
  }

  @Override
  public TransactionPayloadEventData deserialize(ByteArrayInputStream in) throws IOException {
    long payloadSize = -1;
    long uncompressedSize = -1;
    long compressionType = -1;
    while (in.available() > 0) {
      long field = in.readPackedLong();
      if (field == FIELD_END_MARK) {
        break;
      }
      byte[] value = in.read(checkedInt(in.readPackedLong(), "header field length"));
      switch ((int) field) {
        case FIELD_PAYLOAD_SIZE -> payloadSize = packed(value);
        case FIELD_COMPRESSION_TYPE -> compressionType = packed(value);
        case FIELD_UNCOMPRESSED_SIZE -> uncompressedSize = packed(value);
        default -> {
          // a field added by a later server version; its value is skipped
        }
      }
    }
    if (compressionType != COMPRESSION_ZSTD && compressionType != COMPRESSION_NONE) {
      throw new IOException("Unsupported TRANSACTION_PAYLOAD compression type " + compressionType);
    }
    byte[] payload = in.read(payloadSize >= 0 ? checkedInt(payloadSize, "payload size") : in.available());
    TransactionPayloadEventData data = new TransactionPayloadEventData();
    data.setPayloadSize(payload.length);
    data.setCompressionType((int) compressionType);
    data.setUncompressedSize(uncompressedSize >= 0 ? uncompressedSize : 0);
    data.setPayload(payload);
    data.setUncompressedEvents(readEvents(payload, (int) compressionType, uncompressedSize));
    return data;
  }

  private ArrayList<Event> readEvents(byte[] payload, int compressionType, long uncompressedSize)
      throws IOException {
    ArrayList<Event> events = new ArrayList<>();
    InputStream raw = new java.io.ByteArrayInputStream(payload);
    try (InputStream decompressed = compressionType == COMPRESSION_ZSTD ? new ZstdInputStream(raw) : raw;
        CountingInputStream counted = new CountingInputStream(new BufferedInputStream(decompressed, 65536))) {
      ByteArrayInputStream stream = new ByteArrayInputStream(counted);
      for (Event event = innerEvents.nextEvent(stream); event != null; event = innerEvents.nextEvent(stream)) {
        events.add(event);
      }
      if (uncompressedSize >= 0 && counted.count != uncompressedSize) {
        throw new IOException("TRANSACTION_PAYLOAD decompressed to " + counted.count + " bytes, header says "
            + uncompressedSize);
      }
    }
    return events;
  }

  private static long packed(byte[] value) throws IOException {
    if (value.length == 0) {
      throw new IOException("Empty TRANSACTION_PAYLOAD header field");
    }
    return new ByteArrayInputStream(value).readPackedLong();
  }

  private static int checkedInt(long value, String what) throws IOException {
    if (value < 0 || value > Integer.MAX_VALUE - 64) {
      throw new IOException("TRANSACTION_PAYLOAD " + what + " out of range: " + value);
    }
    return (int) value;
  }

  /** Counts the bytes handed out, to check the decompressed length against the header. */
  private static final class CountingInputStream extends FilterInputStream {
    private long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }
  }
}
