package io.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.app.node.ControlPlaneNode;
import io.ferry.controlplane.fleet.WorkerLive;
import io.ferry.controlplane.secrets.SecretBox;
import io.ferry.mariadb.MariaDbServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane's metadata database crashes (SIGKILL) and stays down for a minute while two jobs
 * replicate under load: the jobs keep replicating on their worker (a worker needs only the source and
 * the destination), the API answers 503 {@code METADATA_UNAVAILABLE} with its reason and never a 500,
 * and once the database is back the API answers again, the jobs stay where they were (same worker, same
 * epoch: nobody was fenced for the control plane's outage), and each destination equals its source. Run
 * once with the embedded metadata DB and once with an external MariaDB ({@code FERRY_METADATA_URL}).
 */
class MetadataOutageIT {
  private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("ferry.metadataOutage.seconds", 60));

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @AutoClose
  private PairFleet fleet;

  private final List<MariaDbServer> external = new ArrayList<>();
  private String catalog;

  @AfterEach
  void closeExternal() throws Exception {
    if (fleet != null) {
      fleet.close(); // before its metadata DB
      fleet = null;
    }
    external.forEach(MariaDbServer::close);
  }

  @ParameterizedTest(name = "metadata DB: {0}")
  @ValueSource(strings = {"embedded", "mariadb"})
  void jobsKeepReplicatingWhileTheMetadataDatabaseIsDownAndTheApiSaysWhy(String metadataKind) throws Exception {
    fleet = PairFleet.start(dir, FleetProcesses.metadataEnv(metadataKind, external));
    FleetFixture fixture = fleet.fixture;
    ControlPlaneNode controlPlane = fleet.controlPlane;
    MariaDbServer metadata = external.isEmpty() ? controlPlane.metadata().embedded() : external.get(0);
    catalog = external.isEmpty() ? "ferry" : "ferry_meta";
    SecretBox secrets = SecretBox.fromKeyFile(fleet.fleet.settings.secretKeyFile());
    try (Connection meta = metadata.rootConnection()) {
      meta.setCatalog(catalog);
      FleetFixture.ensureTenant(meta);
      fixture.defineJob(meta, secrets, "job0", fleet.pair(), "app0", 40);
      fixture.defineJob(meta, secrets, "job1", fleet.pair(), "app1", 40);
    }
    fleet.fleet.worker("w1", 10);
    ChildJobSupport.await("both jobs RUNNING on w1", Duration.ofSeconds(60), null, this::describe,
        () -> runningOn("w1", metadata));
    for (FleetFixture.Job j : fixture.jobs.values()) {
      j.load().start();
    }
    FleetApi api = fleet.api;
    assertThat(api.call("GET", "/api/v1/jobs", null).status()).isEqualTo(200);
    Map<String, Long> epochs = epochs(fixture);
    ChildJobSupport.await("rows applied before the outage", Duration.ofSeconds(30), null, this::describe,
        () -> fixture.allAdvancedFrom(zeros(fixture)));

    metadata.kill();
    long downAt = System.nanoTime();
    ChildJobSupport.await("the API says the metadata DB is unavailable", Duration.ofSeconds(20), null, this::describe,
        () -> api.call("GET", "/api/v1/jobs", null).status() == 503);
    FleetApi.Reply unavailable = api.call("GET", "/api/v1/jobs/job0", null);
    assertThat(unavailable.status()).as(unavailable.body()).isEqualTo(503);
    assertThat(unavailable.json().getJsonObject("error").getString("code")).isEqualTo("METADATA_UNAVAILABLE");
    assertThat(unavailable.json().getJsonObject("error").getString("message")).isNotBlank();
    int calls = 0;
    while (System.nanoTime() - downAt < OUTAGE.toNanos()) {
      Map<String, Long> before = fixture.destinationRows();
      ChildJobSupport.await("the jobs replicate while the metadata DB is down", Duration.ofSeconds(30), null,
          this::describe, () -> fixture.allAdvancedFrom(before));
      for (String path : List.of("/api/v1/jobs", "/api/v1/connections", "/api/v1/workers", "/api/v1/jobs/job1")) {
        FleetApi.Reply r = api.call("GET", path, null);
        assertThat(r.status()).as(path + " during the outage: " + r.body()).isEqualTo(503);
        calls++;
      }
      Thread.sleep(5_000); // pacing, not waiting: a round of checks every few seconds until the outage is over
    }
    assertThat(calls).as("the API was asked throughout the outage").isGreaterThanOrEqualTo(8);
    assertThat(controlPlane.scheduler().workers()).filteredOn(w -> w.id().equals("w1"))
        .extracting(w -> w.state().name()).containsExactly("UP");

    metadata.restart();
    ChildJobSupport.await("the API answers again", Duration.ofSeconds(60), null, this::describe,
        () -> api.call("GET", "/api/v1/jobs", null).status() == 200);
    ChildJobSupport.await("both jobs RUNNING on w1 after the outage", Duration.ofSeconds(30), null, this::describe,
        () -> runningOn("w1", metadata));
    Map<String, Long> after = fixture.destinationRows();
    ChildJobSupport.await("the jobs replicate after the outage", Duration.ofSeconds(30), null, this::describe,
        () -> fixture.allAdvancedFrom(after));
    assertThat(epochs(fixture)).as("no job was moved or fenced for the outage").isEqualTo(epochs);
    fixture.assertAllEqual(Duration.ofSeconds(90));
  }

  private static Map<String, Long> epochs(FleetFixture fixture) throws SQLException {
    Map<String, Long> out = new HashMap<>();
    for (FleetFixture.Job j : fixture.jobs.values()) {
      out.put(j.id(), FleetFixture.checkpointEpoch(j));
    }
    return out;
  }

  private static Map<String, Long> zeros(FleetFixture fixture) {
    Map<String, Long> out = new HashMap<>();
    fixture.jobs.keySet().forEach(id -> out.put(id, 0L));
    return out;
  }

  private boolean runningOn(String worker, MariaDbServer metadata) throws SQLException {
    try (Connection meta = metadata.rootConnection()) {
      meta.setCatalog(catalog);
      for (String id : fleet.fixture.jobs.keySet()) {
        String[] row = FleetFixture.jobRow(meta, id);
        if (!"RUNNING".equals(row[0]) || !worker.equals(row[1])) {
          return false;
        }
      }
      return true;
    }
  }

  private String describe() {
    StringBuilder out = new StringBuilder("workers");
    for (WorkerLive w : fleet.controlPlane.scheduler().workers()) {
      out.append(' ').append(w.id()).append('=').append(w.state()).append(w.jobs());
    }
    return out.toString();
  }
}
