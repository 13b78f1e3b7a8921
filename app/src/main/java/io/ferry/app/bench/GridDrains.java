package io.ferry.app.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One case of {@code ferry bench grid} after the other: builds the case's backlog on the source, times the
 * single-threaded and the parallel native replica and Ferry (a child JVM) draining it, and compares the four
 * servers by CHECKSUM TABLE. Ferry's jobs run in one {@link JobHost} process for the whole grid, as a worker runs
 * job after job, or each in a fresh {@code ferry replicate} process ({@code freshProcess}).
 */
final class GridDrains implements AutoCloseable {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");
  private static final long TIMEOUT_NANOS = 30L * 60 * 1_000_000_000L;
  private static final int QUIET_MAX_SECONDS = 60;

  /** The users and passwords of the native replicas on the source and of Ferry on both sides. */
  record Users(String replUser, String replPassword, String ferryUser, String ferryPassword) {}

  private final Path dir;
  private final GridServers servers;
  private final Users users;
  private final int nativeThreads;
  private final int ferryBatchRows;
  private final List<String> jvmOptions;
  private final long seed;
  private final boolean freshProcess;
  private FerryChild host;
  private boolean hugeLoaded;
  private int jobs;

  GridDrains(Path dir, GridServers servers, Users users, int nativeThreads, int ferryBatchRows,
      List<String> jvmOptions, long seed, boolean freshProcess) {
    this.dir = dir;
    this.servers = servers;
    this.users = users;
    this.nativeThreads = nativeThreads;
    this.ferryBatchRows = ferryBatchRows;
    this.jvmOptions = jvmOptions;
    this.seed = seed;
    this.freshProcess = freshProcess;
  }

  /**
   * Builds the case's backlog and has the three followers drain it, the native replicas first unless
   * {@code ferryFirst}; {@code label} names the row of the report.
   */
  GridReport.Row run(GridPlan.Case c, String label, GridPlan.Sizes sizes, boolean ferryFirst) throws Exception {
    List<String> checked = new ArrayList<>();
    for (int t = 1; t <= sizes.tables(); t++) {
      checked.add(Sbtest.table(t));
    }
    if (c.workload() == null && !hugeLoaded) {
      long t0 = System.nanoTime();
      CONSOLE.info("  loading {} rows into {} on all four servers (not replicated)...", sizes.hugeRows(), Sbtest.HUGE);
      servers.onAll(conn -> Sbtest.createAndLoadHuge(conn, sizes.hugeRows()));
      hugeLoaded = true;
      CONSOLE.info("  loaded in {} s", WriteOnlyLoad.fmt((System.nanoTime() - t0) / 1e9));
    }
    if (hugeLoaded) {
      checked.add(Sbtest.HUGE);
    }
    BinlogCoordinates start = servers.position();
    long rowChanges;
    long txs;
    long b0 = System.nanoTime();
    if (c.workload() == null) {
      try (Connection conn = servers.source.rootConnection(); Statement s = conn.createStatement()) {
        rowChanges = s.executeUpdate("UPDATE " + Sbtest.HUGE + " SET k = k + 1");
      }
      txs = 1;
      CONSOLE.info("  backlog built: one transaction updating {} rows in {} s", rowChanges,
          WriteOnlyLoad.fmt((System.nanoTime() - b0) / 1e9));
    } else {
      WriteOnlyLoad load = new WriteOnlyLoad(servers.source, sizes.tables(), sizes.tableSize(), seed + jobs,
          c.workload());
      load.run(c.transactions(), c.clients());
      rowChanges = load.rowChanges();
      txs = load.transactions();
    }
    BinlogCoordinates end = servers.position();
    CONSOLE.info("  backlog {} .. {}: {} row changes in {} transactions", start, end, rowChanges, txs);

    double[] ferry = ferryFirst ? ferryDrain(start, end) : null;
    List<GridReport.Drain> natives = new ArrayList<>();
    servers.awaitQuiet("the single-threaded replica", QUIET_MAX_SECONDS);
    PhaseResult r = NativeReplica.drain(servers.single, servers.source, users.replUser(), users.replPassword(), start,
        end, 0);
    natives.add(new GridReport.Drain("native 1 thread", r.seconds(), r.destinationCpu()));
    CONSOLE.info("  native replica, 1 thread: {} s (replica server {} CPU s)", WriteOnlyLoad.fmt(r.seconds()),
        WriteOnlyLoad.fmt(r.destinationCpu()));
    servers.awaitQuiet("the parallel replica", QUIET_MAX_SECONDS);
    r = NativeReplica.drain(servers.parallel, servers.source, users.replUser(), users.replPassword(), start, end,
        nativeThreads);
    natives.add(new GridReport.Drain("native " + nativeThreads + " threads", r.seconds(), r.destinationCpu()));
    CONSOLE.info("  native replica, {} threads: {} s (replica server {} CPU s)", nativeThreads,
        WriteOnlyLoad.fmt(r.seconds()), WriteOnlyLoad.fmt(r.destinationCpu()));
    if (!ferryFirst) {
      ferry = ferryDrain(start, end);
    }
    CONSOLE.info("  Ferry: {} s, {} CPU s, peak RSS {} MB (job set-up before streaming {} s, not counted;"
        + " destination server {} CPU s)", WriteOnlyLoad.fmt(ferry[0]), WriteOnlyLoad.fmt(ferry[1]),
        Math.round(ferry[2]), WriteOnlyLoad.fmt(ferry[3]), WriteOnlyLoad.fmt(ferry[4]));
    boolean same = servers.consistent(checked);
    return new GridReport.Row(label, rowChanges, txs, natives, new GridReport.Drain("Ferry", ferry[0], ferry[4]),
        ferry[1], ferry[2], ferry[3], same);
  }

