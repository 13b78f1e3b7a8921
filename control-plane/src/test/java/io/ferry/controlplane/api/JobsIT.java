package io.ferry.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.controlplane.TestControlPlane;
import io.ferry.controlplane.fleet.JobLive;
import io.ferry.protocol.model.ErrorInfo;
import io.ferry.protocol.model.JobState;
import io.ferry.protocol.model.Position;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Jobs through the API: the canonical spec in the database, state changes written as the fleet
 * package-info splits the table (each followed by {@code jobChanged}), 409s naming the state, the live
 * figures merged into the answer, and an audit row for every change.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsIT {
  private TestControlPlane cp;
  private String operator;
  private String viewer;
  private String source;
  private String destination;

  @BeforeAll
  void start() throws Exception {
    cp = new TestControlPlane();
    cp.tenant("acme");
    operator = cp.token("operator", "acme");
    viewer = cp.token("viewer", "acme");
    source = cp.expect(201, "POST", "/api/v1/connections", operator, cp.connectionBody("src", "pw-1")).getString("id");
    destination = cp.expect(201, "POST", "/api/v1/connections", operator, cp.connectionBody("dst", "pw-2"))
        .getString("id");
  }

  @AfterAll
  void stop() throws Exception {
    cp.close();
  }

  private String sql(String query) {
    return cp.metadata.queryString(query.replace("{db}", "ferry_meta"));
  }

  @Test
  void aJobIsStoredInTheCanonicalShapeAndReadBackWithItsLiveFigures() throws Exception {
    JsonObject body = cp.jobBody("shop-copy", source, destination)
        .put("tables", new JsonObject().put("include", new JsonArray().add("shop.*").add("crm.customers")))
        .put("databaseMap", new JsonObject().put("shop", "shop_copy"))
        .put("start", new JsonObject().put("file", "mysql-bin.000003").put("position", 4))
        .put("ddl", "ignore");
    JsonObject created = cp.expect(201, "POST", "/api/v1/jobs", operator, body);
    String id = created.getString("id");
    assertThat(created.getString("state")).isEqualTo("CREATED");
    assertThat(created.getString("desiredState")).isEqualTo("RUNNING");
    assertThat(created.getString("tenant")).isEqualTo("acme");
    assertThat(cp.fleet.changed()).contains(id);
    assertThat(new JsonObject(sql("SELECT spec FROM {db}.jobs WHERE id = '" + id + "'"))).isEqualTo(new JsonObject()
        .put("tables", new JsonObject().put("include", new JsonArray().add("shop.*").add("crm.customers"))
            .put("exclude", new JsonArray()))
        .put("databaseMap", new JsonObject().put("shop", "shop_copy"))
        .put("start", new JsonObject().put("file", "mysql-bin.000003").put("position", 4))
        .put("ddl", "ignore"));

    JsonObject defaults = cp.expect(201, "POST", "/api/v1/jobs", operator, cp.jobBody("defaults", source, destination));
    JsonObject spec = new JsonObject(sql("SELECT spec FROM {db}.jobs WHERE id = '" + defaults.getString("id") + "'"));
    assertThat(spec.getValue("start")).as("a new job copies its tables first").isEqualTo("snapshot");
    assertThat(spec.getString("ddl")).isEqualTo("exec");
    assertThat(spec.getJsonObject("databaseMap")).isEmpty();

    // before any heartbeat: figures from the checkpoint mirror
    cp.metadata.execute("INSERT INTO ferry_meta.job_checkpoints (job_id, epoch, binlog_file, binlog_pos, gtid_set,"
        + " lag_seconds, rows_applied, events_per_second) VALUES ('" + id + "', 1, 'mysql-bin.000003', 120, '0-1-5', 2,"
        + " 10, 1.5)");
    JsonObject mirrored = cp.expect(200, "GET", "/api/v1/jobs/" + id, viewer, null);
    assertThat(mirrored.getJsonObject("position")).as(mirrored.encode()).isEqualTo(new JsonObject().put("file", "mysql-bin.000003")
        .put("position", 120).put("gtid", "0-1-5"));
    assertThat(mirrored.getLong("rowsApplied")).isEqualTo(10);
    assertThat(mirrored.getValue("snapshot")).isNull();

    // with a heartbeat: the owner's figures, the scheduler's state and error from the row
    cp.metadata.execute("UPDATE ferry_meta.jobs SET state = 'RUNNING', worker_id = 'w1', epoch = 3 WHERE id = '" + id + "'");
    cp.fleet.put(new JobLive(id, "acme", "w1", 3, JobState.RUNNING, new Position("mysql-bin.000004", 400, "0-1-9"), 1L,
        99, 12.5, null, Instant.now()));
    JsonObject live = cp.expect(200, "GET", "/api/v1/jobs/" + id, viewer, null);
    assertThat(live.getString("state")).isEqualTo("RUNNING");
    assertThat(live.getString("worker")).isEqualTo("w1");
    assertThat(live.getLong("epoch")).isEqualTo(3);
    assertThat(live.getJsonObject("position").getString("file")).isEqualTo("mysql-bin.000004");
    assertThat(live.getLong("rowsApplied")).isEqualTo(99);
    assertThat(live.getDouble("eventsPerSecond")).isEqualTo(12.5);
    assertThat(live.getLong("lagSeconds")).isEqualTo(1);

    assertThat(cp.get("/api/v1/jobs?state=RUNNING", viewer).array()).extracting(j -> ((JsonObject) j).getString("id"))
        .containsExactly(id);
    assertThat(cp.get("/api/v1/jobs?state=CREATED", viewer).array()).extracting(j -> ((JsonObject) j).getString("id"))
        .containsExactly(defaults.getString("id"));
  }

  @Test
  void snapshotOptionsAreCheckedAndTheCopyShowsPerTable() throws Exception {
    JsonObject bad = cp.expect(400, "POST", "/api/v1/jobs", operator, cp.jobBody("badcopy", source, destination)
        .put("start", new JsonObject().put("snapshot", new JsonObject().put("keyless", "skip"))));
    assertThat(bad.encode()).contains("keyless");
    cp.expect(400, "POST", "/api/v1/jobs", operator, cp.jobBody("badlanes", source, destination)
        .put("start", new JsonObject().put("snapshot", new JsonObject().put("parallel", 65))));
    String id = cp.expect(201, "POST", "/api/v1/jobs", operator, cp.jobBody("lanes", source, destination)
        .put("autoStart", false).put("start", new JsonObject().put("snapshot", new JsonObject().put("parallel", 8)
            .put("keyless", "copy")))).getString("id");
    try {
      assertThat(new JsonObject(sql("SELECT spec FROM {db}.jobs WHERE id = '" + id + "'")).getJsonObject("start"))
          .as("the options, defaults filled in").isEqualTo(new JsonObject().put("snapshot", new JsonObject()
              .put("overwrite", false).put("chunkRows", 10_000).put("parallel", 8).put("bufferMb", 256)
              .put("keyless", "copy")));
      cp.fleet.put(new JobLive(id, "acme", "w1", 1, JobState.SNAPSHOT, null, 0L, 0, 0, null, Instant.now(),
          new io.ferry.protocol.model.SnapshotProgress(1, 2, 1_500, 300, 4L, "shop.orders", java.util.List.of(
              new io.ferry.protocol.model.SnapshotProgress.Table("shop.orders", 500, 2_000, false),
              new io.ferry.protocol.model.SnapshotProgress.Table("shop.customers", 1_000, 1_000, true)))));
      JsonObject live = cp.expect(200, "GET", "/api/v1/jobs/" + id, viewer, null);
      assertThat(live.getJsonObject("snapshot").getJsonArray("tables")).as(live.encode()).isEqualTo(new JsonArray()
          .add(new JsonObject().put("table", "shop.orders").put("rowsCopied", 500).put("rowsEstimate", 2_000)
              .put("done", false))
          .add(new JsonObject().put("table", "shop.customers").put("rowsCopied", 1_000).put("rowsEstimate", 1_000)
              .put("done", true)));
    } finally {
      cp.expect(204, "DELETE", "/api/v1/jobs/" + id, operator, null);
    }
  }

  @Test
  void stateChangesFollowTheRulesAndEachIsAudited() throws Exception {
    String id = cp.expect(201, "POST", "/api/v1/jobs", operator, cp.jobBody("lifecycle", source, destination)
        .put("autoStart", false)).getString("id");
    assertThat(state(id)).isEqualTo("CREATED/STOPPED");
    conflict("pause", id, "CREATED");
    conflict("resume", id, "CREATED");

    cp.expect(200, "POST", "/api/v1/jobs/" + id + "/start", operator, null);
    assertThat(state(id)).isEqualTo("CREATED/RUNNING");
    cp.expect(200, "POST", "/api/v1/jobs/" + id + "/start", operator, null); // harmless again while CREATED

    scheduler(id, "RUNNING", null);
    conflict("start", id, "RUNNING");
    conflict("resume", id, "RUNNING");
    JsonObject deleteRunning = cp.expect(409, "DELETE", "/api/v1/jobs/" + id, operator, null);
    assertThat(deleteRunning.getJsonObject("error").getString("state")).isEqualTo("RUNNING");

    cp.expect(200, "POST", "/api/v1/jobs/" + id + "/pause", operator, "{}");
    assertThat(state(id)).isEqualTo("RUNNING/PAUSED");
    conflict("pause", id, "RUNNING");
    scheduler(id, "PAUSED", null);
    cp.expect(200, "POST", "/api/v1/jobs/" + id + "/resume", operator, null);
    assertThat(state(id)).isEqualTo("STARTING/RUNNING");

    scheduler(id, "ERROR", "SOURCE_UNREACHABLE");
    JsonObject failed = cp.expect(200, "GET", "/api/v1/jobs/" + id, operator, null);
    assertThat(failed.getJsonObject("error").getString("code")).isEqualTo("SOURCE_UNREACHABLE");
    assertThat(failed.getJsonObject("error").getString("remedy")).isEqualTo("check it");
    conflict("pause", id, "ERROR");
    JsonObject restarted = cp.expect(200, "POST", "/api/v1/jobs/" + id + "/start", operator, null);
    assertThat(restarted.getValue("error")).isNull();
    assertThat(state(id)).isEqualTo("STARTING/RUNNING");
    assertThat(sql("SELECT COUNT(*) FROM {db}.jobs WHERE id = '" + id + "' AND error_code IS NULL")).isEqualTo("1");

    cp.expect(200, "POST", "/api/v1/jobs/" + id + "/stop", operator, null);
    assertThat(state(id)).isEqualTo("STARTING/STOPPED");
    cp.expect(409, "DELETE", "/api/v1/jobs/" + id, operator, null);
    scheduler(id, "STOPPED", null);
    conflict("stop", id, "STOPPED");
    cp.expect(204, "DELETE", "/api/v1/jobs/" + id, operator, null);
    cp.expect(404, "GET", "/api/v1/jobs/" + id, operator, null);
    assertThat(cp.fleet.changed().stream().filter(id::equals).count()).isEqualTo(8);

    JsonArray audit = cp.get("/api/v1/audit?limit=500", cp.adminToken).array();
    assertThat(audit.stream().map(JsonObject.class::cast).filter(a -> id.equals(a.getString("objectId")))
        .map(a -> a.getString("action")).toList())
        .containsExactly("job.delete", "job.stop", "job.start", "job.resume", "job.pause", "job.start", "job.start",
            "job.create");
    JsonObject create = audit.stream().map(JsonObject.class::cast)
        .filter(a -> id.equals(a.getString("objectId")) && a.getString("action").equals("job.create")).findFirst()
        .orElseThrow();
    assertThat(create.getString("actorKind")).isEqualTo("token");
    assertThat(create.getString("tenant")).isEqualTo("acme");
    assertThat(create.getString("remoteAddr")).isEqualTo("127.0.0.1");
  }

  @Test
  void auditIsPagedNewestFirst() throws Exception {
    JsonArray first = cp.get("/api/v1/audit?limit=2", cp.adminToken).array();
    assertThat(first).hasSize(2);
    long newest = first.getJsonObject(0).getLong("id");
    long second = first.getJsonObject(1).getLong("id");
    assertThat(newest).isGreaterThan(second);
    JsonArray next = cp.get("/api/v1/audit?limit=2&before=" + second, cp.adminToken).array();
    assertThat(next.getJsonObject(0).getLong("id")).isLessThan(second);
    assertThat(cp.get("/api/v1/audit?tenant=nobody", cp.adminToken).array()).isEmpty();
    assertThat(cp.get("/api/v1/audit", operator).status()).isEqualTo(403);
  }

  /** Plays the scheduler: writes the state (and error) that only it writes. */
  private void scheduler(String id, String state, String errorCode) {
    cp.metadata.execute("UPDATE ferry_meta.jobs SET state = '" + state + "'"
        + (errorCode == null ? "" : ", error_code = '" + errorCode + "', error_message = 'm', error_remedy = 'check it',"
            + " error_at = NOW(6)")
        + " WHERE id = '" + id + "'");
    cp.fleet.put(new JobLive(id, "acme", "w1", 1, JobState.valueOf(state), null, null, 0, 0,
        errorCode == null ? null : new ErrorInfo(errorCode, "m", "check it", Instant.now(), true), Instant.now()));
  }

  private String state(String id) {
    return sql("SELECT CONCAT(state, '/', desired_state) FROM {db}.jobs WHERE id = '" + id + "'");
  }

  private void conflict(String action, String id, String state) throws Exception {
    JsonObject error = cp.expect(409, "POST", "/api/v1/jobs/" + id + "/" + action, operator, null).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("INVALID_STATE");
    assertThat(error.getString("state")).isEqualTo(state);
    assertThat(error.getString("message")).contains(state);
  }
}
