package io.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cluster.ClusterCredentials;
import io.ferry.mariadb.MariaDbServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet as real processes: a control plane and three workers on the clustered event bus, twelve
 * jobs between six source/destination pairs under load. A worker is killed with SIGKILL, the control
 * plane is killed and restarted (after which the API's epochs are the destinations' and its workers are
 * those that list the jobs), and an intruder with another cluster's credentials tries to join;
 * afterwards every destination equals its source. Run once with the embedded metadata DB and once
 * with an external MariaDB. A worker frozen with SIGSTOP is {@link FleetFreezeIT}.
 */
class FleetProcessIT {
  private static final Duration MOVE_DEADLINE = Duration.ofSeconds(10);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private final FleetFixture fixture = new FleetFixture();
  private final List<String> secrets = new ArrayList<>();
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
  void jobsSurviveWorkerDeathAndControlPlaneRestart(String metadataKind) throws Exception {
    Map<String, String> metadataEnv = FleetProcesses.metadataEnv(metadataKind, metadata);
    fleet = new FleetProcesses(dir, metadataEnv);
    fleet.startControlPlane();
    FleetApi api = fleet.api();
    await("the control plane answers", Duration.ofSeconds(90), () -> api.call("GET", "/api/v1/jobs", null).status() == 200);
    for (String w : List.of("w1", "w2", "w3")) {
      fleet.startWorker(w);
    }
    await("three workers UP", Duration.ofSeconds(60), () -> upWorkers(api).size() == 3);

    List<io.ferry.mariadb.MariaDbServer[]> pairs = fixture.pairs(6);
    Map<String, FleetFixture.Job> byApiId = new HashMap<>();
    for (int i = 0; i < 12; i++) {
      MariaDbServer[] pair = pairs.get(i % 6);
      String db = "app" + i;
      LedgerLoad.createTables(pair[0], db);
      // Each job logs in with users of its own whose passwords must never show up anywhere.
      String srcPassword = "src-secret-" + UUID.randomUUID();
      String dstPassword = "dst-secret-" + UUID.randomUUID();
      secrets.add(srcPassword);
      secrets.add(dstPassword);
      pair[0].createUser("repl" + i, srcPassword, "REPLICATION SLAVE, BINLOG MONITOR ON *.*", "SELECT ON " + db + ".*");
      pair[1].createUser("ferry" + i, dstPassword, "ALL ON " + db + "_copy.*", "ALL ON _ferry.*");
      String src = api.connection("src" + i, pair[0], "repl" + i, srcPassword);
      String dst = api.connection("dst" + i, pair[1], "ferry" + i, dstPassword);
      String id = api.job("job" + i, src, dst, db, db + "_copy");
      byApiId.put(id, fixture.track(id, pair, db, 10));
    }
    await("12 jobs RUNNING", Duration.ofSeconds(90), () -> byApiId.keySet().stream().allMatch(id -> running(api, id)));
    await("four jobs on each worker", Duration.ofSeconds(10),
        () -> upWorkers(api).values().stream().allMatch(jobs -> jobs.size() == 4));
    for (FleetFixture.Job j : fixture.jobs.values()) {
      j.load().start();
    }

    // 1. SIGKILL a worker under load: its jobs run elsewhere within 10 s.
    List<String> onW1 = upWorkers(api).get("w1");
    long killedAt = System.nanoTime();
    fleet.workers.get("w1").kill9();
    await("w1's jobs running elsewhere", MOVE_DEADLINE, () -> onW1.stream().allMatch(id -> runningOn(api, id, "w1", false)));
    long movedMillis = (System.nanoTime() - killedAt) / 1_000_000;
    assertThat(movedMillis).as("ms from SIGKILL to every job running elsewhere").isLessThan(MOVE_DEADLINE.toMillis());

    // 2. Kill the control plane and restart it: the jobs never stop, and the API shows the truth after.
    Map<String, Long> epochsAtCrash = epochs(api, byApiId.keySet());
    Map<String, Long> rowsAtCrash = fixture.destinationRows();
    fleet.controlPlane.kill9();
    await("destinations advance while the control plane is down", Duration.ofSeconds(20),
        () -> fixture.allAdvancedFrom(rowsAtCrash));
    fleet.startControlPlane();
    await("the control plane is back", Duration.ofSeconds(90), () -> api.call("GET", "/api/v1/jobs", null).status() == 200);
    await("the API shows every job RUNNING", Duration.ofSeconds(30),
        () -> byApiId.keySet().stream().allMatch(id -> running(api, id)));
    assertThat(epochs(api, byApiId.keySet())).as("no job was reassigned by the restart").isEqualTo(epochsAtCrash);
    // What the restarted control plane shows is what the destinations and workers hold: each job's epoch
    // is its destination's checkpoint epoch, its worker lists it, and it reports rows applied, also in /metrics.
    Map<String, List<String>> listed = upWorkers(api);
    for (FleetFixture.Job j : byApiId.values()) {
      JsonObject job = api.job(j.id());
      assertThat(job.getLong("epoch")).as("API epoch of %s", j.id()).isEqualTo(FleetFixture.checkpointEpoch(j));
      assertThat(listed.get(job.getString("worker"))).as("jobs of worker %s", job.getString("worker")).contains(j.id());
    }
    await("the API and /metrics show every job's figures", Duration.ofSeconds(30),
        () -> byApiId.keySet().stream().allMatch(id -> showsFigures(api, id)));
    String metrics = api.call("GET", "/metrics", null).body();
    for (Map.Entry<String, List<String>> w : listed.entrySet()) {
      assertThat(metrics).contains("ferry_worker_jobs{worker=\"" + w.getKey() + "\"} " + w.getValue().size());
    }

    // 3. An intruder with another cluster's credentials neither joins nor gets a job.
    Path foreign = dir.resolve("foreign-cluster");
    ClusterCredentials.init(foreign, List.of(), false);
    FerryProcess intruder = fleet.startWorker("intruder", foreign);
    // Absence is proved over time: for 15 s the control plane never lists it, and no job moves to it.
    Awaitility.await("the intruder stays outside").during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(25))
        .pollInterval(Duration.ofMillis(500)).until(() -> api.workers().stream()
            .noneMatch(o -> "intruder".equals(((JsonObject) o).getString("id"))));
    assertThat(intruder.logContains("running job")).as("the intruder ran a job").isFalse();

