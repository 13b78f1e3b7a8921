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

  public String current() {
    if (mysqlSet != null) {
      return mysqlSet.toString();
    }
    return String.join(",", mariaDomains.values());
  }
}
