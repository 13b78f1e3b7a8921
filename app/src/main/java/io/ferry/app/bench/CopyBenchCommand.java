package io.ferry.app.bench;

import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import io.ferry.mariadb.check.WriteLoad;
import io.ferry.worker.JobListener;
import io.ferry.worker.JobOptions;
import io.ferry.worker.JobRunner;
import io.ferry.worker.JobState;
import io.ferry.worker.JobStats;
import io.ferry.worker.config.ConnectionConfig;
import io.ferry.worker.config.DdlPolicy;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.StartPosition;
import io.ferry.worker.config.TableFilter;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.jdbc.SourceQueries;
import io.ferry.worker.position.BinlogPosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferry bench copy}: the initial copy against {@code mariadb-dump | mariadb} on the same tables
 * in the same run, and the source's write latency while Ferry copies.
 */
@Command(name = "copy", mixinStandardHelpOptions = true, usageHelpWidth = 120,
    description = {"Times Ferry's initial copy (start: snapshot) against mariadb-dump | mariadb on the same tables.",
        "",
        "Starts a source and a destination (embedded MariaDB, durable: innodb_flush_log_at_trx_commit=1,",
        "sync_binlog=1) and fills --tables tables of mixed types with --rows rows in all. First pipes",
        "mariadb-dump --single-transaction --quick into the mariadb client (into database copybench_dump), then",
        "runs a Ferry job with start: snapshot (into copybench_ferry) while a write load changes the source at",
        "--load-rate transactions/s and records each transaction's latency. Both copies are compared with the",
        "source by CHECKSUM TABLE (Ferry's after it has caught up with the load); a mismatch is no result.",
        "Prints rows/s and MB/s of each, the ratios, Ferry's CPU seconds and heap (its peak, garbage included, and the",
        "most in use right after a collection), and the load's latency;",
        "--parallel 1,4 times Ferry with 1 and with 4 copy lanes in the same run (same tables, same servers).",
        "--keys deferred (the default) lets Ferry create the tables, which get their secondary index once copied;",
        "--keys kept creates them beforehand with every index, so the copy updates the index row by row;",
        "--keys deferred,kept times both for each lane count. Each copy also reports the CPU seconds the",
        "destination and source servers used (less sensitive to a busy machine than the elapsed time).",
        "",
        "Exit codes: 0 measured and consistent, 1 bad usage, 2 a phase failed, 3 a copy differs."})
final class CopyBenchCommand implements Callable<Integer> {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");
  private static final Logger LOG = LoggerFactory.getLogger(CopyBenchCommand.class);
  static final String DB = "copybench";

  @Option(names = "--rows", description = "Rows in all tables (default ${DEFAULT-VALUE}).")
  int rows = 1_000_000;

  @Option(names = "--tables", description = "Tables (default ${DEFAULT-VALUE}).")
  int tables = 4;

  @Option(names = "--chunk-rows", description = "Ferry's start.snapshot.chunkRows (default ${DEFAULT-VALUE}).")
  int chunkRows = StartPosition.Snapshot.DEFAULT_CHUNK_ROWS;

  @Option(names = "--parallel", split = ",", description = "Ferry's start.snapshot.parallel (copy lanes); several "
      + "values (e.g. 1,4) time one Ferry copy each, in this run (default ${DEFAULT-VALUE}).")
  List<Integer> parallel = List.of(StartPosition.Snapshot.DEFAULT_PARALLEL);

  @Option(names = "--keys", split = ",", description = "deferred: Ferry creates the tables (secondary indexes added"
      + " once copied); kept: the tables exist beforehand with every index; both: deferred,kept (default ${DEFAULT-VALUE}).")
  List<Keys> keys = List.of(Keys.deferred);

  /** Whether Ferry creates the destination tables (and defers their secondary indexes) or finds them. */
  enum Keys { deferred, kept }

  @Option(names = "--profile", description = "Sample the Ferry threads' stacks while Ferry copies and print where they were.")
  boolean profile;

  @Option(names = "--load-rate", description = "Write transactions/s on the source during Ferry's copy (default ${DEFAULT-VALUE}).")
  int loadRate = 200;