    fixture.assertAllEqual(Duration.ofSeconds(120));

    // 4. No password appears in any answer of the API or any line any process logged.
    secrets.add(FleetProcesses.ADMIN_TOKEN);
    String answers = api.call("GET", "/api/v1/connections", null).body() + api.call("GET", "/api/v1/jobs", null).body()
        + api.call("GET", "/api/v1/workers", null).body() + api.call("GET", "/metrics", null).body()
        + api.call("GET", "/api/v1/audit", null).body();
    String logs = fleet.allLogs();
    for (String secret : secrets) {
      assertThat(answers).as("API answers").doesNotContain(secret);
      assertThat(logs).as("the logs of every process of this run").doesNotContain(secret);
    }
  }

  /** Whether the API shows the job RUNNING with a position and rows applied, and /metrics the same. */
  private static boolean showsFigures(FleetApi api, String id) {
    JsonObject job = api.job(id);
    JsonObject position = job.getJsonObject("position");
    Long rows = job.getLong("rowsApplied");
    if (position == null || position.getString("file") == null || rows == null || rows <= 0) {
      return false;
    }
    String metrics = api.call("GET", "/metrics", null).body();
    return java.util.regex.Pattern.compile("ferry_job_state\\{job_id=\"" + id + "\"[^}]*state=\"RUNNING\"} 1\n")
        .matcher(metrics).find()
        && java.util.regex.Pattern.compile("ferry_job_rows_applied_total\\{job_id=\"" + id + "\"[^}]*} [1-9]")
        .matcher(metrics).find()
        && java.util.regex.Pattern.compile("ferry_job_binlog_events_total\\{job_id=\"" + id + "\"[^}]*} [1-9]")
        .matcher(metrics).find();
  }

  private static boolean running(FleetApi api, String id) {
    JsonObject job = api.job(id);
    return "RUNNING".equals(job.getString("state")) && job.getString("worker") != null;
  }

  private static boolean runningOn(FleetApi api, String id, String worker, boolean on) {
    JsonObject job = api.job(id);
    return "RUNNING".equals(job.getString("state")) && job.getString("worker") != null
        && worker.equals(job.getString("worker")) == on;
  }

  private static Map<String, Long> epochs(FleetApi api, java.util.Collection<String> ids) {
    Map<String, Long> out = new HashMap<>();
    ids.forEach(id -> out.put(id, api.job(id).getLong("epoch")));
    return out;
  }

  /** UP workers and their jobs. */
  private static Map<String, List<String>> upWorkers(FleetApi api) {
    Map<String, List<String>> out = new HashMap<>();
    JsonArray workers = api.workers();
    for (Object o : workers) {
      JsonObject w = (JsonObject) o;
      if ("UP".equals(w.getString("state"))) {
        out.put(w.getString("id"), w.getJsonArray("jobs").stream().map(String::valueOf).toList());
      }
    }
    return out;
  }

  private void await(String what, Duration atMost, Callable<Boolean> condition) {
    ChildJobSupport.await(what, atMost, null, fleet::tails, condition);
  }
}