  /**
   * Ferry from {@code start} until its checkpoint reaches {@code end}: {seconds, CPU s, peak RSS MB, set-up s,
   * destination server CPU s}. The time and the CPU count from the moment the job has set up and streams (as the
   * native replica's count from START SLAVE on a running server); the set-up before it is reported on its own.
   */
  private double[] ferryDrain(BinlogCoordinates start, BinlogCoordinates end) throws Exception {
    servers.awaitQuiet("Ferry", QUIET_MAX_SECONDS);
    String jobId = "bench-" + (++jobs);
    if (freshProcess) {
      try (FerryChild child = FerryChild.start(dir, jobId, servers.source, users.replUser(), users.replPassword(),
          servers.destination, users.ferryUser(), users.ferryPassword(), start, ferryBatchRows,
          FerryDrain.BINLOG_CLIENT_SERVER_ID, jvmOptions)) {
        return measure(child, end);
      }
    }
    if (host == null) {
      host = FerryChild.host(dir, users.replPassword(), users.ferryPassword(), jvmOptions);
    }
    host.startJob(jobId, FerryChild.writeJob(dir, jobId, servers.source, users.replUser(), servers.destination,
        users.ferryUser(), start, ferryBatchRows, FerryDrain.BINLOG_CLIENT_SERVER_ID));
    try {
      return measure(host, end);
    } finally {
      host.stopJob(30);
    }
  }

  private double[] measure(FerryChild child, BinlogCoordinates end) throws Exception {
    try (Connection d = servers.destination.rootConnection()) {
      long t0 = child.awaitStreaming(120);
      double destinationCpu0 = CpuMeter.processCpuSeconds(servers.destination.pid());
      long lastLog = t0;
      while (true) {
        String[] cp = child.checkpoint(d);
        long now = System.nanoTime();
        if (cp != null && end.reachedBy(cp[0], Long.parseLong(cp[1]))) {
          double cpu = CpuMeter.processCpuSeconds(child.pid()) - child.cpuAtStreaming();
          return new double[] {(now - t0) / 1e9, cpu, child.peakRssMb(), child.setupSeconds(),
              CpuMeter.processCpuSeconds(servers.destination.pid()) - destinationCpu0};
        }
        if (!child.alive()) {
          throw new IllegalStateException("the Ferry job ended before reaching " + end + child.tail());
        }
        if (now - t0 > TIMEOUT_NANOS) {
          throw new IllegalStateException("Ferry did not reach " + end + " in 30 minutes" + child.tail());
        }
        if (now - lastLog > 10_000_000_000L) {
          lastLog = now;
          CONSOLE.info("  ... Ferry at {} after {} s", cp == null ? "-" : cp[0] + ":" + cp[1],
              WriteOnlyLoad.fmt((now - t0) / 1e9));
        }
        Thread.sleep(20);
      }
    }
  }

  /** Ends the job host, if one was started. */
  @Override
  public void close() throws InterruptedException {
    if (host != null) {
      host.close();
    }
  }
}
