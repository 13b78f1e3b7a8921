package io.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mariadb.MariaDbServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ferry} command line against a real control plane and worker, each command a real
 * process with its token in {@code FERRY_TOKEN}: connections created, checked, shown and deleted, a job created with a
 * copy whose progress is watched until it runs, verify with its exit codes (0 match, 4 differs), pause, show, resume,
 * a refused start (2), stop, start, delete, workers listed and drained, bad usage (1), the URL and token from the
 * config file alone, and the exit codes for a refused token (2) and an unreachable control plane (3).
 */
class CliIT {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private final AtomicInteger runs = new AtomicInteger();
  private InProcessFleet fleet;
  private Map<String, String> env;

  /** One finished command: its exit code and everything it printed. */
  private record Run(int exit, String output) {
    JsonObject json() {
      return new JsonObject(output.substring(output.indexOf('{'), output.lastIndexOf('}') + 1));
    }
  }

  @AfterEach
  void close() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void operatesConnectionsJobsVerifyAndWorkers() throws Exception {
    fleet = new InProcessFleet(dir);
    fleet.worker("w1", 4);
    env = new HashMap<>(Map.of("FERRY_URL", "http://127.0.0.1:" + fleet.controlPlane.httpPort(),
        "FERRY_TOKEN", fleet.controlPlane.generatedAdminToken()));
    MariaDbServer[] pair = fleet.fixture.pairs(1).get(0);
    pair[0].execute("CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT PRIMARY KEY, qty INT)",
        "INSERT INTO shop.orders SELECT seq, seq % 7 FROM shop.seq_1_to_20000");

    String src = connection("src", pair[0]);
    String dst = connection("dst", pair[1]);
    assertThat(ferry("connections", "list").output()).contains(src, "src", dst, "dst");
    Run check = ferry("connections", "check", src);
    assertThat(check.exit()).as(check.output()).isZero();
    assertThat(check.output()).contains(src + ": ok");

    Run created = ferry("jobs", "create", "--name", "shop", "--source", src, "--destination", dst,
        "--include", "shop.*", "--map", "shop=shop_copy", "--json");
    assertThat(created.exit()).as(created.output()).isZero();
    String job = created.json().getString("id");
    Run watched = ferry("jobs", "show", job, "--watch");
    assertThat(watched.exit()).as(watched.output()).isZero();
    assertThat(watched.output()).contains("state: RUNNING");
    assertThat(ferry("jobs", "list").output()).contains(job, "shop", "RUNNING", "w1");

    List<String> aboutJobs = new java.util.concurrent.CopyOnWriteArrayList<>();
    Runnable detach = recordJobLines(aboutJobs, "io.ferry.controlplane.fleet.Verifications",
        "io.ferry.worker.node.WorkerVerticle");
    Run match = ferry("jobs", "verify", job, "--wait");
    assertThat(match.exit()).as(match.output()).isZero();
    assertThat(match.output()).contains(": match", "match", "shop.orders", "20000 rows checked");
    org.awaitility.Awaitility.await("the control plane's line about the stored result").atMost(java.time.Duration.ofSeconds(10))
        .until(() -> aboutJobs.stream().anyMatch(l -> l.startsWith("verify ")));
    detach.run();
    assertThat(aboutJobs).as("the control plane's and the worker's lines about the verify")
        .anyMatch(l -> l.startsWith("verify ")).anyMatch(l -> l.startsWith("node w1: verifying job "))
        .allSatisfy(l -> assertThat(l).as("the job id in the MDC").endsWith(" [" + job + "]"));
    pair[1].execute("DELETE FROM shop_copy.orders WHERE id = 777");
    Run differs = ferry("jobs", "verify", job, "--wait");
    assertThat(differs.exit()).as(differs.output()).isEqualTo(4);
    assertThat(differs.output()).contains("DIFFERENT", "shop.orders", "id=777");

    assertThat(ferry("jobs", "pause", job).output()).contains(job + ": ", "wanted: PAUSED");
    awaitState(job, "PAUSED");
    Run shown = ferry("jobs", "show", job);
    assertThat(shown.exit()).as(shown.output()).isZero();
    assertThat(shown.output()).contains("id: " + job, "state: PAUSED", "desiredState: PAUSED");
    Run resumed = ferry("jobs", "resume", job);
    assertThat(resumed.exit()).as(resumed.output()).isZero();
    assertThat(resumed.output()).contains("wanted: RUNNING");
    awaitState(job, "RUNNING");
    Run refusedStart = ferry("jobs", "start", job);
    assertThat(refusedStart.exit()).as("a running job cannot be started: " + refusedStart.output()).isEqualTo(2);
    assertThat(refusedStart.output()).contains("409");
    assertThat(ferry("jobs", "stop", job).output()).contains("wanted: STOPPED");
    awaitState(job, "STOPPED");
    Run started = ferry("jobs", "start", job);
    assertThat(started.exit()).as(started.output()).isZero();
    assertThat(started.output()).contains("wanted: RUNNING");
    awaitState(job, "RUNNING");
    assertThat(ferry("workers", "list").output()).contains("w1", "UP");
    assertThat(ferry("jobs", "stop", job).exit()).isZero();
    awaitState(job, "STOPPED");
    Run deleted = ferry("jobs", "delete", job);
    assertThat(deleted.exit()).as(deleted.output()).isZero();
    assertThat(deleted.output()).contains(job + ": deleted");
    assertThat(fleet.api().call("GET", "/api/v1/jobs/" + job, null).status()).isEqualTo(404);
    Run drained = ferry("workers", "drain", "w1");
    assertThat(drained.exit()).as(drained.output()).isZero();
    assertThat(drained.output()).contains("w1: draining");
    assertThat(ferry("workers", "list", "--json").output()).contains("\"DRAINING\"");

    Run connection = ferry("connections", "show", src, "--json");
    assertThat(connection.exit()).as(connection.output()).isZero();
    assertThat(connection.json().getString("name")).isEqualTo("src");
    assertThat(connection.json().fieldNames()).as("the password is never shown").doesNotContain("password")
        .contains("passwordSet");
    assertThat(ferry("connections", "delete", dst).output()).contains(dst + ": deleted");
    assertThat(ferry("connections", "list").output()).contains(src).doesNotContain(dst);
    Run gone = ferry("connections", "show", dst);
    assertThat(gone.exit()).as(gone.output()).isEqualTo(2);
    assertThat(gone.output()).contains("404");
    Run usage = ferry("jobs", "show");
    assertThat(usage.exit()).as("bad usage: " + usage.output()).isEqualTo(1);

    // The URL and token from the command line's config file, without FERRY_URL or FERRY_TOKEN.
    Path tokenFile = Files.writeString(dir.resolve("token"), env.remove("FERRY_TOKEN"));
    Path config = Files.writeString(dir.resolve("cli.yaml"), "url: " + env.remove("FERRY_URL") + "\ntokenFile: token\n");
    env.put("FERRY_CLI_CONFIG", config.toString());
    Run fromFile = ferry("connections", "list");
    assertThat(fromFile.exit()).as(fromFile.output()).isZero();
    assertThat(fromFile.output()).contains(src);
    assertThat(tokenFile).exists();
    env.remove("FERRY_CLI_CONFIG");
    env.put("FERRY_URL", "http://127.0.0.1:" + fleet.controlPlane.httpPort());

    env.put("FERRY_TOKEN", "fy_not-a-token");
    Run refused = ferry("jobs", "list");
    assertThat(refused.exit()).as(refused.output()).isEqualTo(2);
    assertThat(refused.output()).contains("401");
    env.put("FERRY_URL", "http://127.0.0.1:" + io.ferry.mariadb.FreePorts.pick());
    Run unreachable = ferry("jobs", "list");
    assertThat(unreachable.exit()).as(unreachable.output()).isEqualTo(3);
    assertThat(unreachable.output()).contains("does not answer");
  }

