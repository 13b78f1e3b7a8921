package io.ferry.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.protocol.ProtocolException;
import io.ferry.protocol.ProtocolException.Reason;
import io.ferry.protocol.ProtocolVersion;
import io.ferry.protocol.message.Checkpoint;
import io.ferry.protocol.message.Ack;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class MessageCodecRejectionTest {

  private static ProtocolException reject(JsonObject json) {
    return catchThrowableOfType(ProtocolException.class, () -> MessageCodec.decode(json));
  }

  /** The encoded sample assignment, changed by {@code edit}, then decoded. */
  private static ProtocolException rejectAssign(Consumer<JsonObject> edit) {
    JsonObject json = new JsonObject(MessageCodec.encode(Samples.assign()).encode());
    edit.accept(json);
    return reject(json);
  }

  private static void assertRejected(ProtocolException e, Reason reason, String field) {
    assertThat(e).as("expected a ProtocolException").isNotNull();
    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.getMessage()).contains(field);
  }

  @Test
  void unknownOrMissingType() {
    ProtocolException unknown = reject(new JsonObject().put("type", "launch-missiles").put("v", 1));
    assertThat(unknown.reason()).isEqualTo(Reason.UNKNOWN_TYPE);
    assertThat(unknown.getMessage()).contains("launch-missiles").contains("assign-job");
    assertRejected(reject(new JsonObject().put("v", 1)), Reason.MISSING_FIELD, "type");
    assertRejected(reject(new JsonObject().put("type", 7).put("v", 1)), Reason.WRONG_TYPE, "type");
  }

  @Test
  void versionMissingWrongTypedOrIncompatible() {
    assertRejected(reject(new JsonObject().put("type", "ack")), Reason.MISSING_FIELD, "v");
    assertRejected(reject(new JsonObject().put("type", "ack").put("v", "1")), Reason.WRONG_TYPE, "v");
    for (int v : new int[] {0, ProtocolVersion.CURRENT + 1, -3}) {
      ProtocolException e = reject(new JsonObject().put("type", "ack").put("v", v));
      assertRejected(e, Reason.INCOMPATIBLE_VERSION, "v");
      assertThat(e.getMessage()).contains(Integer.toString(v)).contains(ProtocolVersion.describe());
    }
    assertThat(MessageCodec.decode(new JsonObject().put("type", "ack").put("v", ProtocolVersion.CURRENT)))
        .isEqualTo(new Ack());
  }

  @Test
  void missingFieldsAreNamedByTheirPath() {
    assertRejected(rejectAssign(j -> j.remove("epoch")), Reason.MISSING_FIELD, "epoch");
    assertRejected(rejectAssign(j -> j.putNull("tenantId")), Reason.MISSING_FIELD, "tenantId");
    assertRejected(rejectAssign(j -> j.getJsonObject("spec").getJsonObject("source").remove("port")),
        Reason.MISSING_FIELD, "spec.source.port");
    assertRejected(rejectAssign(j -> j.getJsonObject("spec").getJsonObject("destination").remove("password")),
        Reason.MISSING_FIELD, "spec.destination.password");
    assertRejected(rejectAssign(j -> j.getJsonObject("spec").getJsonObject("start").remove("gtidSet")),
        Reason.MISSING_FIELD, "spec.start.gtidSet");
    JsonObject heartbeat = MessageCodec.encode(Samples.all().get(2));
    heartbeat.getJsonArray("jobs").getJsonObject(1).remove("rowsApplied");
    assertRejected(reject(heartbeat), Reason.MISSING_FIELD, "jobs[1].rowsApplied");
  }

  @Test
  void wrongTypesAreNamedByTheirPath() {
    assertRejected(rejectAssign(j -> j.put("epoch", "3")), Reason.WRONG_TYPE, "epoch");
    assertRejected(rejectAssign(j -> j.put("epoch", 3.5)), Reason.WRONG_TYPE, "epoch");
    assertRejected(rejectAssign(j -> j.getJsonObject("spec").getJsonObject("source").put("port", "3306")),
        Reason.WRONG_TYPE, "spec.source.port");
    assertRejected(rejectAssign(j -> j.getJsonObject("spec").getJsonObject("source").put("port", 1L << 40)),
        Reason.WRONG_TYPE, "spec.source.port");
    assertRejected(rejectAssign(j -> j.getJsonObject("spec").put("include", "shop.*")),
        Reason.WRONG_TYPE, "spec.include");
    assertRejected(rejectAssign(j -> j.getJsonObject("spec").put("include", new JsonArray().add("a.b").add(5))),
        Reason.WRONG_TYPE, "spec.include[1]");
    assertRejected(rejectAssign(j -> j.getJsonObject("spec").put("databaseMap", new JsonObject().put("a", 1))),
        Reason.WRONG_TYPE, "spec.databaseMap.a");
    assertRejected(rejectAssign(j -> j.put("spec", new JsonArray())), Reason.WRONG_TYPE, "spec");
    assertRejected(rejectAssign(j -> j.getJsonObject("spec").getJsonObject("source").put("ca", 7)),
        Reason.WRONG_TYPE, "spec.source.ca");
    JsonObject heartbeat = MessageCodec.encode(Samples.all().get(2));
    heartbeat.getJsonArray("jobs").getJsonObject(0).put("eventsPerSecond", true);
    assertRejected(reject(heartbeat), Reason.WRONG_TYPE, "jobs[0].eventsPerSecond");
    JsonObject checkpoint = MessageCodec.encode(Samples.first(Checkpoint.class)).put("at", "yesterday");
    assertRejected(reject(checkpoint), Reason.WRONG_TYPE, "at");
  }

  @Test
  void invalidValuesAreNamedByTheirPath() {
    assertRejected(rejectAssign(j -> j.put("epoch", 0)), Reason.INVALID_VALUE, "epoch");
    assertRejected(rejectAssign(j -> j.put("jobId", "has space")), Reason.INVALID_VALUE, "jobId");
    assertRejected(rejectAssign(j -> j.getJsonObject("spec").getJsonObject("destination").put("port", 0)),
        Reason.INVALID_VALUE, "spec.destination.port");
    assertRejected(rejectAssign(j -> j.getJsonObject("spec").getJsonObject("source").put("tls", "required")),
        Reason.INVALID_VALUE, "spec.source.tls");
    assertRejected(rejectAssign(j -> j.getJsonObject("spec").getJsonObject("destination").put("ca", "not a certificate")),
        Reason.INVALID_VALUE, "spec.destination.ca");
    assertRejected(rejectAssign(j -> j.getJsonObject("spec").getJsonObject("start").put("mode", "yesterday")),
        Reason.INVALID_VALUE, "spec.start.mode");
    assertRejected(rejectAssign(j -> j.getJsonObject("spec").put("start",
        new JsonObject().put("mode", "file").put("file", "bin.000001").put("position", 3))),
        Reason.INVALID_VALUE, "spec.start.position");
    assertRejected(rejectAssign(j -> j.getJsonObject("spec").put("include", new JsonArray())),
        Reason.INVALID_VALUE, "spec.include");
    JsonObject heartbeat = MessageCodec.encode(Samples.all().get(2));
    heartbeat.getJsonArray("jobs").getJsonObject(0).put("state", "SLEEPING");
    assertRejected(reject(heartbeat), Reason.INVALID_VALUE, "jobs[0].state");
    JsonObject lost = MessageCodec.encode(Samples.all().get(3)).put("state", "LOST");
    assertRejected(reject(lost), Reason.INVALID_VALUE, "state");
    JsonObject lag = MessageCodec.encode(Samples.all().get(2));
    lag.getJsonArray("jobs").getJsonObject(0).put("lagSeconds", -1);
    assertRejected(reject(lag), Reason.INVALID_VALUE, "jobs[0].lagSeconds");
  }

  @Test
  void malformedInput() {
    assertThat(catchThrowableOfType(ProtocolException.class, () -> MessageCodec.decode((JsonObject) null)).reason())
        .isEqualTo(Reason.MALFORMED);
    ProtocolException e = catchThrowableOfType(ProtocolException.class,
        () -> MessageCodec.decode(Buffer.buffer("[1, 2")));
    assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
  }
}
