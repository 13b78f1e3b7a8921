package io.ferry.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up failures name the setting to change and leave no Hazelcast member behind. */
class FerryClusterStartIT {
  @TempDir
  static Path tmp;

  private static ClusterCredentials credentials;
  private static Vertx running;
  private static InetSocketAddress runningMember;

  @BeforeAll
  static void startOneMember() {
    credentials = ClusterCredentials.init(tmp.resolve("cluster"), List.of(), false);
    running = join(FerryCluster.start(new ClusterSettings("127.0.0.1", 0, 0, List.of(), tmp), credentials));
    runningMember = FerryCluster.memberAddress(running).orElseThrow();
  }

  @AfterAll
  static void stop() {
    join(running.close());
  }

  @Test
  void aTakenMemberPortIsNamed() {
    int instancesBefore = Hazelcast.getAllHazelcastInstances().size();
    ClusterSettings settings = new ClusterSettings("127.0.0.1", runningMember.getPort(), 0, List.of(), tmp);

    Throwable failure = failureOf(FerryCluster.start(settings, credentials));

    assertThat(failure).isInstanceOf(ClusterException.class)
        .hasMessageContaining("FERRY_CLUSTER_PORT=" + runningMember.getPort())
        .hasMessageContaining("already in use");
    assertThat(Hazelcast.getAllHazelcastInstances()).hasSize(instancesBefore);
  }

  @Test
  void aTakenEventBusPortIsNamedAndTheHalfStartedMemberLeaves() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ClusterSettings settings = new ClusterSettings("127.0.0.1", 0, taken.getLocalPort(),
          List.of(new ClusterSettings.Member("127.0.0.1", runningMember.getPort())), tmp);

      Throwable failure = failureOf(FerryCluster.start(settings, credentials));

      assertThat(failure).isInstanceOf(ClusterException.class)
          .hasMessageContaining("FERRY_CLUSTER_EVENTBUS_PORT=" + taken.getLocalPort())
          .hasMessageContaining("already in use");
    }
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
        .until(() -> FerryCluster.memberCount(running) == 1);
  }

  @Test
  void aHostThatIsNotThisMachinesIsNamed() {
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a real interface.
    ClusterSettings settings = new ClusterSettings("192.0.2.10", 0, 0, List.of(), tmp);
    assertThat(failureOf(FerryCluster.start(settings, credentials))).isInstanceOf(ClusterException.class)
        .hasMessageContaining("FERRY_CLUSTER_HOST='192.0.2.10'")
        .hasMessageContaining("not an address of this machine");
  }

  private static <T> T join(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static Throwable failureOf(Future<?> future) {
    try {
      join(future);
      return null;
    } catch (CompletionException e) {
      return e.getCause();
    }
  }
}
