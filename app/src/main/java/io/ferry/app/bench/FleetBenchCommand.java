package io.ferry.app.bench;

import io.ferry.app.node.Cluster;
import io.ferry.app.node.NodeSettings;
import io.ferry.cluster.ClusterCredentials;
import io.ferry.mariadb.FreePorts;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferry bench fleet}: the control plane under a fleet's load. A real {@code ferry
 * control-plane} process (embedded metadata DB) and, in this JVM, simulated workers on the same
 * clustered mutual-TLS event bus that speak the real protocol but replicate nothing. Reports how long
 * placing the jobs takes, the control plane's CPU and memory at steady state, the heartbeats it
 * handles per second, and how long after a worker dies its jobs run again elsewhere.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true, usageHelpWidth = 120,
    description = {"Measures the control plane with many jobs over simulated workers on the real event bus.",
        "Exit codes: 0 measured, 2 a phase failed."})
final class FleetBenchCommand implements Callable<Integer> {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");
  private static final Logger LOG = LoggerFactory.getLogger(FleetBenchCommand.class);

  @Option(names = "--jobs", description = "Jobs (default ${DEFAULT-VALUE}).")
  int jobs = 1_000;

  @Option(names = "--workers", description = "Simulated workers (default ${DEFAULT-VALUE}).")
  int workers = 10;

  @Option(names = "--seconds", description = "Steady-state measuring time (default ${DEFAULT-VALUE}).")
  int seconds = 30;

  @Option(names = "--failovers", description = "Workers killed one after the other (default ${DEFAULT-VALUE}).")
  int failovers = 3;

  @Option(names = "--stress-heartbeat-ms", description = {"After the steady state, every simulated worker beats every"
      + " this many ms for --seconds, to measure how many heartbeats the control plane handles; 0 skips it"
      + " (default ${DEFAULT-VALUE})."})
  int stressMillis = 10;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("ferry-bench-fleet-");
    String token = "fy_bench-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    int clusterPort = FreePorts.pick();
    int httpPort = FreePorts.pick();
    ClusterCredentials.init(dir.resolve("cluster"), List.of(), false);
    Process cp = startControlPlane(dir, token, clusterPort, httpPort);
    Vertx vertx = null;
    try {
      BenchApi api = new BenchApi(httpPort, token);
      api.awaitUp(120);
      NodeSettings simulated = NodeSettings.load(null, Map.of("FERRY_DATA_DIR", dir.resolve("simulated").toString(),
          "FERRY_CLUSTER_DIR", dir.resolve("cluster").toString(),
          "FERRY_CLUSTER_PORT", Integer.toString(FreePorts.pick()), "FERRY_CLUSTER_JOIN", "127.0.0.1:" + clusterPort));
      vertx = Cluster.join(Cluster.settings(simulated), simulated);
      List<SimulatedWorker> sims = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        SimulatedWorker w = new SimulatedWorker("sim" + i, (jobs / workers) * 2 + 1);
        vertx.deployVerticle(w).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        sims.add(w);
      }
      String src = api.create("/api/v1/connections", BenchApi.connection("bench-src"));
      String dst = api.create("/api/v1/connections", BenchApi.connection("bench-dst"));
      long t0 = System.nanoTime();
      for (int i = 0; i < jobs; i++) {
        api.create("/api/v1/jobs", BenchApi.job("bench-" + i, src, dst));
      }
      double createSeconds = (System.nanoTime() - t0) / 1e9;
      api.awaitRunning(jobs, 300);
      double placeSeconds = (System.nanoTime() - t0) / 1e9 - createSeconds;
      CONSOLE.info("{} jobs created through the API in {} s ({} /s); all RUNNING {} s later", jobs,
          f(createSeconds), f(jobs / createSeconds), f(placeSeconds));

      double cpu0 = CpuMeter.processCpuSeconds(cp.pid());
      double beats0 = api.heartbeats();
      long s0 = System.nanoTime();
      vertx.timer(seconds * 1_000L).toCompletionStage().toCompletableFuture().get(seconds + 30L, TimeUnit.SECONDS);
      double elapsed = (System.nanoTime() - s0) / 1e9;
      double cpu = (CpuMeter.processCpuSeconds(cp.pid()) - cpu0) / elapsed;
      double beats = (api.heartbeats() - beats0) / elapsed;
      CONSOLE.info("steady state over {} s: control plane CPU {}% of one core, RSS {} MB, {} heartbeats/s handled"
          + " ({} job statuses/s)", f(elapsed), f(cpu * 100), rssMegabytes(cp.pid()), f(beats), f(beats * jobs / workers));

