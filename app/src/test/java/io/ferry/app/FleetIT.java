package io.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.app.node.ControlPlaneNode;
import io.ferry.controlplane.fleet.WorkerLive;
import io.ferry.controlplane.secrets.SecretBox;
import io.ferry.mariadb.MariaDbServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler with three workers in one process (one event bus, real MariaDB servers, the embedded
 * metadata database): jobs spread over the workers, pause and resume, drain, a worker that leaves,
 * a worker that joins the loaded fleet and is given its share; every destination ends equal to its source.
 */
class FleetIT {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private InProcessFleet fleet;
  private FleetFixture fixture;
  private ControlPlaneNode controlPlane;

  @AfterEach
  void close() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void jobsSpreadMoveOnDrainAndLeaveAndEndEqual() throws Exception {
    fleet = new InProcessFleet(dir);
    fixture = fleet.fixture;
    controlPlane = fleet.controlPlane;
    SecretBox secrets = SecretBox.fromKeyFile(fleet.settings.secretKeyFile());
    List<MariaDbServer[]> pairs = fixture.pairs(2);
    try (Connection meta = controlPlane.metadata().embedded().rootConnection()) {
      meta.setCatalog("ferry");
      FleetFixture.ensureTenant(meta);
      for (int i = 0; i < 6; i++) {
        fixture.defineJob(meta, secrets, "job" + i, pairs.get(i % 2), "app" + i, 30);
      }
      for (String node : List.of("w1", "w2", "w3")) {
        fleet.worker(node, 10);
      }
      // Workers register one by one; placement and then rebalancing spread the jobs evenly.
      ChildJobSupport.await("two jobs RUNNING on each worker", Duration.ofSeconds(60), null, this::describe,
          () -> jobsPerWorker().equals(Map.of("w1", 2, "w2", 2, "w3", 2)) && allRunning(meta));
      for (FleetFixture.Job j : fixture.jobs.values()) {
        j.load().start();
      }

      FleetFixture.setDesired(meta, "job0", "PAUSED");
      controlPlane.scheduler().jobChanged("job0");
      await(meta, "job0", "PAUSED", false);
      FleetFixture.setDesired(meta, "job0", "RUNNING");
      controlPlane.scheduler().jobChanged("job0");
      await(meta, "job0", "RUNNING", true);

      controlPlane.scheduler().drain("w1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      ChildJobSupport.await("w1 drained", Duration.ofSeconds(30), null, this::describe,
          () -> jobsPerWorker().getOrDefault("w1", 0) == 0 && allRunning(meta));

      fleet.workers.remove(1).close(); // w2 leaves: its heartbeats stop, its jobs move to w3 (w1 is draining)
      ChildJobSupport.await("w2's jobs moved", Duration.ofSeconds(30), null, this::describe,
          () -> jobsPerWorker().getOrDefault("w3", 0) == 6 && allRunning(meta));
      assertThat(controlPlane.scheduler().workers()).filteredOn(w -> w.id().equals("w2"))
          .extracting(w -> w.state().name()).containsExactly("LOST");

      // w4 joins the loaded fleet: the scheduler moves jobs to it, one per tick, until the two live
      // workers differ by less than two (w1 is still draining and gets nothing).
      Map<String, Long> epochs = epochs(meta);
      fleet.worker("w4", 10);
      ChildJobSupport.await("jobs rebalanced onto w4", Duration.ofSeconds(60), null, this::describe,
          () -> jobsPerWorker().equals(Map.of("w3", 3, "w4", 3)) && allRunning(meta));
      Map<String, Long> moved = epochs(meta);
      moved.entrySet().removeIf(e -> e.getValue().equals(epochs.get(e.getKey())));
      assertThat(moved).as("jobs moved (new epoch) by the rebalance").hasSize(3);
      fixture.assertAllEqual(Duration.ofSeconds(60));
    }
  }

  private Map<String, Long> epochs(Connection meta) throws Exception {
    Map<String, Long> out = new HashMap<>();
    for (String id : fixture.jobs.keySet()) {
      out.put(id, Long.parseLong(FleetFixture.jobRow(meta, id)[2]));
    }
    return out;
  }

  private Map<String, Integer> jobsPerWorker() {
    Map<String, Integer> out = new HashMap<>();
    for (WorkerLive w : controlPlane.scheduler().workers()) {
      if (!w.jobs().isEmpty()) {
        out.put(w.id(), w.jobs().size());
      }
    }
    return out;
  }

  private String describe() {
    return "workers " + controlPlane.scheduler().workers();
  }

  private boolean allRunning(Connection meta) throws Exception {
    for (String id : fixture.jobs.keySet()) {
      String[] row = FleetFixture.jobRow(meta, id);
      if (!"RUNNING".equals(row[0]) || row[1] == null) {
        return false;
      }
    }
    return true;
  }

  private void await(Connection meta, String job, String state, boolean assigned) {
    ChildJobSupport.await(job + " " + state, Duration.ofSeconds(30), null, this::describe, () -> {
      String[] row = FleetFixture.jobRow(meta, job);
      return state.equals(row[0]) && (row[1] != null) == assigned;
    });
  }
}
