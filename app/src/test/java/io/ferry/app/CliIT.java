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
 * process with its token in {@code FERRY_TOKEN}: connections created and checked, a job created with a
 * copy whose progress is watched until it runs, verify with its exit codes (0 match, 4 differs), pause,
 * workers, and the exit codes for a refused token (2) and an unreachable control plane (3).
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

    Run match = ferry("jobs", "verify", job, "--wait");
    assertThat(match.exit()).as(match.output()).isZero();
    assertThat(match.output()).contains(": match", "match", "shop.orders", "20000 rows checked");
    pair[1].execute("DELETE FROM shop_copy.orders WHERE id = 777");
    Run differs = ferry("jobs", "verify", job, "--wait");
    assertThat(differs.exit()).as(differs.output()).isEqualTo(4);
    assertThat(differs.output()).contains("DIFFERENT", "shop.orders", "id=777");

    assertThat(ferry("jobs", "pause", job).output()).contains(job + ": ", "wanted: PAUSED");
    assertThat(ferry("workers", "list").output()).contains("w1", "UP");

    env.put("FERRY_TOKEN", "fy_not-a-token");
    Run refused = ferry("jobs", "list");
    assertThat(refused.exit()).as(refused.output()).isEqualTo(2);
    assertThat(refused.output()).contains("401");
    env.put("FERRY_URL", "http://127.0.0.1:" + io.ferry.mariadb.FreePorts.pick());
    Run unreachable = ferry("jobs", "list");
    assertThat(unreachable.exit()).as(unreachable.output()).isEqualTo(3);
    assertThat(unreachable.output()).contains("does not answer");
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
