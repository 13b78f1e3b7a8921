package io.ferry.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a clustered Vert.x whose members authenticate each other.
 *
 * <p>Two layers, with different strengths. <b>Hazelcast</b> (membership and the event-bus
 * subscription table) runs in its open-source edition, which has neither TLS nor member
 * authentication; its cluster name is derived from the cluster secret, so a process without the
 * credentials is refused at join, but the name travels in clear text: it guards against accidental
 * joins only. Therefore Hazelcast carries no secret. <b>The event bus</b>, which carries job
 * assignments and with them database passwords, is TLS 1.3 with mutual authentication: each member
 * presents the cluster member certificate and trusts only the cluster CA, so a process without a
 * certificate of this CA can neither receive a message (senders refuse its server certificate) nor
 * send one (members refuse its client certificate). An attacker who learned the Hazelcast name can
 * still join the membership and register addresses; messages routed to it are then lost (a denial of
 * service), never disclosed.
 *
 * <p>Hostname verification: Vert.x 5.0's clustered event bus builds its {@code NetClient} from the
 * {@link EventBusOptions} and then sets {@code hostnameVerificationAlgorithm} to {@code ""} itself
 * (see {@code ClusteredEventBus}'s constructor), so peers are never checked against a host name and
 * the option cannot be turned on. That is what Ferry wants: all members may share one certificate,
 * trust is anchored on the cluster's own CA alone (never the JDK's public CAs, never trust-all), and a
 * certificate of this CA is exactly the proof of membership. The SANs written at init only serve
 * other clients.
 */
public final class FerryCluster {
  private static final Logger LOG = LoggerFactory.getLogger(FerryCluster.class);
  private static final long TLS_HANDSHAKE_TIMEOUT_SECONDS = 10;

  private FerryCluster() {}

  /** {@link #start(ClusterSettings, ClusterCredentials, VertxOptions)} with default Vert.x options. */
  public static Future<Vertx> start(ClusterSettings settings, ClusterCredentials credentials) {
    return start(settings, credentials, null);
  }

  /**
   * Joins (or founds) the cluster and returns the clustered Vert.x. The given options are copied; their
   * event-bus host, port and every TLS setting are replaced by the cluster's. Fails with a
   * {@link ClusterException} naming the setting at fault when an address cannot be bound. Resolves
   * {@code settings.host()} on the calling thread.
   */
  public static Future<Vertx> start(ClusterSettings settings, ClusterCredentials credentials, VertxOptions options) {
    return start(settings, credentials, options, KnownMembers.none());
  }

  /**
   * As {@link #start(ClusterSettings, ClusterCredentials, VertxOptions)}, also joining the members
   * {@code known} remembers and keeping it up to date with the membership.
   */
  public static Future<Vertx> start(ClusterSettings settings, ClusterCredentials credentials, VertxOptions options,
      KnownMembers known) {
    InetAddress bindAddress;
    try {
      bindAddress = localAddress(settings.host());
    } catch (ClusterException e) {
      return Future.failedFuture(e);
    }
    VertxOptions vertxOptions = options == null ? new VertxOptions() : new VertxOptions(options);
    secureEventBus(vertxOptions.getEventBusOptions(), settings, credentials);
    HazelcastClusterManager manager = new HazelcastClusterManager(
        HazelcastConfigs.build(settings, credentials.hazelcastClusterName(), bindAddress,
            known.joinList(settings, bindAddress.getHostAddress())));
    return Vertx.builder().with(vertxOptions).withClusterManager(manager).buildClustered()
        .recover(failure -> {
          terminate(manager);
          return Future.failedFuture(StartFailures.explain(failure, settings));
        })
        .onSuccess(vertx -> {
          logJoined(vertx, settings);
          hazelcast(vertx).ifPresent(known::follow);
        });
  }

  /** The Hazelcast member address this node bound, when {@code vertx} is a Ferry cluster member. */
  public static Optional<InetSocketAddress> memberAddress(Vertx vertx) {
    return hazelcast(vertx).map(hz -> hz.getCluster().getLocalMember().getSocketAddress());
  }

  /** The event-bus (TLS) address this node advertises to the others. */
  public static Optional<InetSocketAddress> eventBusAddress(Vertx vertx) {
    return clusterManager(vertx).map(ClusterManager::getNodeInfo)
        .map(info -> InetSocketAddress.createUnresolved(info.host(), info.port()));
  }

  /** How many members (this one included) the cluster has now; 0 when not clustered. */
  public static int memberCount(Vertx vertx) {
    return clusterManager(vertx).map(manager -> manager.getNodes().size()).orElse(0);
  }

  /** Turns the event bus into a mutual-TLS channel anchored on the cluster CA. */
  static void secureEventBus(EventBusOptions eventBus, ClusterSettings settings, ClusterCredentials credentials) {
    eventBus.setHost(settings.host())
        .setPort(settings.eventBusPort())
        .setSsl(true)
        .setKeyCertOptions(credentials.keyCertOptions())
        .setTrustOptions(credentials.trustOptions())
        // Servers demand the client's certificate: without it any process could inject messages.
        .setClientAuth(ClientAuth.REQUIRED)
        .setTrustAll(false)
        // Every member runs the same Ferry build on Java 17+, so nothing older is needed.
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
        .setSslHandshakeTimeout(TLS_HANDSHAKE_TIMEOUT_SECONDS)
        .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
  }

  private static InetAddress localAddress(String host) {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new ClusterException(ClusterSettings.ENV_HOST + "='" + host + "' does not resolve", e);
    }
    try {
      if (!address.isLoopbackAddress() && NetworkInterface.getByInetAddress(address) == null) {
        throw new ClusterException(ClusterSettings.ENV_HOST + "='" + host + "' (" + address.getHostAddress()
            + ") is not an address of this machine; set it to the address other members reach this node at");
      }
    } catch (SocketException e) {
      throw new ClusterException("Cannot list this machine's network interfaces: " + e, e);
    }
    return address;
  }

  private static void logJoined(Vertx vertx, ClusterSettings settings) {
    int members = memberCount(vertx);
    LOG.info("Joined the Ferry cluster: member {}, event bus (TLS) {}, {} member(s)",
        memberAddress(vertx).map(FerryCluster::hostAndPort).orElse("?"),
        eventBusAddress(vertx).map(FerryCluster::hostAndPort).orElse("?"), members);
    if (!settings.join().isEmpty() && members <= 1) {
      LOG.warn("None of {}={} answered (down, unreachable, or holding another cluster's credentials);"
          + " this node formed a cluster of its own and will look for them again every 30 s",
          ClusterSettings.ENV_JOIN, settings.join());
    }
  }

  private static String hostAndPort(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }

  /** A failed start may leave a running Hazelcast member behind; it must not linger in the cluster. */
  private static void terminate(HazelcastClusterManager manager) {
    HazelcastInstance instance = manager.getHazelcastInstance();
    if (instance != null && instance.getLifecycleService().isRunning()) {
      instance.getLifecycleService().terminate();
    }
  }

  private static Optional<HazelcastInstance> hazelcast(Vertx vertx) {
    return clusterManager(vertx)
        .filter(HazelcastClusterManager.class::isInstance)
        .map(manager -> ((HazelcastClusterManager) manager).getHazelcastInstance());
  }

  private static Optional<ClusterManager> clusterManager(Vertx vertx) {
    // VertxInternal is Vert.x's integration API; it is the only way from a Vertx to its cluster manager.
    return vertx instanceof VertxInternal internal ? Optional.ofNullable(internal.clusterManager()) : Optional.empty();
  }
}