      String stress = stressMillis > 0 ? stress(api, cp, sims) : "skipped";

      List<Double> moves = new ArrayList<>();
      for (int k = 0; k < Math.min(failovers, workers - 1); k++) {
        SimulatedWorker victim = sims.get(k);
        List<String> owned = api.jobsOf("sim" + k);
        long d0 = System.nanoTime();
        victim.die().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        api.awaitMoved(owned, "sim" + k, 60);
        moves.add((System.nanoTime() - d0) / 1e9);
        CONSOLE.info("worker sim{} died with {} jobs: all RUNNING elsewhere after {} s", k, owned.size(),
            f(moves.get(moves.size() - 1)));
      }
      CONSOLE.info("summary: jobs {}, workers {}, placement {} s, CPU {}%, RSS {} MB, heartbeats/s {}, stress {},"
          + " failover s {}", jobs, workers, f(placeSeconds), f(cpu * 100), rssMegabytes(cp.pid()), f(beats), stress,
          moves.stream().map(FleetBenchCommand::f).toList());
      return 0;
    } catch (IllegalStateException e) {
      LOG.error("fleet bench failed: {}", e.getMessage());
      return 2;
    } finally {
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      cp.destroy();
      if (!cp.waitFor(60, TimeUnit.SECONDS)) {
        cp.destroyForcibly();
      }
      BenchApi.deleteTree(dir);
    }
  }

  /**
   * Every simulated worker beats every {@code stressMillis} for {@code seconds}: how many heartbeats (and
   * job statuses) were offered and how many the control plane handled per second, at what CPU; then the
   * real pace again, and the time the control plane took to work off what was still queued.
   */
  private String stress(BenchApi api, Process cp, List<SimulatedWorker> sims) throws Exception {
    for (SimulatedWorker w : sims) {
      w.beatEvery(stressMillis).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    long sent0 = sent(sims);
    double handled0 = api.heartbeats();
    double cpu0 = CpuMeter.processCpuSeconds(cp.pid());
    long s0 = System.nanoTime();
    Thread.sleep(seconds * 1_000L);
    double elapsed = (System.nanoTime() - s0) / 1e9;
    double offered = (sent(sims) - sent0) / elapsed;
    double handled = (api.heartbeats() - handled0) / elapsed;
    double cpu = (CpuMeter.processCpuSeconds(cp.pid()) - cpu0) / elapsed;
    long rss = rssMegabytes(cp.pid());
    for (SimulatedWorker w : sims) {
      w.beatEvery(1_000).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    long d0 = System.nanoTime();
    long backlog = sent(sims) - (long) api.heartbeats();
    while (backlog > sims.size() && System.nanoTime() - d0 < 120_000_000_000L) {
      Thread.sleep(200);
      backlog = sent(sims) - (long) api.heartbeats();
    }
    double drained = (System.nanoTime() - d0) / 1e9;
    int perWorker = jobs / workers;
    CONSOLE.info("heartbeat stress over {} s (a beat every {} ms per worker): offered {}/s ({} job statuses/s),"
        + " handled {}/s ({} job statuses/s), control plane CPU {}% of one core, RSS {} MB; queued beats worked off"
        + " {} s after the pace dropped back to 1/s{}", f(elapsed), stressMillis, f(offered), f(offered * perWorker),
        f(handled), f(handled * perWorker), f(cpu * 100), rss, f(drained),
        backlog > sims.size() ? " (still " + backlog + " behind)" : "");
    return f(handled) + "/s of " + f(offered) + "/s";
  }

  private static long sent(List<SimulatedWorker> sims) {
    return sims.stream().mapToLong(SimulatedWorker::sent).sum();
  }

  static Process startControlPlane(Path dir, String token, int clusterPort, int httpPort) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(LauncherJvm.options("-Xmx512m"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.ferry.app.Main", "control-plane"));
    ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("control-plane.log").toFile());
    b.environment().putAll(Map.of("FERRY_DATA_DIR", dir.resolve("cp").toString(),
        "FERRY_CLUSTER_DIR", dir.resolve("cluster").toString(), "FERRY_CLUSTER_PORT", Integer.toString(clusterPort),
        "FERRY_HTTP_PORT", Integer.toString(httpPort), "FERRY_ADMIN_TOKEN", token));
    return b.start();
  }

  /** Resident memory of a process, from /proc. */
  static long rssMegabytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("no RSS for {}: {}", pid, e.toString());
    }
    return -1;
  }

  static String f(double v) {
    return String.format(java.util.Locale.ROOT, "%.2f", v);
  }
}
