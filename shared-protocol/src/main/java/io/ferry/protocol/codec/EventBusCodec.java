package io.ferry.protocol.codec;

import io.ferry.protocol.message.Message;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;

/**
 * A Vert.x event-bus codec for {@link Message}: local delivery passes the (immutable) record itself;
 * across the cluster it writes the {@link MessageCodec} JSON, length-prefixed. Register it once per
 * Vert.x instance with {@link #registerOn(EventBus)}. It never logs the payload.
 *
 * <p>Vert.x finds a default codec by the body's exact class and knows codecs by unique names, so each
 * message record gets its own instance named {@code ferry-message:<type>}; the receiving node resolves
 * the same name. The global {@code codecSelector} is left alone.
 */
public final class EventBusCodec implements io.vertx.core.eventbus.MessageCodec<Message, Message> {
  /** The codec's name on the event bus. */
  public static final String NAME = "ferry-message";

  /**
   * Registers the codec named {@link #NAME} and a default codec for every message record, so
   * {@code send(address, message)} needs no delivery options. Call once per Vert.x instance, on every
   * node of the cluster.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static void registerOn(EventBus bus) {
    bus.registerCodec(new EventBusCodec());
    for (Class<?> type : Message.class.getPermittedSubclasses()) {
      EventBusCodec codec = new EventBusCodec(NAME + ":" + MessageCodec.TYPES.get(type));
      bus.registerDefaultCodec((Class) type, (io.vertx.core.eventbus.MessageCodec) codec);
    }
  }

  private final String name;

  /** The codec named {@link #NAME}, for {@code DeliveryOptions.setCodecName(NAME)}. */
  public EventBusCodec() {
    this(NAME);
  }

  private EventBusCodec(String name) {
    this.name = name;
  }

  @Override
  public void encodeToWire(Buffer buffer, Message message) {
    Buffer json = MessageCodec.encode(message).toBuffer();
    buffer.appendInt(json.length());
    buffer.appendBuffer(json);
  }

  @Override
  public Message decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    int start = pos + Integer.BYTES;
    return MessageCodec.decode(buffer.getBuffer(start, start + length));
  }

  @Override
  public Message transform(Message message) {
    return message;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
