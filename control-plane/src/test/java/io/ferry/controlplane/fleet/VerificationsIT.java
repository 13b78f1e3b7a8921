package io.ferry.controlplane.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.controlplane.store.MetadataDatabase;
import io.ferry.controlplane.store.VerifyStore;
import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import io.ferry.protocol.Addresses;
import io.ferry.protocol.codec.MessageCodec;
import io.ferry.protocol.message.VerifyProgress;
import io.ferry.protocol.message.VerifyResult;
import io.ferry.protocol.model.VerifyTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What workers send to {@code ferry.verify}, kept on a real metadata database: progress while a verify
 * runs, then its result, after which late progress changes nothing.
 */
class VerificationsIT {
  private static MariaDbServer metadata;
  private static Vertx vertx;
  private static VerifyStore store;
  private static Pool pool;

  @BeforeAll
  static void start() throws Exception {
    metadata = MariaDbServer.start(MariaDbConfig.builder().role(MariaDbConfig.Role.PLAIN).build());
    metadata.execute("CREATE DATABASE ferry");
    vertx = Vertx.vertx();
    pool = await(MetadataDatabase.of(metadata.jdbcUrl("ferry"), metadata.adminUser(), metadata.adminPassword())
        .open(vertx, 2));
    store = new VerifyStore(pool);
    await(new Verifications(vertx, store).start());
    metadata.execute("INSERT INTO ferry.tenants (id, name) VALUES ('t', 't')",
        "INSERT INTO ferry.connections (id, tenant_id, name, host, port, user_name, password_enc, tls)"
            + " VALUES ('c', 't', 'c', 'h', 3306, 'u', X'00', 'disabled')",
        "INSERT INTO ferry.jobs (id, tenant_id, name, source_id, destination_id, spec, desired_state, state)"
            + " VALUES ('j', 't', 'j', 'c', 'c', '{}', 'RUNNING', 'RUNNING')");
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    metadata.close();
  }

  @Test
  void progressIsKeptWhileRunningAndTheResultReplacesIt() throws Exception {
    long id = await(pool.withTransaction(tx -> store.start(tx, "j")));
    send(new VerifyProgress("j", Long.toString(id), 1, 3, 250_000, "shop.orders", Instant.now()));
    JsonObject progress = Awaitility.await("the progress is stored").atMost(Duration.ofSeconds(10))
        .until(() -> report().report(), r -> r != null && r.getJsonObject("progress") != null).getJsonObject("progress");
    assertThat(progress.getInteger("tablesDone")).isEqualTo(1);
    assertThat(progress.getInteger("tablesTotal")).isEqualTo(3);
    assertThat(progress.getLong("rowsChecked")).isEqualTo(250_000);
    assertThat(progress.getString("currentTable")).isEqualTo("shop.orders");
    assertThat(report().state()).isEqualTo("running");

    // Progress for another job, or for a verify that does not exist, changes nothing.
    send(new VerifyProgress("other", Long.toString(id), 2, 3, 999, null, Instant.now()));
    send(new VerifyProgress("j", Long.toString(id + 1000), 2, 3, 999, null, Instant.now()));

    send(new VerifyResult("j", Long.toString(id), "match", List.of(new VerifyTable("shop.orders", true, 1_000_000,
        List.of())), null, Instant.now()));
    Awaitility.await("the result is stored").atMost(Duration.ofSeconds(10)).until(() -> "match".equals(report().state()));
    // A progress message that arrives after the result is too late to change the report.
    send(new VerifyProgress("j", Long.toString(id), 3, 3, 1_000_000, null, Instant.now()));
    send(new VerifyResult("j", "not-a-number", "match", List.of(), null, Instant.now()));
    Awaitility.await("the late messages change nothing").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(() -> report(), r -> "match".equals(r.state()) && r.report().getJsonObject("progress") == null);
    VerifyStore.Report done = report();
    assertThat(done.state()).isEqualTo("match");
    assertThat(done.report().getJsonObject("progress")).isNull();
    assertThat(done.report().getJsonArray("tables").getJsonObject(0).getLong("rowsChecked")).isEqualTo(1_000_000);
  }

  private static VerifyStore.Report report() throws Exception {
    return await(store.latest(pool, "j"));
  }

  private static void send(io.ferry.protocol.message.Message m) {
    vertx.eventBus().send(Addresses.VERIFY, MessageCodec.encode(m));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
