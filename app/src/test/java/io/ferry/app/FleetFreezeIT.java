package io.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mariadb.MariaDbServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker frozen with SIGSTOP past its lease while its jobs are under load: the control plane moves
 * its jobs; thawed with SIGCONT, the worker is fenced at every destination and drops the jobs; the new
 * owners continue and every destination ends equal to its source. That the frozen worker commits
 * nothing more is read from the destinations themselves: a {@link CommitLog} records every committed
 * write of each job's checkpoint row (each apply transaction makes one) with the session that made it.
 */
class FleetFreezeIT {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private final FleetFixture fixture = new FleetFixture();
  private FleetProcesses fleet;
  private final List<MariaDbServer> metadata = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
    fixture.close();
    metadata.forEach(MariaDbServer::close);
  }

  @ParameterizedTest(name = "metadata DB: {0}")
  @ValueSource(strings = {"embedded", "mariadb"})
  void aFrozenWorkerIsFencedAndItsJobsContinueElsewhere(String metadataKind) throws Exception {
    fleet = new FleetProcesses(dir, FleetProcesses.metadataEnv(metadataKind, metadata));
    fleet.startControlPlane();
    FleetApi api = fleet.api();
    await("the control plane answers", Duration.ofSeconds(90), () -> api.call("GET", "/api/v1/jobs", null).status() == 200);
    for (String w : List.of("w1", "w2")) {
      fleet.startWorker(w);
    }
    await("two workers UP", Duration.ofSeconds(60), () -> up(api) == 2);
    List<MariaDbServer[]> pairs = fixture.pairs(2);
    Map<String, FleetFixture.Job> byId = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      MariaDbServer[] pair = pairs.get(i % 2);
      String db = "frz" + i;
      LedgerLoad.createTables(pair[0], db);
      String id = api.job("job" + i, api.connection("src" + i, pair[0]), api.connection("dst" + i, pair[1]), db,
          db + "_copy");
      byId.put(id, fixture.track(id, pair, db, 20));
    }
    await("4 jobs RUNNING, 2 on each worker", Duration.ofSeconds(90), () -> byId.keySet().stream()
        .allMatch(id -> "RUNNING".equals(api.job(id).getString("state"))) && jobsOn(api, "w1").size() == 2);
    Map<MariaDbServer, CommitLog> logs = new HashMap<>();
    for (MariaDbServer[] pair : pairs) {
      logs.put(pair[1], CommitLog.install(pair[1]));
    }
    for (FleetFixture.Job j : fixture.jobs.values()) {
      j.load().start();
    }
    List<String> frozenJobs = jobsOn(api, "w1");
    Map<String, Long> before = new HashMap<>();
    frozenJobs.forEach(id -> before.put(id, api.job(id).getLong("epoch")));
    await("w1 commits each of its jobs under load", Duration.ofSeconds(30), () -> frozenJobs.stream()
        .allMatch(id -> committedBy(logs.get(byId.get(id).destination()), id, before.get(id))));
    FerryProcess w1 = fleet.workers.get("w1");
    w1.sigstop();
    await("w1's jobs owned by w2 at their destinations", Duration.ofSeconds(30), () -> frozenJobs.stream()
        .allMatch(id -> ownedElsewhere(api, byId.get(id), "w1", before.get(id))));
    // Past the lease and past the cluster's own failure detection: w1 is no longer even a member.
    await("the cluster drops the frozen member", Duration.ofSeconds(30),
        () -> fleet.controlPlane.logContains("Removing Member"));
    Map<String, Long> thawedAt = new HashMap<>();
    frozenJobs.forEach(id -> thawedAt.put(id, logs.get(byId.get(id).destination()).mark()));
    w1.sigcont();
    await("w1 drops the jobs it no longer owns", Duration.ofSeconds(30),
        () -> frozenJobs.stream().allMatch(id -> w1.logContains("job " + id + " was taken over")
            || w1.logContains("job " + id + " revoked")));
    await("every job RUNNING, owned at its destination by its current owner", Duration.ofSeconds(30),
        () -> byId.values().stream().allMatch(j -> ownedElsewhere(api, j, "nobody", 0)));
    await("the new owners commit after the thaw", Duration.ofSeconds(30), () -> frozenJobs.stream()
        .allMatch(id -> committedAfter(logs.get(byId.get(id).destination()), id, before.get(id), thawedAt.get(id))));
    for (String id : frozenJobs) {
      assertFencedAfterThaw(logs.get(byId.get(id).destination()).of(id), before.get(id), thawedAt.get(id));
    }
    fixture.assertAllEqual(Duration.ofSeconds(90));
  }

  /**
   * What the destination committed for a job that {@code epoch} owned when its worker froze: every write
   * came from the session that had claimed the row, the epoch never went back, nothing of the frozen
   * owner (its epoch or its sessions) was committed after the thaw ({@code thawedAt}), and the new owner
   * committed after it.
   */
  static void assertFencedAfterThaw(List<CommitLog.Commit> commits, long epoch, long thawedAt) {
    assertThat(commits).as("commits of the frozen job's owners").isNotEmpty();
    System.out.printf("job %s: %s%n", commits.get(0).job(), CommitLog.summary(commits, thawedAt));
    Set<Long> frozenSessions = new HashSet<>();
    long highest = 0;
    for (CommitLog.Commit c : commits) {
      assertThat(c.session()).as("session of %s", c).isEqualTo(c.owner());
      assertThat(c.epoch()).as("epoch of %s after epoch %d was committed", c, highest).isGreaterThanOrEqualTo(highest);
      highest = c.epoch();
      if (c.epoch() <= epoch) {
        frozenSessions.add(c.session());
      }
    }
    assertThat(frozenSessions).as("sessions of the frozen owner").isNotEmpty();
    List<CommitLog.Commit> afterThaw = commits.stream().filter(c -> c.id() > thawedAt).toList();
    assertThat(afterThaw).as("commits after SIGCONT").isNotEmpty()
        .allSatisfy(c -> assertThat(c.epoch()).as("epoch of %s", c).isGreaterThan(epoch))
        .noneMatch(c -> frozenSessions.contains(c.session()));
  }

  private static boolean committedBy(CommitLog log, String job, long epoch) {
    return committed(log, job).stream().anyMatch(c -> c.epoch() == epoch);
  }

  /** Whether a write with an epoch above {@code epoch} was committed after {@code mark}. */
  private static boolean committedAfter(CommitLog log, String job, long epoch, long mark) {
    return committed(log, job).stream().anyMatch(c -> c.id() > mark && c.epoch() > epoch);
  }

  private static List<CommitLog.Commit> committed(CommitLog log, String job) {
    try {
      return log.of(job);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static boolean ownedElsewhere(FleetApi api, FleetFixture.Job job, String worker, long before) {
    JsonObject j = api.job(job.id());
    try {
      return "RUNNING".equals(j.getString("state")) && !worker.equals(j.getString("worker"))
          && j.getLong("epoch") > before && FleetFixture.checkpointEpoch(job) == j.getLong("epoch");
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static int up(FleetApi api) {
    int n = 0;
    for (Object o : api.workers()) {
      n += "UP".equals(((JsonObject) o).getString("state")) ? 1 : 0;
    }
    return n;
  }

  private static List<String> jobsOn(FleetApi api, String worker) {
    JsonArray workers = api.workers();
    for (Object o : workers) {
      JsonObject w = (JsonObject) o;
      if (worker.equals(w.getString("id"))) {
        return w.getJsonArray("jobs").stream().map(String::valueOf).toList();
      }
    }
    return List.of();
  }

  private void await(String what, Duration atMost, Callable<Boolean> condition) {
    ChildJobSupport.await(what, atMost, null, fleet::tails, condition);
  }
}