  /**
   * Records "message [mdc job]" for each line of these loggers that names a job, as it is logged (the MDC is the
   * logging thread's); returns what detaches the recorder.
   */
  private static Runnable recordJobLines(List<String> out, String... loggers) {
    ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> recorder =
        new ch.qos.logback.core.AppenderBase<>() {
          @Override
          protected void append(ch.qos.logback.classic.spi.ILoggingEvent e) {
            if (e.getFormattedMessage().contains("job_")) {
              out.add(e.getFormattedMessage() + " [" + e.getMDCPropertyMap().get("job") + "]");
            }
          }
        };
    recorder.start();
    List<ch.qos.logback.classic.Logger> attached = new java.util.ArrayList<>();
    for (String name : loggers) {
      ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(name);
      logger.addAppender(recorder);
      attached.add(logger);
    }
    return () -> attached.forEach(l -> l.detachAppender(recorder));
  }

  private void awaitState(String job, String state) {
    org.awaitility.Awaitility.await(job + " " + state).atMost(java.time.Duration.ofSeconds(60))
        .pollInterval(java.time.Duration.ofMillis(200))
        .until(() -> state.equals(fleet.api().ok("GET", "/api/v1/jobs/" + job, null).getString("state")));
  }

  private String connection(String name, MariaDbServer server) throws Exception {
    env.put("FERRY_CONNECTION_PASSWORD", server.adminPassword());
    Run r = ferry("connections", "create", "--name", name, "--host", server.host(), "--port",
        String.valueOf(server.port()), "--user", server.adminUser(), "--tls", "disabled", "--json");
    assertThat(r.exit()).as(r.output()).isZero();
    return r.json().getString("id");
  }

  private Run ferry(String... args) throws Exception {
    Path log = dir.resolve("cli-" + runs.incrementAndGet() + ".log");
    FerryProcess p = FerryProcess.start(env, List.of(), log, args);
    int exit = p.awaitExit(120);
    return new Run(exit, Files.readString(log));
  }
}