  @Override
  public Integer call() throws Exception {
    if (rows < tables || tables < 1 || chunkRows < 1 || loadRate < 0 || parallel.stream().anyMatch(p -> p < 1 || p > 64)) {
      CONSOLE.info("--rows must be at least --tables, which must be positive; --chunk-rows positive, --load-rate >= 0,"
          + " --parallel between 1 and 64.");
      return 1;
    }
    CONSOLE.info("ferry bench copy: {} rows in {} tables, chunks of {} rows, {} lanes, write load {} tx/s", rows,
        tables, chunkRows, parallel, loadRate);
    try (MariaDbServer source = MariaDbServer.start(config(MariaDbConfig.Role.SOURCE, 1));
         MariaDbServer destination = MariaDbServer.start(config(MariaDbConfig.Role.DESTINATION, 2))) {
      CONSOLE.info("  source {}:{}, destination {}:{} (MariaDB {}, {} CPUs)", source.host(), source.port(),
          destination.host(), destination.port(), source.version(), Runtime.getRuntime().availableProcessors());
      return run(source, destination);
    } catch (Exception e) {
      LOG.error("ferry bench copy failed: {}", e.toString(), e);
      return 2;
    }
  }

  private static MariaDbConfig config(MariaDbConfig.Role role, int serverId) {
    return MariaDbConfig.builder().role(role).serverId(serverId).durable(true)
        .option("innodb_buffer_pool_size", "512M").build();
  }

  private int run(MariaDbServer source, MariaDbServer destination) throws Exception {
    long t0 = System.nanoTime();
    CopyBenchTables.create(source, tables, rows);
    double megabytes = CopyBenchTables.megabytes(source);
    CONSOLE.info("  filled in {} s: {} MB of data", WriteOnlyLoad.fmt((System.nanoTime() - t0) / 1e9),
        WriteOnlyLoad.fmt(megabytes));

    CONSOLE.info("Timing mariadb-dump | mariadb...");
    ServerCpu dumpCpu = new ServerCpu(source, destination);
    double dumpSeconds = dumpAndLoad(source, destination);
    double[] dumpServers = dumpCpu.since();
    CONSOLE.info("  done in {} s (destination server {} CPU s, source server {} CPU s)", WriteOnlyLoad.fmt(dumpSeconds),
        WriteOnlyLoad.fmt(dumpServers[0]), WriteOnlyLoad.fmt(dumpServers[1]));
    if (!CopyBenchTables.sameAs(source, DB, destination, DB + "_dump", tables)) {
      CONSOLE.info("!!! NO RESULT: the dumped copy differs from the source.");
      return 3;
    }

    List<FerryCopy> copies = new java.util.ArrayList<>();
    List<int[]> runs = new java.util.ArrayList<>(); // lanes, keys ordinal
    parallel.forEach(lanes -> keys.forEach(k -> runs.add(new int[] {lanes, k.ordinal()})));
    for (int[] run : runs) {
      int lanes = run[0];
      Keys keyMode = Keys.values()[run[1]];
      String target = DB + "_ferry" + (runs.size() > 1 ? "_" + (copies.size() + 1) + "_p" + lanes : "");
      if (keyMode == Keys.kept) {
        CopyBenchTables.createLike(source, destination, target, tables);
      }
      CONSOLE.info("Timing Ferry's initial copy ({} lanes, indexes {}) under a write load of {} tx/s...", lanes,
          keyMode, loadRate);
      WriteLoad load = CopyBenchTables.load(source, tables, rows, loadRate, rows * 10L + copies.size() * 10_000_000L);
      FerryCopy ferry;
      load.start();
      ServerCpu cpu = new ServerCpu(source, destination);
      try {
        ferry = ferryCopy(source, destination, lanes, target);
      } finally {
        load.stop();
      }
      ferry.servers = cpu.since();
      ferry.keys = keyMode;
      ferry.load = load;
      CONSOLE.info("  copied in {} s; catching up with the load...", WriteOnlyLoad.fmt(ferry.seconds));
      BinlogPosition end;
      try (Connection c = source.rootConnection()) {
        end = SourceQueries.currentPosition(c);
      }
      boolean same = ferry.awaitPosition(end) && CopyBenchTables.sameAs(source, DB, destination, target, tables);
      ferry.runner.stop();
      ferry.runner.awaitTermination(30, TimeUnit.SECONDS);
      if (!same) {
        CONSOLE.info("!!! NO RESULT: Ferry's copy ({} lanes) differs from the source.", lanes);
        return 3;
      }
      copies.add(ferry);
      destination.execute("DROP DATABASE " + target); // each copy meets the same destination (and buffer pool)
    }
    report(megabytes, dumpSeconds, copies);
    return 0;
  }

