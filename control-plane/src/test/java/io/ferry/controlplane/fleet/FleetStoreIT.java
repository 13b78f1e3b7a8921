package io.ferry.controlplane.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.controlplane.store.MetadataDatabase;
import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import io.ferry.protocol.model.JobState;
import io.ferry.protocol.model.Position;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scheduler's writes on a real metadata database: epochs guard every change of a job. */
class FleetStoreIT {
  private static MariaDbServer metadata;
  private static Vertx vertx;
  private static FleetStore store;

  @BeforeAll
  static void start() throws Exception {
    metadata = MariaDbServer.start(MariaDbConfig.builder().role(MariaDbConfig.Role.PLAIN).build());
    metadata.execute("CREATE DATABASE ferry");
    vertx = Vertx.vertx();
    Pool pool = await(MetadataDatabase.of(metadata.jdbcUrl("ferry"), metadata.adminUser(), metadata.adminPassword())
        .open(vertx, 2));
    store = new FleetStore(pool);
    metadata.execute("INSERT INTO ferry.tenants (id, name) VALUES ('t', 't')",
        "INSERT INTO ferry.connections (id, tenant_id, name, host, port, user_name, password_enc, tls)"
            + " VALUES ('c', 't', 'c', 'h', 3306, 'u', X'00', 'disabled')",
        "INSERT INTO ferry.jobs (id, tenant_id, name, source_id, destination_id, spec, desired_state, state)"
            + " VALUES ('j', 't', 'j', 'c', 'c', '{}', 'RUNNING', 'CREATED')");
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    metadata.close();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static JobLive at(long epoch, String file, long offset) {
    return new JobLive("j", "t", "w", epoch, JobState.RUNNING, new Position(file, offset, ""), 0L, 1, 0, null,
        Instant.now());
  }

  @Test
  void claimsRaiseTheEpochOnceAndTheMirrorRefusesAStaleOwner() throws Exception {
    assertThat(await(store.claim("j", 0, "w1"))).isTrue();
    assertThat(await(store.claim("j", 0, "w2"))).as("a second claim on the same read").isFalse();
    assertThat(await(store.claim("j", 1, "w2"))).isTrue();
    assertThat(metadata.queryString("SELECT CONCAT(worker_id, '/', epoch, '/', state) FROM ferry.jobs"))
        .isEqualTo("w2/2/STARTING");

    await(store.mirror(List.of(at(2, "bin.000002", 400))));
    await(store.mirror(List.of(at(1, "bin.000001", 900)))); // the fenced owner's late report
    assertThat(metadata.queryString("SELECT CONCAT(epoch, '/', binlog_file, ':', binlog_pos) FROM ferry.job_checkpoints"))
        .isEqualTo("2/bin.000002:400");
    await(store.mirror(List.of(at(3, "bin.000003", 4))));
    assertThat(metadata.queryString("SELECT CONCAT(epoch, '/', binlog_file, ':', binlog_pos) FROM ferry.job_checkpoints"))
        .isEqualTo("3/bin.000003:4");

    await(store.reportState("j", 2, "w1", JobState.ERROR, null));
    assertThat(metadata.queryString("SELECT state FROM ferry.jobs")).as("a report from a former owner").isEqualTo("STARTING");
    assertThat(await(store.release("j", 1, JobState.PAUSED))).as("a release on an old epoch").isFalse();
    assertThat(await(store.release("j", 2, JobState.PAUSED))).isTrue();
    await(store.reportState("j", 2, "w2", JobState.RUNNING, null));
    assertThat(metadata.queryString("SELECT CONCAT(state, '/', IFNULL(worker_id, '-')) FROM ferry.jobs"))
        .as("a late heartbeat after the release").isEqualTo("PAUSED/-");
  }
}
