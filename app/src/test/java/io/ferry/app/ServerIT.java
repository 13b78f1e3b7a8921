package io.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mariadb.FreePorts;
import io.ferry.mariadb.MariaDbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry server} as a real process started from the one runnable jar that {@code mvn package} builds
 * ({@code app/target/ferry.jar}, copied alone into a temporary directory, so nothing else is on its class path): the
 * embedded metadata DB under its data directory, the API
 * with a generated admin token (file mode 0600), an in-process worker that runs a job created through
 * the API; SIGTERM stops everything with exit 0, and a second start on the same data directory keeps
 * the job and its state.
 */
class ServerIT {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private final FleetFixture fixture = new FleetFixture();
  private FerryProcess server;

  @AfterEach
  void close() throws Exception {
    if (server != null) {
      server.close();
    }
    fixture.close();
  }

  /** The runnable jar built by the package phase, copied alone into the test's directory. */
  private Path jar() throws java.io.IOException {
    Path jar = dir.resolve("ferry.jar");
    if (!Files.exists(jar)) {
      Path built = Path.of("target", "ferry.jar");
      assertThat(built).as("the runnable jar built by the package phase").exists();
      Files.copy(built, jar);
    }
    return jar;
  }

  private FerryProcess start(int port, String name) throws Exception {
    return FerryProcess.startJar(jar(), Map.of("FERRY_DATA_DIR", dir.resolve("data").toString(),
        "FERRY_HTTP_PORT", Integer.toString(port), "FERRY_NODE_ID", "single"), dir.resolve(name), "server");
  }

  @Test
  void aSingleNodeRunsAJobAndKeepsItsStateAcrossRestarts() throws Exception {
    int port = FreePorts.pick();
    FerryProcess version = FerryProcess.startJar(jar(), Map.of(), dir.resolve("version.log"), "--version");
    assertThat(version.awaitExit(60)).isZero();
    assertThat(Files.readString(version.log()).trim()).as("ferry --version from the jar").matches("ferry \\d+\\.\\d+\\.\\d+.*");
    server = start(port, "server-1.log");
    Path tokenFile = dir.resolve("data").resolve("admin.token");
    await("the server is up with a generated admin token", Duration.ofSeconds(120),
        () -> Files.exists(tokenFile) && server.logContains("Ferry is up"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
    String token = Files.readString(tokenFile).trim();
    await("the generated token printed", Duration.ofSeconds(10), () -> server.logContains("Admin token (shown once"));
    assertThat(Files.readString(server.log()).split(java.util.regex.Pattern.quote(token), -1)).as("the token printed once")
        .hasSize(2);
    FleetApi api = new FleetApi(port, token);

    MariaDbServer[] pair = fixture.pairs(1).get(0);
    LedgerLoad.createTables(pair[0], "one");
    String id = api.job("one", api.connection("src", pair[0]), api.connection("dst", pair[1]), "one", "one_copy");
    FleetFixture.Job job = fixture.track(id, pair, "one", 30);
    await("the job RUNNING on the server's own worker", Duration.ofSeconds(60),
        () -> "RUNNING".equals(api.job(id).getString("state")) && "single".equals(api.job(id).getString("worker")));
    job.load().start();
    await("rows arrive", Duration.ofSeconds(30), () -> FleetFixture.destinationLedgerRows(job) > 20);

    server.sigterm();
    assertThat(server.awaitExit(60)).as("exit code after SIGTERM").isZero();
    server = start(port, "server-2.log");
    await("the job RUNNING again after the restart", Duration.ofSeconds(120),
        () -> api.call("GET", "/api/v1/jobs/" + id, null).status() == 200 && "RUNNING".equals(api.job(id).getString("state")));
    assertThat(server.logContains(token)).as("a restart never shows the token again").isFalse();
    fixture.assertAllEqual(Duration.ofSeconds(60));
  }

  private void await(String what, Duration atMost, java.util.concurrent.Callable<Boolean> condition) {
    ChildJobSupport.await(what, atMost, server, () -> "", condition);
  }
}
