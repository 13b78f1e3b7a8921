package io.ferry.worker.position;

import com.github.shyiko.mysql.binlog.GtidSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * The executed GTID set as a stream advances. MariaDB keeps one {@code domain-server-seq} per domain
 * (the last one wins, as in {@code gtid_slave_pos}); MySQL keeps {@code uuid:intervals}. Owned by the
 * binlog reader thread.
 */
public final class GtidTracker {
  private final Map<Long, String> mariaDomains = new TreeMap<>();
  private GtidSet mysqlSet;

  public GtidTracker(String initial) {
    reset(initial);
  }

  public void reset(String initial) {
    mariaDomains.clear();
    mysqlSet = null;
    if (initial == null || initial.isBlank()) {
      return;
    }
    if (initial.contains(":")) {
      mysqlSet = new GtidSet(initial);
      return;
    }
    for (String g : initial.split(",")) {
      String t = g.trim();
      if (!t.isEmpty()) {
        mariaDomains.put(Long.parseLong(t.substring(0, t.indexOf('-'))), t);
      }
    }
  }

  public void addMariaDb(long domain, long serverId, long sequence) {
    mariaDomains.put(domain, domain + "-" + serverId + "-" + sequence);
  }

  public void addMySql(String gtid) {
    if (mysqlSet == null) {
      mysqlSet = new GtidSet("");
    }
    mysqlSet.add(gtid);
  }

  /**
   * What of {@code checkpoint} the source's executed set {@code source} lacks, or null when it has it all:
   * a source whose history was reset (RESET MASTER) or that is another server. MariaDB: a domain whose
   * last sequence number on the source is below the checkpoint's (or absent); MySQL: GTIDs outside the
   * source's {@code gtid_executed}. An empty checkpoint or source set tells nothing (null).
   */
  public static String missingFrom(String checkpoint, String source) {
    if (checkpoint == null || checkpoint.isBlank() || source == null || source.isBlank()) {
      return null;
    }
    if (checkpoint.contains(":")) {
      return source.contains(":") && new GtidSet(checkpoint).isContainedWithin(new GtidSet(source)) ? null
          : "GTIDs " + checkpoint + " are not all in the source's " + source;
    }
    Map<Long, Long> have = new TreeMap<>();
    for (String g : source.split(",")) {
      String[] p = g.trim().split("-");
      if (p.length == 3) {
        have.merge(Long.parseLong(p[0]), Long.parseLong(p[2]), Math::max);
      }
    }
    for (String g : checkpoint.split(",")) {
      String[] p = g.trim().split("-");
      if (p.length == 3 && have.getOrDefault(Long.parseLong(p[0]), 0L) < Long.parseLong(p[2])) {
        return "GTID " + g.trim() + " is ahead of the source's " + source;
      }
    }
    return null;
  }

  public String current() {
    if (mysqlSet != null) {
      return mysqlSet.toString();
    }
    return String.join(",", mariaDomains.values());
  }
}
