package io.ferry.app.bench;

import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
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
      String[] names = {"source", "native 1 thread", "native parallel", "Ferry"};
      for (int i = 0; i < names.length; i++) {
        CONSOLE.info("  {}: {}", names[i], prints.get(i));
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
