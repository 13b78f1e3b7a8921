package io.ferry.app.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferry bench grid}: every workload of issue 6 with 1 and 16 clients and one huge transaction, each backlog
 * drained by the native replica (single-threaded and parallel) and by Ferry in a child process, then the live phase.
 */
@Command(name = "grid", mixinStandardHelpOptions = true, usageHelpWidth = 120,
    description = {
        "Runs the whole comparison of issue 6 in one go and prints it as a Markdown table.",
        "",
        "Starts four embedded MariaDB servers with the same durable settings (innodb_flush_log_at_trx_commit=1,",
        "sync_binlog=1, binlog on, log_slave_updates): a source, a single-threaded native replica, a parallel native",
        "replica (--native-threads, optimistic) and a Ferry destination, all loaded with the same sbtest tables",
        "without replication. Then, for each workload and each client count (and once for a single transaction that",
        "updates --huge-rows rows): records the source's position, builds the backlog, and times one after the other",
        "the single-threaded replica, the parallel replica and Ferry (`ferry replicate` in a child JVM, so its CPU",
        "and peak RSS are its own) draining it from that position; then compares CHECKSUM TABLE on all four servers.",
        "A mismatch is no result: the grid stops and exits 3.",
        "",
        "Then the live phase (unless --no-live): a heartbeat row updated every 100 ms on the source, an",
        "oltp_write_only load at a fixed rate with the better native replica and Ferry both following, their lag",
        "(age of the heartbeat each has applied, on the bench's clock) as p50/p99/max; then Ferry alone at rising",
        "rates (fractions of native's best drain rate from the grid) until its p99 lag reaches 1 s.",
        "",
        "Exit codes: 0 measured and consistent, 1 bad usage, 2 a phase failed, 3 the copies differ.",
        ""})
