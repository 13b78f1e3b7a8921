package io.ferry.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.protocol.Addresses;
import io.ferry.protocol.codec.MessageCodec;
import io.ferry.protocol.message.Ack;
import io.ferry.protocol.message.AssignJob;
import io.ferry.protocol.message.Heartbeat;
import io.ferry.protocol.message.Message;
import io.ferry.protocol.message.Nack;
import io.ferry.protocol.message.RevokeJob;
import io.ferry.protocol.model.ConnectionSpec;
import io.ferry.protocol.model.DdlPolicy;
import io.ferry.protocol.model.JobSpec;
import io.ferry.protocol.model.JobState;
import io.ferry.protocol.model.JobStatus;
import io.ferry.protocol.model.StartSpec;
import io.ferry.protocol.model.TlsMode;
import io.ferry.mariadb.MariaDbServer;
import io.ferry.worker.jdbc.SourceQueries;
import io.ferry.worker.node.WorkerVerticle;
import io.ferry.worker.position.BinlogPosition;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Worker nodes on a (local) Vert.x event bus: an assignment runs the job and heartbeats report its
 * state and position; a second node given the same job with a newer epoch takes it over and the
 * first, now stale, is fenced by the destination's checkpoint row — never a second writer.
 */
class WorkerNodeIT extends SourceAndDestination {
  private Vertx vertx;
  private final Map<String, JobStatus> latest = new ConcurrentHashMap<>();

  @BeforeEach
  void bus() throws Exception {
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(Addresses.HEARTBEAT, m -> {
      Heartbeat h = (Heartbeat) MessageCodec.decode(m.body());
      h.jobs().forEach(s -> latest.put(h.nodeId() + "/" + s.jobId(), s));
    });
    for (String node : List.of("w1", "w2")) {
      vertx.deployVerticle(new WorkerVerticle(node, "127.0.0.1", 4, Clock.systemUTC())).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    }
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private Message request(String node, Message m) throws Exception {
    JsonObject reply = vertx.eventBus().<JsonObject>request(Addresses.worker(node), MessageCodec.encode(m))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).body();
    return MessageCodec.decode(reply);
  }

  private static ConnectionSpec spec(MariaDbServer s) {
    return new ConnectionSpec(s.host(), s.port(), s.adminUser(), s.adminPassword(), TlsMode.DISABLED);
  }

  @Test
  void assignmentRunsTheJobAndANewerEpochElsewhereFencesTheOldOwner() throws Exception {
    String db = ItSupport.uniqueDb("node");
    String copy = db + "_copy";
    MixedLoad.createTables(source, db);
    JobSpec job = new JobSpec(spec(source), spec(destination), List.of(db + ".*"), List.of(), Map.of(db, copy),
        new StartSpec.Current(), DdlPolicy.EXEC);

    assertThat(request("w1", new AssignJob("nodejob", 1, "t1", job))).isInstanceOf(Ack.class);
    await().atMost(Duration.ofSeconds(30)).until(() -> latest.containsKey("w1/nodejob")
        && latest.get("w1/nodejob").state() == JobState.RUNNING);
    MixedLoad.run(source, db, 2, 150);
    awaitPosition("w1/nodejob");
    assertThat(latest.get("w1/nodejob").rowsApplied()).isPositive();
    ItSupport.assertSameData(source, db, destination, copy, "accounts", "items", "journal");

    // w2 takes the job over with epoch 2 while w1 still runs it with epoch 1: w1 must be fenced.
    assertThat(request("w2", new AssignJob("nodejob", 2, "t1", job))).isInstanceOf(Ack.class);
    await().atMost(Duration.ofSeconds(30)).until(() -> latest.containsKey("w2/nodejob")
        && latest.get("w2/nodejob").state() == JobState.RUNNING);
    MixedLoad.run(source, db, 2, 150);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      JobStatus old = latest.get("w1/nodejob");
      assertThat(old.state()).isEqualTo(JobState.ERROR);
      assertThat(old.error().code()).isEqualTo("FENCED");
    });
    awaitPosition("w2/nodejob");
    ItSupport.assertSameData(source, db, destination, copy, "accounts", "items", "journal");
    assertThat(destination.queryString("SELECT epoch FROM _ferry.checkpoint WHERE job_id = 'nodejob'")).isEqualTo("2");

    // w1 reported the fencing once and dropped the job: there is nothing left to revoke.
    assertThat(request("w1", new RevokeJob("nodejob", 1, "moved"))).isEqualTo(new Nack(Nack.UNKNOWN_JOB,
        "job nodejob does not run on node w1"));
    assertThat(request("w2", new AssignJob("nodejob", 2, "t1", job))).isInstanceOf(Nack.class);
  }

  private void awaitPosition(String key) throws Exception {
    BinlogPosition end;
    try (Connection c = source.rootConnection()) {
      end = SourceQueries.currentPosition(c);
    }
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      JobStatus s = latest.get(key);
      assertThat(s.position()).isNotNull();
      assertThat(new BinlogPosition(s.position().file(), s.position().offset(), "").compareTo(end))
          .isGreaterThanOrEqualTo(0);
    });
  }
}
