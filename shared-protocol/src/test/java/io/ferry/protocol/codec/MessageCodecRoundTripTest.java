package io.ferry.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.ProtocolVersion;
import io.ferry.protocol.message.AssignJob;
import io.ferry.protocol.message.Checkpoint;
import io.ferry.protocol.message.Heartbeat;
import io.ferry.protocol.message.Message;
import io.ferry.protocol.model.ConnectionSpec;
import io.ferry.protocol.model.JobState;
import io.ferry.protocol.model.JobStatus;
import io.ferry.protocol.model.Position;
import io.ferry.protocol.model.StartSpec;
import io.ferry.protocol.model.TlsMode;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MessageCodecRoundTripTest {

  @Test
  void everyMessageTypeHasASampleAndAWireName() {
    Set<Class<?>> sampled = Samples.all().stream().map(Object::getClass).collect(Collectors.toSet());
    Set<Class<?>> permitted = new HashSet<>(Arrays.asList(Message.class.getPermittedSubclasses()));
    assertThat(sampled).isEqualTo(permitted);
    assertThat(MessageCodec.TYPES.keySet()).isEqualTo(permitted);
    assertThat(new HashSet<>(MessageCodec.TYPES.values())).hasSize(permitted.size());
  }

  @Test
  void everyMessageRoundTripsAsJsonObject() {
    for (Message m : Samples.all()) {
      JsonObject json = MessageCodec.encode(m);
      assertThat(json.getString("type")).isEqualTo(MessageCodec.typeOf(m));
      assertThat(json.getInteger("v")).isEqualTo(ProtocolVersion.CURRENT);
      assertThat(MessageCodec.decode(json)).as(m.getClass().getSimpleName()).isEqualTo(m);
    }
  }

  @Test
  void everyMessageRoundTripsThroughJsonText() {
    for (Message m : Samples.all()) {
      String text = MessageCodec.encode(m).encode();
      assertThat(MessageCodec.decode(new JsonObject(text))).as(text).isEqualTo(m);
      assertThat(MessageCodec.decode(MessageCodec.encode(m).toBuffer())).isEqualTo(m);
    }
  }

  @Test
  void aJobStatusWithoutBinlogEventsFromAnOlderWorkerReadsAsZero() {
    JobStatus status = new JobStatus("j", 1, JobState.RUNNING, null, 0L, 5, 1.5, null, null, 77);
    Heartbeat beat = new Heartbeat("node-1:5701", Samples.T, io.ferry.protocol.model.WorkerState.UP, List.of(status));
    JsonObject json = new JsonObject(MessageCodec.encode(beat).encode());
    JsonObject job = json.getJsonArray("jobs").getJsonObject(0);
    assertThat(job.getLong("binlogEvents")).isEqualTo(77);
    assertThat(((Heartbeat) MessageCodec.decode(json)).jobs().get(0).binlogEvents()).isEqualTo(77);
    job.remove("binlogEvents");
    assertThat(((Heartbeat) MessageCodec.decode(json)).jobs().get(0).binlogEvents()).isZero();
  }

  @Test
  void positionsKeepBothGtidForms() {
    Position mariadb = new Position("mariadb-bin.000007", 1_234_567_890_123L, Samples.MARIADB_GTIDS);
    Position mysql = new Position("binlog.000001", 4, Samples.MYSQL_GTIDS);
    for (Position p : new Position[] {mariadb, mysql}) {
      Checkpoint c = new Checkpoint("j", 1, p, Samples.T);
      JsonObject json = new JsonObject(MessageCodec.encode(c).encode());
      assertThat(json.getJsonObject("position").getString("gtidSet")).isEqualTo(p.gtidSet());
      assertThat(((Checkpoint) MessageCodec.decode(json)).position()).isEqualTo(p);
    }
    assertThat(mariadb.gtidSet()).isEqualTo("0-1-5,1-2-7");
    assertThat(mysql.gtidSet()).isEqualTo("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-10");
  }

  @Test
  void mysqlMultiLineGtidSetsLoseOnlyWhitespace() {
    Position p = new Position("binlog.000002", 99, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-10,\n"
        + "4c2b0a1e-aaaa-bbbb-cccc-000000000001:1-3");
    assertThat(p.gtidSet()).isEqualTo("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-10,4c2b0a1e-aaaa-bbbb-cccc-000000000001:1-3");
    assertThat(new StartSpec.Gtid(" 0-1-5,\n1-2-7 ").gtidSet()).isEqualTo("0-1-5,1-2-7");
  }

  @Test
  void wireShapeOfAnAssignment() {
    JsonObject json = MessageCodec.encode(Samples.assign());
    assertThat(json.fieldNames()).containsExactlyInAnyOrder("type", "v", "jobId", "epoch", "tenantId", "spec");
    JsonObject spec = json.getJsonObject("spec");
    assertThat(spec.getJsonObject("source").getString("tls")).isEqualTo("REQUIRED");
    assertThat(spec.getJsonObject("source").fieldNames()).as("no CA, no field").doesNotContain("ca");
    assertThat(spec.getJsonObject("destination").getString("ca")).isEqualTo(Samples.CA);
    assertThat(spec.getJsonObject("start").getString("mode")).isEqualTo("gtid");
    assertThat(spec.getJsonObject("databaseMap").getString("shop")).isEqualTo("shop_copy");
    assertThat(spec.getString("ddl")).isEqualTo("STOP");
    assertThat(json.getString("type")).isEqualTo("assign-job");
    assertThat(((AssignJob) MessageCodec.decode(json)).spec().start()).isInstanceOf(StartSpec.Gtid.class);
  }

  @Test
  void nullableStatusFieldsMayBeAbsentAndUnknownFieldsAreIgnored() {
    JsonObject json = new JsonObject(MessageCodec.encode(Samples.all().get(2)).encode());
    JsonObject fresh = json.getJsonArray("jobs").getJsonObject(2);
    fresh.remove("position");
    fresh.remove("lagSeconds");
    fresh.remove("error");
    json.put("addedInALaterRelease", new JsonObject().put("x", 1));
    Heartbeat decoded = (Heartbeat) MessageCodec.decode(json);
    assertThat(decoded).isEqualTo(Samples.all().get(2));
    assertThat(decoded.jobs().get(2).position()).isNull();
  }

  @Test
  void theCaCertificateTravelsAndItsAbsenceIsNull() {
    AssignJob decoded = (AssignJob) MessageCodec.decode(new JsonObject(MessageCodec.encode(Samples.assign()).encode()));
    assertThat(decoded.spec().destination().caCert()).isEqualTo(Samples.CA);
    assertThat(decoded.spec().source().caCert()).isNull();
    JsonObject json = MessageCodec.encode(Samples.assign());
    json.getJsonObject("spec").getJsonObject("source").put("ca", "  ");
    assertThat(((AssignJob) MessageCodec.decode(json)).spec().source().caCert()).as("blank is none").isNull();
    assertThat(new ConnectionSpec("h", 1, "u", "p", TlsMode.VERIFY_CA).caCert()).as("the old constructor").isNull();
  }

  @Test
  void instantsKeepNanoseconds() {
    JsonObject json = MessageCodec.encode(Samples.all().get(0));
    assertThat(json.getString("startedAt")).isEqualTo("2026-11-24T23:45:01.123456789Z");
  }
}