public final class GridBenchCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(GridBenchCommand.class);
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");
  private static final long SEED = 42;

  @Option(names = "--quick", description = "Small sizes for a smoke run of about 3 minutes (2 x 5,000 rows, 500"
      + " transactions per backlog, a 20,000-row huge transaction, live steps of 4 s); its ratios mean nothing.")
  boolean quick;

  @Option(names = "--tables", defaultValue = "-1", description = "sbtest tables (default 4).")
  int tables;

  @Option(names = "--table-size", defaultValue = "-1", description = "Rows per table (default 50,000).")
  int tableSize;

  @Option(names = "--transactions", defaultValue = "-1", description = "Transactions per backlog (default 10,000).")
  int transactions;

  @Option(names = "--huge-rows", defaultValue = "-1",
      description = "Rows the single huge transaction updates (default 500,000; 0 leaves it out).")
  int hugeRows;

  @Option(names = "--workloads", split = ",", description = "Workloads, comma-separated (default all five: "
      + "${COMPLETION-CANDIDATES}).")
  List<Workload> workloads;

  @Option(names = "--clients", split = ",", defaultValue = "1,16",
      description = "Client counts building each backlog (default ${DEFAULT-VALUE}).")
  List<Integer> clients;

  @Option(names = "--native-threads", defaultValue = "4",
      description = "slave_parallel_threads of the parallel native replica (optimistic; default ${DEFAULT-VALUE}).")
  int nativeThreads;

  @Option(names = "--ferry-batch-rows", defaultValue = "5000",
      description = "Ferry's tuning.batchMaxRows (default ${DEFAULT-VALUE}, Ferry's default).")
  int ferryBatchRows;

  @Option(names = "--ferry-jvm-options", defaultValue = "-Xmx512m",
      description = "JVM options of the Ferry process, space-separated (default ${DEFAULT-VALUE}); as the `ferry`"
          + " launcher, the bench adds the serial collector on two CPUs or fewer unless these name a collector.")
  String ferryJvmOptions;

  /** Where the grid's Ferry jobs run. */
  enum FerryProcess { host, fresh }

  @Option(names = "--ferry-process", defaultValue = "host", description = "host (default): one Ferry process runs"
      + " the backlogs' jobs one after the other, as a worker runs the jobs it is given (the first backlog meets a"
      + " new JVM, the later ones a JVM that has run jobs before); fresh: a new `ferry replicate` process per backlog,"
      + " as after a restart (its JIT compiles while it drains).")
  FerryProcess ferryProcess;

  @Option(names = "--repeat", defaultValue = "1", description = "Runs of the whole list of backlogs (default"
      + " ${DEFAULT-VALUE}); every second run has Ferry drain each backlog before the native replicas, and a summary"
      + " gives each backlog's median ratio over the runs.")
  int repeat;

  @Option(names = "--no-live", description = "Skip the live phase.")
  boolean noLive;

  @Option(names = "--live-seconds", defaultValue = "-1", description = "Seconds of each live step (default 15).")
  int liveSeconds;

  @Option(names = "--live-rate", defaultValue = "0", description = "Rate (tx/s) of the live phase with both systems"
      + " following (default: half of the native replica's best oltp_write_only drain rate in this grid).")
  int liveRate;

  @Option(names = "--live-clients", defaultValue = "32",
      description = "Connections sharing the live load (default ${DEFAULT-VALUE}: with 16, a durable source on two"
          + " cores shared with both followers could not write 90% of native's best drain rate).")
  int liveClients;

  private Path dir;
  private GridServers servers;
  private final String replPassword = secret();
  private final String ferryPassword = secret();

  @Override
  public Integer call() throws Exception {
    GridPlan.Sizes preset = quick ? GridPlan.Sizes.QUICK : GridPlan.Sizes.DEFAULT;
    GridPlan.Sizes sizes = new GridPlan.Sizes(pick(tables, preset.tables()), pick(tableSize, preset.tableSize()),
        pick(transactions, preset.transactions()), pick(hugeRows, preset.hugeRows()),
        pick(liveSeconds, preset.liveSeconds()));
    List<GridPlan.Case> cases;
    try {
      if (sizes.tables() < 1 || sizes.tableSize() < 1 || sizes.transactions() < 1 || nativeThreads < 1
          || ferryBatchRows < 1 || sizes.liveSeconds() < 1 || liveClients < 1 || repeat < 1) {
        throw new IllegalArgumentException("--tables, --table-size, --transactions, --native-threads,"
            + " --ferry-batch-rows, --live-seconds, --live-clients and --repeat must be positive");
      }
      cases = GridPlan.cases(workloads == null ? Arrays.asList(Workload.values()) : workloads, clients, sizes);
    } catch (IllegalArgumentException e) {
      CONSOLE.info("{}", e.getMessage());
      return 1;
    }
    CONSOLE.info("ferry bench grid: {}; {} backlogs{}; native replica single-threaded and {} threads (optimistic);"
        + " Ferry batchMaxRows {}, JVM options '{}', {}", sizes.describe(), cases.size(),
        repeat > 1 ? " x " + repeat + " runs" : "", nativeThreads, ferryBatchRows, String.join(" ", jvmOptions()),
        ferryProcess == FerryProcess.host ? "one Ferry process for all backlogs" : "a new Ferry process per backlog");
    dir = Files.createTempDirectory("ferry-bench-grid");
    CONSOLE.info("Starting four embedded MariaDB servers (durable: innodb_flush_log_at_trx_commit=1, sync_binlog=1)...");
    try (GridServers started = GridServers.start()) {
      servers = started;
      CONSOLE.info("  MariaDB {}, {} CPUs, {}", servers.source.version(), Runtime.getRuntime().availableProcessors(),
          machine());
      int code = run(sizes, cases);
      if (code == 0) {
        BenchApi.deleteTree(dir);
      } else {
        CONSOLE.info("Ferry's job files and logs are kept in {}", dir);
      }
      return code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw e;
    } catch (Exception e) {
      LOG.error("ferry bench grid failed: {}", e.toString(), e);
      CONSOLE.info("Ferry's job files and logs are kept in {}", dir);
      return 2;
    }
  }

  private static int pick(int option, int preset) {
    return option >= 0 ? option : preset;
  }

  private int run(GridPlan.Sizes sizes, List<GridPlan.Case> cases) throws Exception {
    servers.source.createUser("bench_repl", replPassword, "REPLICATION SLAVE, BINLOG MONITOR ON *.*",
        "SELECT ON " + Sbtest.DATABASE + ".*");
    servers.destination.createUser("ferry", ferryPassword, "ALL ON " + Sbtest.DATABASE + ".*", "ALL ON _ferry.*");
    long t0 = System.nanoTime();
    CONSOLE.info("Loading {} x {} rows into all four servers (not replicated)...", sizes.tables(), sizes.tableSize());
    servers.onAll(c -> {
      Sbtest.createAndLoad(c, sizes.tables(), sizes.tableSize(), SEED);
      Sbtest.createHeartbeat(c);
    });
    CONSOLE.info("  loaded in {} s", WriteOnlyLoad.fmt((System.nanoTime() - t0) / 1e9));

    List<GridReport.Row> rows = new ArrayList<>();
    List<String> nativeNames = List.of("native 1 thread", "native " + nativeThreads + " threads");
    int total = cases.size() * repeat;
    try (GridDrains drains = new GridDrains(dir, servers, new GridDrains.Users("bench_repl", replPassword, "ferry",
        ferryPassword), nativeThreads, ferryBatchRows, jvmOptions(), SEED, ferryProcess == FerryProcess.fresh)) {
      for (int i = 0; i < total; i++) {
        GridPlan.Case c = cases.get(i % cases.size());
        int run = i / cases.size();
        String label = repeat > 1 ? c.label() + " #" + (run + 1) : c.label();
        boolean ferryFirst = run % 2 == 1;
        CONSOLE.info("");
        CONSOLE.info("[{}/{}] {}{}", i + 1, total, label, ferryFirst ? " (Ferry drains first)" : "");
        GridReport.Row row = drains.run(c, label, sizes, ferryFirst);
        rows.add(row);
        if (!row.consistent()) {
          printTable(rows, nativeNames, sizes);
          return 3;
        }
        CONSOLE.info("  {}", GridReport.table(List.of(row), nativeNames).get(2));
      }
    }
    printTable(rows, nativeNames, sizes);
    if (repeat > 1) {
      for (String line : GridReport.summary(rows)) {
        CONSOLE.info("{}", line);
      }
      CONSOLE.info("");
    }

    if (noLive) {
      return 0;
    }
    GridReport.Row anchor = null;
    for (GridReport.Row r : rows) {
      if (r.label().startsWith(Workload.OLTP_WRITE_ONLY.sysbenchName())
          && (anchor == null || r.bestNative().perSecond(r.transactions())
          > anchor.bestNative().perSecond(anchor.transactions()))) {
        anchor = r;
      }
    }
    if (anchor == null) {
      CONSOLE.info("The live phase needs oltp_write_only in the grid (native's best drain rate); skipped.");
      return 0;
    }
    GridReport.Drain best = anchor.bestNative();
    double nativeBest = best.perSecond(anchor.transactions());
    boolean parallelBest = best == anchor.natives().get(1);
    LivePhase live = new LivePhase(dir, servers.source, parallelBest ? servers.parallel : servers.single,
        parallelBest ? nativeThreads : 0, servers.destination, "bench_repl", replPassword, "ferry", ferryPassword,
        sizes, liveClients, SEED, ferryBatchRows, jvmOptions());
    return live.run(nativeBest, best.system() + ", " + anchor.label(), liveRate);
  }

  private void printTable(List<GridReport.Row> rows, List<String> nativeNames, GridPlan.Sizes sizes) {
    CONSOLE.info("");
    CONSOLE.info("Results ({}; durable servers; Ferry / best native > 1 means Ferry is faster; Ferry time and CPU"
        + " count from the moment its job streams, RSS is the process's peak):", sizes.describe());
    CONSOLE.info("");
    for (String line : GridReport.table(rows, nativeNames)) {
      CONSOLE.info("{}", line);
    }
    CONSOLE.info("");
  }

  /** The Ferry process's JVM options: {@code --ferry-jvm-options} and what the launcher adds (see {@link LauncherJvm}). */
  private List<String> jvmOptions() {
    return LauncherJvm.options(ferryJvmOptions);
  }

  /** The CPU model and memory, for the report. */
  static String machine() {
    String cpu = "unknown CPU";
    String mem = "";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
      mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
          .map(l -> String.format(Locale.ROOT, ", %.0f GB RAM",
              Double.parseDouble(l.replaceAll("[^0-9]", "")) / 1024 / 1024)).findFirst().orElse("");
    } catch (Exception e) {
      // not Linux: the report goes without it
    }
    return cpu + mem + ", Java " + System.getProperty("java.version");
  }

  static String secret() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
