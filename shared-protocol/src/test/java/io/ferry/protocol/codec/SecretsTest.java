package io.ferry.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ferry.protocol.ProtocolException;
import io.ferry.protocol.message.AssignJob;
import io.ferry.protocol.message.Message;
import io.ferry.protocol.model.ConnectionSpec;
import io.ferry.protocol.model.TlsMode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Passwords travel in assignments but never show in toString(), error messages or redacted JSON. */
class SecretsTest {

  private static void assertNoPassword(String text) {
    assertThat(text).doesNotContain(Samples.SOURCE_PASSWORD).doesNotContain(Samples.DEST_PASSWORD);
  }

  /** The message, causes and stack trace of a throwable, as a log would print them. */
  private static String printed(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private static String rejectionOf(Consumer<JsonObject> edit) {
    JsonObject json = new JsonObject(MessageCodec.encode(Samples.assign()).encode());
    edit.accept(json);
    Throwable t = catchThrowable(() -> MessageCodec.decode(json));
    assertThat(t).isInstanceOf(ProtocolException.class);
    return printed(t);
  }

  @Test
  void toStringMasksPasswords() {
    AssignJob assign = Samples.assign();
    assertThat(assign.spec().source().password()).isEqualTo(Samples.SOURCE_PASSWORD);
    assertNoPassword(assign.toString());
    assertNoPassword(assign.spec().toString());
    assertNoPassword(assign.spec().source().toString());
    assertThat(assign.spec().source().toString()).contains("repl@src.example:3306").contains(ConnectionSpec.MASK);
    for (Message m : Samples.all()) {
      assertNoPassword(m.toString());
    }
  }

  @Test
  void toStringSaysACaIsSetWithoutPrintingIt() {
    ConnectionSpec destination = Samples.destination();
    assertThat(destination.toString()).contains("ca=set").doesNotContain("BEGIN CERTIFICATE");
    assertThat(Samples.source().toString()).doesNotContain("ca=");
    assertThat(Samples.assign().toString()).doesNotContain("BEGIN CERTIFICATE");
  }

  @Test
  void emptyPasswordIsShownAsEmpty() {
    ConnectionSpec none = new ConnectionSpec("h", 1, "u", null, TlsMode.DISABLED);
    assertThat(none.password()).isEmpty();
    assertThat(none.toString()).contains("password=,");
  }

  @Test
  void passwordsAreOnTheWireButRedactable() {
    JsonObject json = MessageCodec.encode(Samples.assign());
    assertThat(json.encode()).contains(Samples.SOURCE_PASSWORD).contains(Samples.DEST_PASSWORD);
    JsonObject redacted = MessageCodec.redact(json);
    assertNoPassword(redacted.encode());
    assertThat(redacted.getJsonObject("spec").getJsonObject("source").getString("password"))
        .isEqualTo(MessageCodec.MASK);
    assertThat(json.encode()).as("redact copies").contains(Samples.SOURCE_PASSWORD);
  }

  @Test
  void rejectionsNeverQuoteThePassword() {
    assertNoPassword(rejectionOf(j -> j.put("epoch", 0)));
    assertNoPassword(rejectionOf(j -> j.getJsonObject("spec").getJsonObject("source").put("port", "x")));
    assertNoPassword(rejectionOf(j -> j.getJsonObject("spec").getJsonObject("source").put("host", " ")));
    assertNoPassword(rejectionOf(j -> j.getJsonObject("spec").getJsonObject("source").put("tls", "nope")));
    assertNoPassword(rejectionOf(j -> j.getJsonObject("spec").getJsonObject("destination").put("user", "")));
    assertNoPassword(rejectionOf(j -> j.getJsonObject("spec").getJsonObject("destination")
        .put("password", new JsonObject().put("p", Samples.DEST_PASSWORD))));
    String truncated = MessageCodec.encode(Samples.assign()).encode();
    Throwable t = catchThrowable(() -> MessageCodec.decode(Buffer.buffer(truncated.substring(0, truncated.length() - 3))));
    assertThat(t).isInstanceOf(ProtocolException.class);
    assertNoPassword(printed(t));
  }

  @Test
  void constructorErrorsNeverQuoteThePassword() {
    Throwable t = catchThrowable(() -> new ConnectionSpec(" ", 3306,
        "repl", Samples.SOURCE_PASSWORD, TlsMode.REQUIRED));
    assertThat(t).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host");
    assertNoPassword(printed(t));
    Throwable tls = catchThrowable(() -> new ConnectionSpec("h", 3306, "repl", Samples.SOURCE_PASSWORD, null));
    assertThat(tls).hasMessageContaining("tls");
    assertNoPassword(printed(tls));
  }
}
