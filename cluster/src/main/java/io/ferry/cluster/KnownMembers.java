package io.ferry.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster members this node last saw, kept in a file of its own data directory so that a
 * restarted node joins the running cluster directly instead of founding one of its own.
 *
 * <p>Why it matters: workers are started with {@code FERRY_CLUSTER_JOIN} naming the control plane,
 * while the control plane usually names nobody. A restarted control plane therefore found no one,
 * formed a cluster of one, and was merged into the workers' cluster a moment later by Hazelcast's
 * split-brain handling, which restarts the merging member underneath Vert.x: its event-bus
 * registrations stalled for as long as the merge took (more than a minute on a loaded two-core
 * machine). With the members it saw before it stopped on its join list, it simply joins them.
 *
 * <p>Addresses that no longer answer cost one refused connection each at join. The file holds host:port
 * lines and nothing secret; Hazelcast itself refuses members of another cluster.
 */
public final class KnownMembers {
  private static final Logger LOG = LoggerFactory.getLogger(KnownMembers.class);
  /** The file's name in the node's data directory. */
  public static final String FILE = "cluster-members";
  /** At most this many addresses are kept (the newest members first do not matter: any one suffices). */
  static final int MAX = 16;

  private final Path file;

  private KnownMembers(Path file) {
    this.file = file;
  }

  /** The members remembered in {@code dataDir}/{@value #FILE}. */
  public static KnownMembers in(Path dataDir) {
    return new KnownMembers(dataDir.resolve(FILE));
  }

  /** Nothing remembered, nothing written. */
  public static KnownMembers none() {
    return new KnownMembers(null);
  }

  /** The remembered members, in their order in the file; empty when there is no readable file. */
  List<ClusterSettings.Member> read() {
    if (file == null) {
      return List.of();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      LOG.warn("cannot read the remembered cluster members in {}: {}", file, e.toString());
      return List.of();
    }
    List<String> problems = new ArrayList<>();
    String joined = String.join(",", lines.stream().map(String::trim).filter(l -> !l.isEmpty()).toList());
    List<ClusterSettings.Member> members = ClusterSettings.parseJoin(joined.isEmpty() ? null : joined, problems);
    if (!problems.isEmpty()) {
      LOG.warn("ignoring entries of {}: {}", file, problems);
    }
    return members;
  }

  /**
   * The join list: the configured members, then the remembered ones not already named, without this
   * node's own address.
   */
  List<ClusterSettings.Member> joinList(ClusterSettings settings, String ownHost) {
    Set<ClusterSettings.Member> out = new LinkedHashSet<>(settings.join());
    for (ClusterSettings.Member m : read()) {
      boolean self = m.port() == settings.port() && m.host().equals(ownHost);
      if (!self && out.size() < settings.join().size() + MAX) {
        out.add(m);
      }
    }
    return List.copyOf(out);
  }

  /** Writes the members other than this one now, and again whenever the membership changes. */
  void follow(HazelcastInstance hazelcast) {
    if (file == null) {
      return;
    }
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        write(event.getMembers());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        write(event.getMembers());
      }
    });
    write(hazelcast.getCluster().getMembers());
  }

  /**
   * Keeps the current members; a member that just left stays listed when no other is left, so a node
   * that outlived everyone else still knows where to look.
   */
  private synchronized void write(Set<Member> members) {
    List<String> lines = new ArrayList<>();
    for (Member m : members) {
      if (!m.localMember()) {
        InetSocketAddress a = m.getSocketAddress();
        lines.add(new ClusterSettings.Member(a.getHostString(), a.getPort()).toString());
      }
    }
    if (lines.isEmpty()) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".cluster-members-", ".tmp");
      Files.write(tmp, lines.subList(0, Math.min(MAX, lines.size())), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.warn("cannot remember the cluster members in {}: {}", file, e.toString());
    }
  }
}
