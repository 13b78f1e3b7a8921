package io.ferry.app.bench;

import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import java.security.SecureRandom;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferry bench}: Ferry against MariaDB's own replica, on this machine, in one run (see docs/PERFORMANCE.md).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, usageHelpWidth = 120, subcommands = {DecodeBenchCommand.class, FleetBenchCommand.class, GridBenchCommand.class, MemoryBenchCommand.class,
    CopyBenchCommand.class},
    description = {
        "Measures how fast Ferry drains a replication backlog, against MariaDB's native replica in the same run.",
        "",
        "Starts three embedded MariaDB servers with the same durable settings (innodb_flush_log_at_trx_commit=1,",
        "sync_binlog=1, binlog on): a source, a native replica and a Ferry destination. Loads the same sysbench-shaped",
        "tables (sbtest.sbtest1..N: id PK, k, c CHAR(120), pad CHAR(60)) into all three without replication,",
        "records the source's binlog position, then builds a fixed backlog of sysbench-style transactions on the",
        "source (--workload; oltp_write_only: UPDATE k, UPDATE c, DELETE + INSERT of one id). Then it times, one after the",
        "other: the native replica (CHANGE MASTER TO the recorded position, START SLAVE, until it has executed the",
        "source's end position) and Ferry (a job in this JVM from the same position until its checkpoint reaches",
        "the end). Finally it compares CHECKSUM TABLE of every table on all three servers; a mismatch is no result",
        "and exits 3. Prints seconds, row changes/s, transactions/s, CPU and the Ferry/native ratio.",
        "",
        "Exit codes: 0 measured and consistent, 1 bad usage, 2 a phase failed, 3 the copies differ.",
        ""})
