package io.ferry.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;

/**
 * The Hazelcast member configuration of a Ferry node: vertx-hazelcast's own {@code default-cluster.xml}
 * (the maps and multimap the cluster manager needs: {@code __vertx.subs}, {@code __vertx.haInfo},
 * {@code __vertx.nodeInfo}) with everything about the network, failure detection and exposure
 * overridden here, so no {@code cluster.xml} or system property on the classpath can change them.
 */
final class HazelcastConfigs {
  /** Shipped in the vertx-hazelcast jar; also what it uses when no cluster.xml is found. */
  static final String VERTX_DEFAULTS = "default-cluster.xml";

  private HazelcastConfigs() {}

  static Config build(ClusterSettings settings, String clusterName, InetAddress bindAddress) {
    return build(settings, clusterName, bindAddress, settings.join());
  }

  /** As above, joining {@code joinList} (the configured members and the remembered ones). */
  static Config build(ClusterSettings settings, String clusterName, InetAddress bindAddress,
      java.util.List<ClusterSettings.Member> joinList) {
    Config config = vertxDefaults();
    // A member whose cluster name differs is refused at join; see ClusterCredentials#hazelcastClusterName.
    config.setClusterName(clusterName);
    config.setInstanceName(clusterName + "-" + bindAddress.getHostAddress() + "-" + settings.port()
        + "-" + Long.toHexString(System.nanoTime()));

    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // Members exchange heartbeats every second and drop a member silent for 10 s. A killed member is
    // dropped at once anyway (its connections close); the timeout only ever removes a frozen or
    // partitioned one, whose jobs the scheduler has moved after its own 4 s lease already. 5 s split
    // healthy members of a loaded two-core machine into clusters of one (seen in the fleet tests),
    // and every such split ends in a merge that stalls event-bus registrations.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    // Joining waits 5 s by default to gather simultaneous joiners; 1 s is plenty on a LAN.
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    // A node that found none of its join list formed a cluster of its own; look for the others
    // (split-brain merge) after 30 s instead of the default 5 minutes.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "30");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "30");
    // Vert.x leaves the cluster itself when it is closed; Hazelcast's own hook would tear the member
    // down underneath it first, and the launcher closes Vert.x on SIGTERM.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    // Vert.x keeps event-bus subscriptions and node addresses in these structures with one backup.
    // A worker killed while another is frozen (both within one repartitioning) then loses entries
    // whose two copies sat on those members, and messages to the control plane find no handler until
    // it republishes. Three copies survive any two members lost at once; the data is tiny.
    config.getMultiMapConfig("__vertx.subs").setBackupCount(2);
    config.getMapConfig("__vertx.nodeInfo").setBackupCount(2);
    config.getMapConfig("__vertx.haInfo").setBackupCount(2);

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.port()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).clear().addInterface(bindAddress.getHostAddress());
    // No other protocols on the member port: the REST and memcache endpoints would expose the data.
    network.getRestApiConfig().setEnabled(false);
    network.getMemcacheProtocolConfig().setEnabled(false);

    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).clear();
    for (ClusterSettings.Member member : joinList) {
      join.getTcpIpConfig().addMember(member.toString());
    }

    // Nothing runs code sent by another member: no Jet jobs, no class upload; and Java
    // deserialization refuses the well-known gadget classes.
    config.getJetConfig().setEnabled(false).setResourceUploadEnabled(false);
    config.getUserCodeDeploymentConfig().setEnabled(false);
    config.getSerializationConfig().setJavaSerializationFilterConfig(new JavaSerializationFilterConfig());
    return config;
  }

  private static Config vertxDefaults() {
    try (InputStream in = HazelcastClusterManager.class.getClassLoader().getResourceAsStream(VERTX_DEFAULTS)) {
      if (in == null) {
        throw new IllegalStateException(VERTX_DEFAULTS + " is missing from the classpath (vertx-hazelcast jar)");
      }
      return new XmlConfigBuilder(in).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
