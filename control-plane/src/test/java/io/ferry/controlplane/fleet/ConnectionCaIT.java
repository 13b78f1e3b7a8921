package io.ferry.controlplane.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.controlplane.TestControlPlane;
import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import io.ferry.mariadb.TestCertificates;
import io.ferry.protocol.Addresses;
import io.ferry.protocol.ProtocolVersion;
import io.ferry.protocol.codec.MessageCodec;
import io.ferry.protocol.message.Ack;
import io.ferry.protocol.message.AssignJob;
import io.ferry.protocol.message.Heartbeat;
import io.ferry.protocol.message.Message;
import io.ferry.protocol.message.RegisterWorker;
import io.ferry.protocol.model.TlsMode;
import io.ferry.protocol.model.WorkerState;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection's CA certificate, given through the API, is what the live check trusts with verify-ca
 * (against a real server with a certificate of a throwaway CA) and what travels to the worker in the
 * job's assignment.
 */
class ConnectionCaIT {
  private static final String PASSWORD = "Ca-Check-Pass-8";

  @TempDir
  static Path dir;
  private static TestCertificates.Written tls;
  private static TestControlPlane cp;
  private static MariaDbServer server;
  private static String operator;

  @BeforeAll
  static void start() throws Exception {
    tls = TestCertificates.write(dir, TestCertificates.KeyType.EC);
    cp = new TestControlPlane();
    server = MariaDbServer.start(MariaDbConfig.builder().role(MariaDbConfig.Role.SOURCE).tls(tls.server())
        .option("require_secure_transport", "ON").build());
    server.createUser("repl", PASSWORD, "REPLICATION SLAVE, REPLICATION CLIENT ON *.*");
    cp.tenant("acme");
    operator = cp.token("operator", "acme");
  }

  @AfterAll
  static void stop() throws Exception {
    if (cp != null) {
      cp.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static String connection(String name, String tlsMode, String ca) throws Exception {
    JsonObject body = new JsonObject().put("name", name).put("host", "127.0.0.1").put("port", server.port())
        .put("user", "repl").put("password", PASSWORD).put("tls", tlsMode);
    if (ca != null) {
      body.put("ca", ca);
    }
    return cp.expect(201, "POST", "/api/v1/connections", operator, body).getString("id");
  }

  private static JsonObject check(String id) throws Exception {
    return cp.expect(200, "POST", "/api/v1/connections/" + id + "/check", operator, null);
  }

  @Test
  void theLiveCheckTrustsTheConnectionsCa() throws Exception {
    JsonObject ok = check(connection("right-ca", "verify-ca", tls.caPem()));
    assertThat(ok.getBoolean("ok")).as(ok.encode()).isTrue();

    JsonObject wrong = check(connection("wrong-ca", "verify-ca",
        TestCertificates.unrelatedCaPem(TestCertificates.KeyType.EC)));
    assertThat(wrong.getBoolean("ok")).isFalse();
    JsonObject problem = wrong.getJsonArray("problems").getJsonObject(0);
    assertThat(wrong.getJsonArray("problems")).hasSize(1);
    assertThat(problem.getString("code")).isEqualTo("SOURCE_TLS");
    assertThat(problem.getString("message")).contains("repl@127.0.0.1:" + server.port())
        .contains("certificate was not accepted").contains("the connection's ca");
    assertThat(problem.getString("remedy")).contains("ca");

    JsonObject none = check(connection("no-ca", "verify-ca", null));
    assertThat(none.getJsonArray("problems").getJsonObject(0).getString("message"))
        .contains("the JVM's default trust store");
  }

  @Test
  void theCaTravelsToTheWorkerInTheAssignment() throws Exception {
    String source = connection("assigned-source", "verify-ca", tls.caPem());
    String destination = connection("assigned-destination", "required", null);
    String job = cp.expect(201, "POST", "/api/v1/jobs", operator, new JsonObject().put("name", "with-ca")
        .put("source", source).put("destination", destination).put("start", "current")
        .put("tables", new JsonObject().put("include", new JsonArray().add("shop.*")))).getString("id");

    Map<String, AssignJob> assigned = new ConcurrentHashMap<>();
    MessageConsumer<JsonObject> worker = cp.vertx.eventBus().consumer(Addresses.worker("ca-worker"), msg -> {
      Message m = MessageCodec.decode(msg.body());
      if (m instanceof AssignJob a) {
        assigned.put(a.jobId(), a);
      }
      msg.reply(MessageCodec.encode(new Ack()));
    });
    Scheduler scheduler = new Scheduler(cp.pool, cp.secrets::open,
        new SchedulerSettings(Duration.ofSeconds(4), Duration.ofMillis(200), Duration.ofSeconds(10)),
        Clock.systemUTC());
    String deployment = TestControlPlane.await(cp.vertx.deployVerticle(scheduler));
    long heartbeats = cp.vertx.setPeriodic(500, id -> cp.vertx.eventBus().send(Addresses.HEARTBEAT,
        MessageCodec.encode(new Heartbeat("ca-worker", Instant.now(), WorkerState.UP, List.of()))));
    try {
      TestControlPlane.await(worker.completion());
      TestControlPlane.await(cp.vertx.eventBus().request(Addresses.CONTROL_PLANE, MessageCodec.encode(
          new RegisterWorker("ca-worker", "localhost", 4, ProtocolVersion.CURRENT, Instant.now()))));
      await().atMost(Duration.ofSeconds(30)).until(() -> assigned.containsKey(job));
      AssignJob a = assigned.get(job);
      assertThat(a.spec().source().tls()).isEqualTo(TlsMode.VERIFY_CA);
      assertThat(a.spec().source().caCert()).isEqualTo(tls.caPem());
      assertThat(a.spec().source().password()).isEqualTo(PASSWORD);
      assertThat(a.spec().destination().tls()).isEqualTo(TlsMode.REQUIRED);
      assertThat(a.spec().destination().caCert()).isNull();
    } finally {
      cp.vertx.cancelTimer(heartbeats);
      TestControlPlane.await(cp.vertx.undeploy(deployment));
      TestControlPlane.await(worker.unregister());
    }
  }
}
