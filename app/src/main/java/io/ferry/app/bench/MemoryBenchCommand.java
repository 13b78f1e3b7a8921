package io.ferry.app.bench;

import io.ferry.cluster.ClusterCredentials;
import io.ferry.mariadb.FreePorts;
import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferry bench memory}: one real {@code ferry worker} process running {@code --jobs} idle jobs (placed by a real
 * {@code ferry control-plane} process through the REST API), and its resident memory once they all run.
 */
@Command(name = "memory", mixinStandardHelpOptions = true, usageHelpWidth = 120,
    description = {
        "Measures a worker's memory with many idle jobs (issue 6: 50 idle jobs under 512 MB RSS).",
        "",
        "Starts an embedded MariaDB source and destination, a `ferry control-plane` process and one `ferry worker`",
        "process (--worker-jvm-options, none by default, and what `./ferry worker` adds: the serial collector on",
        "two CPUs or fewer), creates --jobs jobs through the API (each streams the source's database `mem` into its",
        "own destination database), waits until all are RUNNING, proves each one applies (one row written on the",
        "source must arrive in every copy), then waits --seconds idle and prints the worker's RSS (VmRSS) and",
        "peak RSS (VmHWM) from /proc.",
        "",
        "Exit codes: 0 measured, 2 a phase failed.",
        ""})
public final class MemoryBenchCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryBenchCommand.class);
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");

  @Option(names = "--jobs", defaultValue = "50", description = "Idle jobs on the worker (default ${DEFAULT-VALUE}).")
  int jobs;

  @Option(names = "--seconds", defaultValue = "30",
      description = "Idle seconds after every job applied its row, before RSS is read (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--worker-jvm-options", defaultValue = "",
      description = "JVM options of the worker process, space-separated (default none; as `./ferry worker`, the"
          + " serial collector is added on two CPUs or fewer unless these name a collector).")
  String workerJvmOptions;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("ferry-bench-memory-");
    String token = "fy_bench-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    int clusterPort = FreePorts.pick();
    int httpPort = FreePorts.pick();
    ClusterCredentials.init(dir.resolve("cluster"), List.of(), false);
    CONSOLE.info("ferry bench memory: {} idle jobs on one worker process (JVM options '{}'); {}", jobs,
        String.join(" ", LauncherJvm.options(workerJvmOptions)), GridBenchCommand.machine());
    Process cp = null;
    Process worker = null;
    try (MariaDbServer source = MariaDbServer.start(MariaDbConfig.builder().role(MariaDbConfig.Role.SOURCE)
        .serverId(1).build());
         MariaDbServer destination = MariaDbServer.start(MariaDbConfig.builder()
             .role(MariaDbConfig.Role.DESTINATION).serverId(2).build())) {
      source.execute("CREATE DATABASE mem", "CREATE TABLE mem.t (id INT NOT NULL PRIMARY KEY, v VARCHAR(100))",
          "INSERT INTO mem.t VALUES (1, 'before')");
      cp = FleetBenchCommand.startControlPlane(dir, token, clusterPort, httpPort);
      worker = startWorker(dir, clusterPort);
      BenchApi api = new BenchApi(httpPort, token);
      api.awaitUp(120);
      long upDeadline = System.nanoTime() + 120_000_000_000L;
      while (!Files.readString(dir.resolve("worker.log")).contains("is up")) {
        if (System.nanoTime() > upDeadline || !worker.isAlive()) {
          throw new IllegalStateException("the worker did not come up; see " + dir.resolve("worker.log"));
        }
        Thread.sleep(100);
      }
      Thread.sleep(5_000);
      long idle = rssMb(worker.pid(), "VmRSS:");
      CONSOLE.info("worker up, no jobs: RSS {} MB", idle);
      String src = api.create("/api/v1/connections", connection("mem-src", source));
      String dst = api.create("/api/v1/connections", connection("mem-dst", destination));
      long t0 = System.nanoTime();
      for (int i = 0; i < jobs; i++) {
        api.create("/api/v1/jobs", new JsonObject().put("name", "mem-" + i).put("source", src).put("destination", dst)
            .put("tables", new JsonObject().put("include", new JsonArray().add("mem.*")))
            .put("databaseMap", new JsonObject().put("mem", "mem_" + i)).put("start", "current"));
      }
      api.awaitRunning(jobs, 600);
      CONSOLE.info("{} jobs RUNNING on the worker {} s after the first was created; worker RSS {} MB", jobs,
          FleetBenchCommand.f((System.nanoTime() - t0) / 1e9), rssMb(worker.pid(), "VmRSS:"));
      source.execute("INSERT INTO mem.t VALUES (2, 'after')");
      awaitApplied(destination, 300);
      CONSOLE.info("every job applied the source's new row; idle for {} s...", seconds);
      Thread.sleep(seconds * 1_000L);
      long rss = rssMb(worker.pid(), "VmRSS:");
      long hwm = rssMb(worker.pid(), "VmHWM:");
      CONSOLE.info("");
      CONSOLE.info(String.format(Locale.ROOT, "Worker with %d idle RUNNING jobs: RSS %d MB, peak RSS %d MB (%d MB without"
          + " jobs, %.1f MB per job above that); goal < 512 MB: %s", jobs, rss, hwm, idle, (rss - idle) / (double) jobs,
          rss < 512 ? "met" : "NOT met"));
      BenchApi.deleteTree(dir);
      return 0;
    } catch (IllegalStateException | IOException e) {
      LOG.error("memory bench failed: {}; logs in {}", e.getMessage(), dir);
      return 2;
    } finally {
      for (Process p : new Process[] {worker, cp}) {
        if (p != null) {
          p.destroy();
          if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        }
      }
    }
  }

  private Process startWorker(Path dir, int clusterPort) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Dfile.encoding=UTF-8"));
    command.addAll(LauncherJvm.options(workerJvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.ferry.app.Main", "worker"));
    ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("worker.log").toFile());
    b.environment().putAll(Map.of("FERRY_DATA_DIR", dir.resolve("worker").toString(),
        "FERRY_CLUSTER_DIR", dir.resolve("cluster").toString(), "FERRY_CLUSTER_HOST", "127.0.0.1",
        "FERRY_CLUSTER_PORT", Integer.toString(FreePorts.pick()), "FERRY_CLUSTER_JOIN", "127.0.0.1:" + clusterPort,
        "FERRY_NODE_ID", "bench-worker", "FERRY_WORKER_CAPACITY", Integer.toString(jobs)));
    return b.start();
  }

  private static JsonObject connection(String name, MariaDbServer s) {
    return new JsonObject().put("name", name).put("host", s.host()).put("port", s.port()).put("user", s.adminUser())
        .put("password", s.adminPassword()).put("tls", "disabled");
  }

  /** Waits until every {@code mem_i.t} on the destination has the row with id 2. */
  private void awaitApplied(MariaDbServer destination, int timeoutSeconds) throws Exception {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    try (Connection c = destination.rootConnection(); Statement s = c.createStatement()) {
      while (true) {
        int done = 0;
        for (int i = 0; i < jobs; i++) {
          try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM mem_" + i + ".t WHERE id = 2")) {
            rs.next();
            done += rs.getInt(1);
          } catch (java.sql.SQLException e) {
            // not created yet
          }
        }
        if (done == jobs) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(done + " of " + jobs + " jobs applied the new row within " + timeoutSeconds
              + " s");
        }
        Thread.sleep(500);
      }
    }
  }

  static long rssMb(long pid, String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