public final class BenchCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(BenchCommand.class);
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");
  private static final long SEED = 42;
  private static final String BUFFER_POOL = "256M";

  @Option(names = "--tables", defaultValue = "4", description = "Number of sbtest tables (default ${DEFAULT-VALUE}).")
  int tables;

  @Option(names = "--table-size", defaultValue = "50000", description = "Rows per table (default ${DEFAULT-VALUE}).")
  int tableSize;

  @Option(names = "--transactions", defaultValue = "20000",
      description = "Transactions in the backlog (default ${DEFAULT-VALUE}).")
  int transactions;

  @Option(names = "--clients", defaultValue = "1",
      description = "Connections building the backlog on the source (default ${DEFAULT-VALUE}; 16 gives group commits).")
  int clients;

  @Option(names = "--native-threads", defaultValue = "0",
      description = "slave_parallel_threads of the native replica (default ${DEFAULT-VALUE}; >0 uses"
          + " slave_parallel_mode=optimistic).")
  int nativeThreads;

  @Option(names = "--ferry-batch-rows", defaultValue = "5000",
      description = "Ferry's tuning.batchMaxRows (default ${DEFAULT-VALUE}, Ferry's default).")
  int ferryBatchRows;

  @Option(names = "--workload", defaultValue = "OLTP_WRITE_ONLY",
      description = "The backlog's sysbench workload: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  Workload workload;

  @Option(names = "--profile",
      description = "Sample the Ferry threads' stacks every 10 ms while Ferry drains, and print where they were.")
  boolean profile;

  @Override
  public Integer call() throws Exception {
    if (tables < 1 || tableSize < 1 || transactions < 1 || clients < 1 || nativeThreads < 0 || ferryBatchRows < 1) {
      CONSOLE.info("--tables, --table-size, --transactions, --clients and --ferry-batch-rows must be positive,"
          + " --native-threads not negative.");
      return 1;
    }
    String setup = tables + " tables x " + tableSize + " rows, " + clients + " client(s), native replica "
        + (nativeThreads == 0 ? "single-threaded" : nativeThreads + " parallel threads (optimistic)")
        + ", Ferry batchMaxRows " + ferryBatchRows;
    CONSOLE.info("ferry bench: {}", setup);
    CONSOLE.info("Starting three embedded MariaDB servers (durable: innodb_flush_log_at_trx_commit=1, sync_binlog=1)...");
    try (MariaDbServer source = MariaDbServer.start(config(MariaDbConfig.Role.SOURCE, 1));
         MariaDbServer replica = MariaDbServer.start(config(MariaDbConfig.Role.DESTINATION, 2));
         MariaDbServer destination = MariaDbServer.start(config(MariaDbConfig.Role.DESTINATION, 3))) {
      CONSOLE.info("  source {}:{}, native replica {}:{}, Ferry destination {}:{} (MariaDB {}, {} CPUs)",
          source.host(), source.port(), replica.host(), replica.port(), destination.host(), destination.port(),
          source.version(), Runtime.getRuntime().availableProcessors());
      return run(source, replica, destination, setup);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw e;
    } catch (Exception e) {
      LOG.error("ferry bench failed: {}", e.toString(), e);
      return 2;
    }
  }

  private static MariaDbConfig config(MariaDbConfig.Role role, int serverId) {
    return MariaDbConfig.builder().role(role).serverId(serverId).durable(true)
        .option("innodb_buffer_pool_size", BUFFER_POOL).build();
  }

  private int run(MariaDbServer source, MariaDbServer replica, MariaDbServer destination, String setup) throws Exception {
    String replPassword = secret();
    String ferryPassword = secret();
    source.createUser("bench_repl", replPassword, "REPLICATION SLAVE, BINLOG MONITOR ON *.*",
        "SELECT ON " + Sbtest.DATABASE + ".*");
    destination.createUser("ferry", ferryPassword, "ALL ON " + Sbtest.DATABASE + ".*", "ALL ON _ferry.*");

    long t0 = System.nanoTime();
    CONSOLE.info("Loading {} x {} rows into all three servers (not replicated)...", tables, tableSize);
    loadAll(List.of(source, replica, destination));
    CONSOLE.info("  loaded in {} s", WriteOnlyLoad.fmt((System.nanoTime() - t0) / 1e9));

    BinlogCoordinates start;
    try (Connection c = source.rootConnection()) {
      start = BinlogCoordinates.current(c);
    }
    CONSOLE.info("Backlog starts at {}", start);
    CONSOLE.info("Building the backlog: {} {} transactions with {} client(s)...", transactions,
        workload.sysbenchName(), clients);
    new WriteOnlyLoad(source, tables, tableSize, SEED, workload).run(transactions, clients);
    BinlogCoordinates end;
    try (Connection c = source.rootConnection()) {
      end = BinlogCoordinates.current(c);
    }
    CONSOLE.info("Backlog ends at {} ({} binlog bytes)", end,
        end.file().equals(start.file()) ? end.position() - start.position() : "several files,");

    List<PhaseResult> results = new ArrayList<>();
    CONSOLE.info("Timing the native replica...");
    try {
      results.add(NativeReplica.drain(replica, source, "bench_repl", replPassword, start, end, nativeThreads));
    } catch (Exception e) {
      LOG.error("The native replica phase failed: {}", e.getMessage());
      return 2;
    }
    CONSOLE.info("  native replica drained the backlog in {} s", WriteOnlyLoad.fmt(results.get(0).seconds()));
    CONSOLE.info("Timing Ferry...");
    try {
      results.add(FerryDrain.drain(source, "bench_repl", replPassword, destination, "ferry", ferryPassword, start, end,
          ferryBatchRows, profile));
    } catch (io.ferry.worker.error.FerryException e) {
      LOG.error("The Ferry phase failed: {}", e.describe());
      return 2;
    }
    CONSOLE.info("  Ferry drained the backlog in {} s", WriteOnlyLoad.fmt(results.get(1).seconds()));

    if (!consistent(source, replica, destination)) {
      return 3;
    }
    BenchReport.print(results, transactions, workload.rowChangesPerTransaction, workload.sysbenchName() + ", " + setup);
    return 0;
  }

  private void loadAll(List<MariaDbServer> servers) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(servers.size());
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (MariaDbServer s : servers) {
        futures.add(pool.submit(() -> {
          try (Connection c = java.sql.DriverManager.getConnection(s.jdbcUrl(null) + "&rewriteBatchedStatements=true",
              s.adminUser(), s.adminPassword())) {
            Sbtest.createAndLoad(c, tables, tableSize, SEED);
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

  private boolean consistent(MariaDbServer source, MariaDbServer replica, MariaDbServer destination) throws Exception {
    CONSOLE.info("Comparing CHECKSUM TABLE on all three servers...");
    List<String> s;
    List<String> r;
    List<String> d;
    try (Connection a = source.rootConnection(); Connection b = replica.rootConnection();
         Connection c = destination.rootConnection()) {
      s = Sbtest.fingerprints(a, tables);
      r = Sbtest.fingerprints(b, tables);
      d = Sbtest.fingerprints(c, tables);
    }
    boolean same = s.equals(r) && s.equals(d);
    for (int i = 0; i < s.size(); i++) {
      CONSOLE.info("  source {} | replica {} | Ferry {}", s.get(i), r.get(i).equals(s.get(i)) ? "same" : r.get(i),
          d.get(i).equals(s.get(i)) ? "same" : d.get(i));
    }
    if (!same) {
      CONSOLE.info("");
      CONSOLE.info("!!! NO RESULT: the copies DIFFER from the source (see above). The timings of this run mean nothing.");
      CONSOLE.info("!!! Keep the log and investigate before benchmarking again.");
    }
    return same;
  }

  private static String secret() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
