package io.ferry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.ClientAuth;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clustered Vert.x instances in this JVM on free loopback ports: two members of one cluster talk;
 * a member of another cluster, and impostors who learned the Hazelcast cluster name but hold a
 * certificate of another CA, neither receive nor inject a message.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSecurityIT {
  private static final String ECHO = "ferry.test.echo";
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Requests that must fail do so on a TLS error or this timeout, whichever comes first. */
  private static final DeliveryOptions SHORT = new DeliveryOptions().setSendTimeout(3_000);

  @TempDir
  static Path tmp;

  private static final List<Vertx> started = new ArrayList<>();
  private static final Queue<String> echoed = new ConcurrentLinkedQueue<>();
  private static ClusterCredentials cluster;
  private static Vertx first;
  private static Vertx second;
  private static InetSocketAddress firstMember;

  @BeforeAll
  static void startTwoMembers() {
    cluster = ClusterCredentials.init(tmp.resolve("cluster"), List.of(), false);
    first = start(settings(List.of()), cluster);
    firstMember = FerryCluster.memberAddress(first).orElseThrow();
    second = start(settings(List.of(member(firstMember))), cluster);
    await().atMost(WAIT).until(() -> FerryCluster.memberCount(first) == 2 && FerryCluster.memberCount(second) == 2);
    MessageConsumer<String> consumer = first.eventBus().consumer(ECHO, message -> {
      echoed.add(message.body());
      message.reply("echo:" + message.body());
    });
    join(consumer.completion());
  }

  @AfterAll
  static void closeAll() {
    for (Vertx vertx : started) {
      vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }
  }

  @Test
  @Order(1)
  void membersOfOneClusterExchangeRequestAndReplyOverTls() {
    assertThat(join(second.eventBus().<String>request(ECHO, "hello")).body()).isEqualTo("echo:hello");
    assertThat(echoed).contains("hello");
    // and the other way round, so both members' servers and clients are exercised
    join(second.eventBus().<String>consumer("ferry.test.second", m -> m.reply("ok " + m.body())).completion());
    assertThat(join(first.eventBus().<String>request("ferry.test.second", "ping")).body()).isEqualTo("ok ping");
  }

  @Test
  @Order(2)
  void aMemberOfAnotherClusterCannotJoin() {
    ClusterCredentials other = ClusterCredentials.init(tmp.resolve("other"), List.of(), false);
    Vertx stranger = start(settings(List.of(member(firstMember))), other);

    assertThat(FerryCluster.memberCount(stranger)).isEqualTo(1);
    assertThat(FerryCluster.memberCount(first)).isEqualTo(2);
    Throwable failure = failureOf(stranger.eventBus().request(ECHO, "from-stranger", SHORT));
    assertThat(failure).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) failure).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
    assertThat(echoed).doesNotContain("from-stranger");
    join(stranger.close());
    started.remove(stranger);
  }

  /** Knows the cluster secret (so the Hazelcast name) but holds a certificate of another CA. */
  @Test
  @Order(3)
  void anImpostorWithAnotherCasCertificateNeitherReceivesNorInjects() throws Exception {
    Path impostorDir = tmp.resolve("impostor");
    ClusterCredentials.init(impostorDir, List.of(), false);
    Files.copy(cluster.directory().resolve(ClusterCredentials.SECRET_FILE),
        impostorDir.resolve(ClusterCredentials.SECRET_FILE), StandardCopyOption.REPLACE_EXISTING);
    ClusterCredentials impostorCredentials = ClusterCredentials.load(impostorDir);
    assertThat(impostorCredentials.hazelcastClusterName()).isEqualTo(cluster.hazelcastClusterName());

    Vertx impostor = start(settings(List.of(member(firstMember))), impostorCredentials);
    assertImpostorIsShutOut(impostor, "impostor");
  }

  /** Like the impostor, but its client trusts any server: the members' demand for a client certificate stops it. */
  @Test
  @Order(4)
  void anImpostorThatTrustsAnyServerIsStillRefusedByMembers() {
    ClusterCredentials foreign = ClusterCredentials.init(tmp.resolve("foreign"), List.of(), false);
    ClusterSettings settings = settings(List.of(member(firstMember)));
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost(settings.host()).setPort(0).setSsl(true)
        .setKeyCertOptions(foreign.keyCertOptions()).setTrustAll(true).setClientAuth(ClientAuth.NONE);
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastConfigs.build(settings,
        cluster.hazelcastClusterName(), InetAddress.getLoopbackAddress()));
    Vertx impostor = join(Vertx.builder().with(options).withClusterManager(manager).buildClustered());
    started.add(impostor);

    assertImpostorIsShutOut(impostor, "trusting-impostor");
  }

  private static void assertImpostorIsShutOut(Vertx impostor, String name) {
    // It did get into the Hazelcast membership: the name is no secret on the wire. TLS is the boundary.
    await().atMost(WAIT).until(() -> FerryCluster.memberCount(first) == 3);

    Queue<String> stolen = new ConcurrentLinkedQueue<>();
    String trap = "ferry.test." + name;
    join(impostor.eventBus().<String>consumer(trap, m -> {
      stolen.add(m.body());
      m.reply("got it");
    }).completion());
    await().atMost(WAIT).until(() -> registeredOnTheCluster(trap));

    Throwable sendFailure = failureOf(first.eventBus().request(trap, "password=secret", SHORT));
    Throwable injectFailure = failureOf(impostor.eventBus().request(ECHO, "from-" + name, SHORT));

    assertThat(sendFailure).isNotNull();
    assertThat(injectFailure).isNotNull();
    assertThat(stolen).isEmpty();
    assertThat(echoed).doesNotContain("from-" + name);
    // The members still talk to each other.
    assertThat(join(second.eventBus().<String>request(ECHO, "still-" + name)).body()).isEqualTo("echo:still-" + name);

    join(impostor.close());
    started.remove(impostor);
    await().atMost(WAIT).until(() -> FerryCluster.memberCount(first) == 2);
  }

  /** A send from {@code first} would pick the impostor only once the registration reached it. */
  private static boolean registeredOnTheCluster(String address) {
    return failureOf(first.eventBus().request(address, "probe", new DeliveryOptions().setSendTimeout(1)))
        instanceof ReplyException reply && reply.failureType() != ReplyFailure.NO_HANDLERS;
  }

  private static ClusterSettings settings(List<ClusterSettings.Member> join) {
    return new ClusterSettings("127.0.0.1", 0, 0, join, tmp);
  }

  private static ClusterSettings.Member member(InetSocketAddress address) {
    return new ClusterSettings.Member(address.getHostString(), address.getPort());
  }

  private static Vertx start(ClusterSettings settings, ClusterCredentials credentials) {
    Vertx vertx = join(FerryCluster.start(settings, credentials));
    started.add(vertx);
    return vertx;
  }

  private static <T> T join(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  private static Throwable failureOf(Future<?> future) {
    try {
      join(future);
      return null;
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause();
    }
  }
}