  private double dumpAndLoad(MariaDbServer source, MariaDbServer destination) throws IOException, InterruptedException {
    Path client = source.binaries().clientPath().orElseThrow(() -> new IllegalStateException(
        "this MariaDB distribution has no mariadb client"));
    Path dump = client.resolveSibling("mariadb-dump");
    destination.execute("CREATE DATABASE " + DB + "_dump");
    String command = quote(dump) + " --no-defaults --host=" + source.host() + " --port=" + source.port() + " --user="
        + source.adminUser() + " --single-transaction --quick " + DB + " | " + quote(client) + " --no-defaults --host="
        + destination.host() + " --port=" + destination.port() + " --user=" + destination.adminUser() + " " + DB + "_dump";
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -o pipefail; " + command);
    if (source.binaries().libDir() != null) {
      pb.environment().put("LD_LIBRARY_PATH", source.binaries().libDir().toString());
    }
    Path log = Files.createTempFile("ferry-bench-dump", ".log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    long start = System.nanoTime();
    Process p = pb.start();
    int exit = p.waitFor();
    double seconds = (System.nanoTime() - start) / 1e9;
    String output = Files.readString(log);
    Files.deleteIfExists(log);
    if (exit != 0) {
      throw new IllegalStateException("mariadb-dump | mariadb exited " + exit + ": " + output);
    }
    return seconds;
  }

  private static String quote(Path p) {
    return "'" + p.toString().replace("'", "'\\''") + "'";
  }

  /** CPU seconds the destination and source servers use from its creation on. */
  private record ServerCpu(long destinationPid, long sourcePid, double destination0, double source0) {
    ServerCpu(MariaDbServer source, MariaDbServer destination) {
      this(destination.pid(), source.pid(), CpuMeter.processCpuSeconds(destination.pid()),
          CpuMeter.processCpuSeconds(source.pid()));
    }

    /** Destination's and source's CPU seconds since. */
    double[] since() {
      return new double[] {CpuMeter.processCpuSeconds(destinationPid) - destination0,
          CpuMeter.processCpuSeconds(sourcePid) - source0};
    }
  }

  /** A running Ferry job and what its copy took. */
  private static final class FerryCopy {
    int lanes;
    Keys keys;
    double[] servers;
    WriteLoad load;
    JobRunner runner;
    double seconds;
    double cpuSeconds;
    double heapPeakMiB;
    double liveHeapMiB;
    final AtomicLong position = new AtomicLong();
    volatile JobStats last;

    boolean awaitPosition(BinlogPosition end) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (System.nanoTime() < deadline) {
        JobStats s = last;
        if (s != null && s.position().compareTo(end) >= 0) {
          return true;
        }
        if (runner.state() == JobState.ERROR) {
          LOG.error("the Ferry job failed: {}", runner.error().describe());
          return false;
        }
        Thread.sleep(50);
      }
      return false;
    }
  }

