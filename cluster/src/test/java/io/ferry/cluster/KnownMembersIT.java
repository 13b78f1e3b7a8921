package io.ferry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node restarted without a join list (a control plane) joins the members it remembers instead of
 * founding a cluster of its own that Hazelcast would merge later.
 */
class KnownMembersIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path tmp;

  private final List<Vertx> started = new ArrayList<>();

  @AfterEach
  void stop() {
    for (Vertx v : started) {
      join(v.close());
    }
  }

  @Test
  void aRestartedNodeWithNoJoinListJoinsTheMembersItSaw() throws Exception {
    ClusterCredentials credentials = ClusterCredentials.init(tmp.resolve("cluster"), List.of(), false);
    Path controlPlaneData = tmp.resolve("cp");
    int controlPlanePort = freePort();
    ClusterSettings controlPlane = new ClusterSettings("127.0.0.1", controlPlanePort, 0, List.of(), tmp);
    Vertx first = start(controlPlane, credentials, KnownMembers.in(controlPlaneData));
    ClusterSettings.Member seed = new ClusterSettings.Member("127.0.0.1", controlPlanePort);
    Vertx worker = start(new ClusterSettings("127.0.0.1", 0, 0, List.of(seed), tmp), credentials,
        KnownMembers.in(tmp.resolve("w")));
    await().atMost(WAIT).until(() -> FerryCluster.memberCount(first) == 2);

    String workerMember = "127.0.0.1:" + FerryCluster.memberAddress(worker).orElseThrow().getPort();
    Path file = controlPlaneData.resolve(KnownMembers.FILE);
    await().atMost(WAIT).until(() -> Files.exists(file) && Files.readAllLines(file).equals(List.of(workerMember)));
    assertThat(Files.readAllLines(tmp.resolve("w").resolve(KnownMembers.FILE))).containsExactly(seed.toString());

    join(first.close());
    started.remove(first);
    await().atMost(WAIT).until(() -> FerryCluster.memberCount(worker) == 1);
    // The member that left is kept: the worker, alone now, still knows where to look.
    assertThat(Files.readAllLines(tmp.resolve("w").resolve(KnownMembers.FILE))).containsExactly(seed.toString());

    Vertx again = start(controlPlane, credentials, KnownMembers.in(controlPlaneData));
    // Joined at start, not merged later: both count two members at once, and messages flow.
    assertThat(FerryCluster.memberCount(again)).isEqualTo(2);
    again.eventBus().consumer("known-members-echo", m -> m.reply("pong"));
    await().atMost(WAIT).ignoreExceptions().until(() -> "pong".equals(join(worker.eventBus()
        .<String>request("known-members-echo", "ping", new DeliveryOptions().setSendTimeout(2_000))).body()));
  }

  @Test
  void theJoinListAddsRememberedMembersButNeverThisNode() throws Exception {
    Path data = tmp.resolve("n");
    Files.createDirectories(data);
    Files.write(data.resolve(KnownMembers.FILE), List.of("10.0.0.7:5701", "127.0.0.1:5801", "", "10.0.0.8:5701",
        "not a member"));
    ClusterSettings settings = new ClusterSettings("127.0.0.1", 5801, 0,
        List.of(new ClusterSettings.Member("10.0.0.8", 5701)), tmp);

    assertThat(KnownMembers.in(data).joinList(settings, "127.0.0.1")).extracting(Object::toString)
        .containsExactly("10.0.0.8:5701", "10.0.0.7:5701");
    assertThat(KnownMembers.in(tmp.resolve("none")).joinList(settings, "127.0.0.1")).isEqualTo(settings.join());
  }

  private Vertx start(ClusterSettings settings, ClusterCredentials credentials, KnownMembers known) {
    Vertx vertx = join(FerryCluster.start(settings, credentials, null, known));
    started.add(vertx);
    return vertx;
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static <T> T join(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }
}
