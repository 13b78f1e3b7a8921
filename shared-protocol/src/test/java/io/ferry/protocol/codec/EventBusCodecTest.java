package io.ferry.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Addresses;
import io.ferry.protocol.message.Ack;
import io.ferry.protocol.message.AssignJob;
import io.ferry.protocol.message.Checkpoint;
import io.ferry.protocol.message.Message;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventBusCodecTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void wireFormatRoundTripsEveryMessageAtAnOffset() {
    EventBusCodec codec = new EventBusCodec();
    for (Message m : Samples.all()) {
      Buffer buffer = Buffer.buffer().appendString("header");
      codec.encodeToWire(buffer, m);
      buffer.appendString("trailer");
      assertThat(codec.decodeFromWire(6, buffer)).isEqualTo(m);
    }
    assertThat(codec.name()).isEqualTo(EventBusCodec.NAME);
    assertThat(codec.systemCodecID()).isEqualTo((byte) -1);
  }

  @Test
  void localDeliveryPassesTheRecordsThrough() throws Exception {
    EventBusCodec.registerOn(vertx.eventBus());
    String inbox = Addresses.worker("node-1");
    AssignJob sent = Samples.assign();
    CompletableFuture<Message> received = new CompletableFuture<>();
    vertx.eventBus().<Message>consumer(inbox, msg -> {
      received.complete(msg.body());
      msg.reply(new Ack());
    });
    Object reply = vertx.eventBus().<Message>request(inbox, sent)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
    assertThat(reply).isEqualTo(new Ack());
    assertThat(received.get(10, TimeUnit.SECONDS)).isSameAs(sent);
  }

  @Test
  void theNamedCodecWorksThroughDeliveryOptions() throws Exception {
    EventBusCodec.registerOn(vertx.eventBus());
    vertx.eventBus().<Message>consumer(Addresses.CHECKPOINT, msg -> msg.reply(new Ack()));
    Message checkpoint = Samples.first(Checkpoint.class);
    Object reply = vertx.eventBus().<Message>request(Addresses.CHECKPOINT, checkpoint,
            new DeliveryOptions().setCodecName(EventBusCodec.NAME))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
    assertThat(reply).isEqualTo(new Ack());
  }
}