  private FerryCopy ferryCopy(MariaDbServer source, MariaDbServer destination, int lanes, String target)
      throws InterruptedException {
    JobConfig job = new JobConfig(target.replace(DB + "_ferry", "copybench"), admin(source), admin(destination),
        new TableFilter(List.of(DB + ".*"), List.of()), Map.of(DB, target),
        new StartPosition.Snapshot(false, chunkRows, lanes, StartPosition.Snapshot.DEFAULT_BUFFER_MB,
            StartPosition.Snapshot.Keyless.REFUSE), DdlPolicy.STOP, null);
    FerryCopy out = new FerryCopy();
    out.lanes = lanes;
    AtomicLong doneAt = new AtomicLong();
    out.runner = new JobRunner(job, JobOptions.DEFAULTS, new JobListener() {
      @Override
      public void onCheckpoint(String id, JobStats s) {
        out.last = s;
      }

      @Override
      public void onState(String id, JobState state, FerryException error) {
        // RUNNING once the copy has ended: every table copied and given the secondary keys it was created without
        // (a copy's progress says done before the last table's keys are built; the dump's time includes its keys)
        if (state == JobState.RUNNING) {
          doneAt.compareAndSet(0, System.nanoTime());
        }
      }
    });
    CpuMeter.resetHeapPeaks();
    double cpu0 = CpuMeter.processCpuSeconds();
    long start = System.nanoTime();
    StackSampler sampler = profile ? new StackSampler() : null;
    LiveHeap live = new LiveHeap();
    out.runner.start();
    try {
      while (doneAt.get() == 0) {
        if (out.runner.awaitTermination(50, TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException("the Ferry job ended: " + (out.runner.error() == null ? out.runner.state()
              : out.runner.error().describe()));
        }
      }
    } finally {
      live.close();
      if (sampler != null) {
        sampler.close();
        sampler.print(12);
      }
    }
    out.liveHeapMiB = live.peakMiB();
    out.seconds = (doneAt.get() - start) / 1e9;
    out.cpuSeconds = CpuMeter.processCpuSeconds() - cpu0;
    out.heapPeakMiB = CpuMeter.heapPeakMiB();
    return out;
  }

  private static ConnectionConfig admin(MariaDbServer s) {
    return new ConnectionConfig(s.host(), s.port(), s.adminUser(), s.adminPassword(), ConnectionConfig.TlsMode.DISABLED);
  }

  private void report(double megabytes, double dumpSeconds, List<FerryCopy> copies) {
    CONSOLE.info("");
    CONSOLE.info("| copy                              | seconds | rows/s    | MB/s  | vs dump |");
    CONSOLE.info("|-----------------------------------|---------|-----------|-------|---------|");
    CONSOLE.info(String.format("| mariadb-dump | mariadb             | %7.1f | %9d | %5.1f |   1.00x |", dumpSeconds,
        Math.round(rows / dumpSeconds), megabytes / dumpSeconds));
    for (FerryCopy ferry : copies) {
      String name = "Ferry, " + ferry.lanes + (ferry.lanes == 1 ? " lane" : " lanes")
          + (keys.size() > 1 ? ", keys " + ferry.keys : loadRate == 0 ? "" : ", " + loadRate + " writes tx/s");
      CONSOLE.info(String.format("| %-33s | %7.1f | %9d | %5.1f | %6.2fx |", name, ferry.seconds,
          Math.round(rows / ferry.seconds), megabytes / ferry.seconds, dumpSeconds / ferry.seconds));
    }
    for (FerryCopy ferry : copies) {
      CONSOLE.info("");
      CONSOLE.info(String.format("Ferry, %d lanes, indexes %s / mariadb-dump | mariadb: %.2fx", ferry.lanes,
          ferry.keys, dumpSeconds / ferry.seconds));
      CONSOLE.info(String.format("  Servers' CPU during the copy: destination %.1f s, source %.1f s",
          ferry.servers[0], ferry.servers[1]));
      CONSOLE.info(String.format("  Ferry's JVM: %.1f CPU seconds (%.1f per million rows), heap peak %.0f MiB"
          + " (garbage included), %s", ferry.cpuSeconds, ferry.cpuSeconds * 1_000_000 / rows, ferry.heapPeakMiB,
          Double.isNaN(ferry.liveHeapMiB) ? "no collection during the copy"
              : String.format("at most %.0f MiB in use right after a collection", ferry.liveHeapMiB)));
      CONSOLE.info("  Source write latency during Ferry's copy: {}", ferry.load.describe());
    }
  }
}
