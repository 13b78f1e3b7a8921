package io.ferry.app.bench;

import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The four embedded servers of {@code ferry bench grid}, all with the same durable settings: the source, the
 * single-threaded and the parallel native replica, and Ferry's destination; closed together.
 */
final class GridServers implements AutoCloseable {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");
  private static final String BUFFER_POOL = "256M";
  private static final String[] NAMES = {"source", "native 1 thread", "native parallel", "Ferry's destination"};
  private static final long QUIET_WINDOW_MILLIS = 500;
  private static final double QUIET_CPU_SHARE = 0.10;

  final MariaDbServer source;
  final MariaDbServer single;
  final MariaDbServer parallel;
  final MariaDbServer destination;

  private GridServers(MariaDbServer source, MariaDbServer single, MariaDbServer parallel, MariaDbServer destination) {
    this.source = source;
    this.single = single;
    this.parallel = parallel;
    this.destination = destination;
  }

  /** Starts the four servers; those already started are closed again when one fails to start. */
  static GridServers start() {
    List<MariaDbServer> started = new ArrayList<>();
    try {
      started.add(MariaDbServer.start(config(MariaDbConfig.Role.SOURCE, 1)));
      started.add(MariaDbServer.start(config(MariaDbConfig.Role.DESTINATION, 2)));
      started.add(MariaDbServer.start(config(MariaDbConfig.Role.DESTINATION, 4)));
      started.add(MariaDbServer.start(config(MariaDbConfig.Role.DESTINATION, 3)));
    } catch (RuntimeException | Error e) {
      closeAll(started, e);
      throw e;
    }
    return new GridServers(started.get(0), started.get(1), started.get(2), started.get(3));
  }

  private static MariaDbConfig config(MariaDbConfig.Role role, int serverId) {
    return MariaDbConfig.builder().role(role).serverId(serverId).durable(true)
        .option("innodb_buffer_pool_size", BUFFER_POOL).build();
  }

  List<MariaDbServer> all() {
    return List.of(source, single, parallel, destination);
  }

  /**
   * Waits until no server still works off what came before (InnoDB's purge of the last backlog's old row versions,
   * page flushing): every server's undo history is empty and every server process used under a tenth of a core in
   * the last half second; at most {@code maxSeconds}. Each drain is timed on servers that are otherwise idle, so no
   * follower pays for the one drained before it (a purge after a 500,000-row update takes a core for seconds here).
   * Returns the seconds waited and prints them when they were more than one window.
   */
  double awaitQuiet(String before, int maxSeconds) throws Exception {
    List<MariaDbServer> servers = all();
    List<Connection> conns = new ArrayList<>();
    long t0 = System.nanoTime();
    try {
      for (MariaDbServer s : servers) {
        conns.add(s.rootConnection());
      }
      double[] cpu = new double[servers.size()];
      for (int i = 0; i < cpu.length; i++) {
        cpu[i] = CpuMeter.processCpuSeconds(servers.get(i).pid());
      }
      String busy = "";
      while (System.nanoTime() - t0 < maxSeconds * 1_000_000_000L) {
        Thread.sleep(QUIET_WINDOW_MILLIS);
        busy = "";
        for (int i = 0; i < cpu.length; i++) {
          double now = CpuMeter.processCpuSeconds(servers.get(i).pid());
          double share = (now - cpu[i]) / (QUIET_WINDOW_MILLIS / 1000.0);
          cpu[i] = now;
          long history = historyLength(conns.get(i));
          if (share >= QUIET_CPU_SHARE || history > 0) {
            busy += String.format(Locale.ROOT, " %s (%.0f%% of a core, undo history %d)", NAMES[i],
                share * 100, history);
          }
        }
        if (busy.isEmpty()) {
          break;
        }
      }
      double waited = (System.nanoTime() - t0) / 1e9;
      if (!busy.isEmpty()) {
        CONSOLE.info("  servers still busy after {} s before {}:{}; timing anyway", maxSeconds, before, busy);
      } else if (waited > 2 * QUIET_WINDOW_MILLIS / 1000.0) {
        CONSOLE.info("  waited {} s for the servers to be idle before {}", WriteOnlyLoad.fmt(waited), before);
      }
      return waited;
    } finally {
      for (Connection c : conns) {
        c.close();
      }
    }
  }

  private static long historyLength(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Innodb_history_list_length'")) {
      return rs.next() ? rs.getLong(2) : 0;
    }
  }

  /** The source's current binlog position. */
  BinlogCoordinates position() throws Exception {
    try (Connection c = source.rootConnection()) {
      return BinlogCoordinates.current(c);
    }
  }

  /** Whether {@code tables} have the same CHECKSUM TABLE on all four servers; prints the verdict. */
  boolean consistent(List<String> tables) throws Exception {
    List<List<String>> prints = new ArrayList<>();
    for (MariaDbServer s : all()) {
      try (Connection c = s.rootConnection()) {
        prints.add(Sbtest.fingerprints(c, tables));
      }
    }
    boolean same = prints.stream().allMatch(p -> p.equals(prints.get(0)));
    if (!same) {
      for (int i = 0; i < NAMES.length; i++) {
        CONSOLE.info("  {}: {}", NAMES[i], prints.get(i));
      }
      CONSOLE.info("!!! NO RESULT: the copies DIFFER from the source (see above). The timings of this run mean nothing.");
    } else {
      CONSOLE.info("  CHECKSUM TABLE equal on all four servers ({} tables)", tables.size());
    }
    return same;
  }

  interface ConnectionTask {
    void run(Connection c) throws Exception;
  }

  /** Runs {@code task} on each server at once, each on its own connection (batched statements rewritten). */
  void onAll(ConnectionTask task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (MariaDbServer s : all()) {
        futures.add(pool.submit(() -> {
          try (Connection c = DriverManager.getConnection(s.jdbcUrl(null) + "&rewriteBatchedStatements=true",
              s.adminUser(), s.adminPassword())) {
            task.run(c);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Closes the servers in reverse order of their start. */
  @Override
  public void close() {
    closeAll(all(), null);
  }

  /** Closes {@code servers} last first; their failures go to {@code failure} if given, else the first is thrown. */
  private static void closeAll(List<MariaDbServer> servers, Throwable failure) {
    RuntimeException first = null;
    for (int i = servers.size() - 1; i >= 0; i--) {
      try {
        servers.get(i).close();
      } catch (RuntimeException e) {
        if (failure != null) {
          failure.addSuppressed(e);
        } else if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
