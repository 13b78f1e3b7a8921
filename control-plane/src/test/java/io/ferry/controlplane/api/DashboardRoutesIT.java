package io.ferry.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.controlplane.EventStreamClient;
import io.ferry.controlplane.TestControlPlane;
import io.ferry.controlplane.fleet.JobLive;
import io.ferry.protocol.model.JobState;
import io.ferry.protocol.model.Position;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The routes the dashboard added, on a real metadata database: a job's history from heartbeats, its
 * events (scheduler and audit), the source's databases and tables for the wizard (read from a real
 * server through the stored connection), and the live feed of job row changes in the event stream,
 * filtered by tenant.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardRoutesIT {
  private TestControlPlane cp;
  private String operator;
  private String[] ours;
  private String theirs;

  @BeforeAll
  void start() throws Exception {
    cp = new TestControlPlane();
    cp.tenant("acme");
    cp.tenant("globex");
    operator = cp.token("operator", "acme");
    ours = connections("acme");
    theirs = connections("globex")[0];
  }

  @AfterAll
  void stop() throws Exception {
    cp.close();
  }

  /** Two connections of a tenant to the metadata server itself (a real server to browse). */
  private String[] connections(String tenant) throws Exception {
    String[] ids = new String[2];
    for (int i = 0; i < 2; i++) {
      ids[i] = cp.expect(201, "POST", "/api/v1/connections", cp.adminToken, new JsonObject().put("name", tenant + i)
          .put("host", cp.metadata.host()).put("port", cp.metadata.port()).put("user", "browser")
          .put("password", "Browse-Pw-1").put("tls", "disabled").put("tenant", tenant)).getString("id");
    }
    return ids;
  }

  private String job(String name) throws Exception {
    return cp.expect(201, "POST", "/api/v1/jobs", operator, cp.jobBody(name, ours[0], ours[1]).put("autoStart", false))
        .getString("id");
  }

  @Test
  void historyHoldsTheHeartbeatsOfTheLastHourInBuckets() throws Exception {
    String job = job("history");
    Instant now = Instant.now();
    cp.fleet.put(live(job, now.minusSeconds(30), 1L, 100));
    cp.fleet.put(live(job, now.minusSeconds(20), 3L, 300));
    cp.fleet.put(live(job, now.minusSeconds(10), 2L, 400));

    JsonObject h = cp.get("/api/v1/jobs/" + job + "/history", operator).json();
    assertThat(h.getInteger("intervalSeconds")).isEqualTo(10);
    assertThat(h.getInteger("windowSeconds")).isEqualTo(3600);
    JsonArray samples = h.getJsonArray("samples");
    assertThat(samples).hasSize(3);
    assertThat(samples.getJsonObject(2).getDouble("lagSeconds")).isEqualTo(2.0);
    assertThat(samples.getJsonObject(2).getLong("rowsApplied")).isEqualTo(400);
    assertThat(samples.getJsonObject(1).getDouble("rowsPerSecond")).isCloseTo(20.0, org.assertj.core.data.Offset.offset(0.01));
    assertThat(cp.get("/api/v1/jobs/" + job + "/history?seconds=15", operator).json().getJsonArray("samples"))
        .hasSizeLessThan(3);

    TestControlPlane.Response bad = cp.get("/api/v1/jobs/" + job + "/history?seconds=99999", operator);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getJsonObject("error").getString("field")).isEqualTo("seconds");
  }

  @Test
  void eventsMergeTheSchedulersAndTheAuditTrailsNewestFirst() throws Exception {
    String job = job("events");
    cp.metadata.execute("INSERT INTO ferry_meta.job_events (job_id, kind, epoch, detail, at) VALUES ('" + job
        + "', 'ASSIGNED', 1, 'w1', NOW(6) + INTERVAL 1 SECOND)");
    JsonArray events = new JsonArray(cp.get("/api/v1/jobs/" + job + "/events", operator).body());
    assertThat(events).hasSize(2);
    assertThat(events.getJsonObject(0).getString("kind")).isEqualTo("ASSIGNED");
    assertThat(events.getJsonObject(0).getString("source")).isEqualTo("scheduler");
    assertThat(events.getJsonObject(0).getString("detail")).isEqualTo("w1");
    assertThat(events.getJsonObject(1).getString("kind")).isEqualTo("job.create");
    assertThat(events.getJsonObject(1).getString("actor")).isEqualTo("operator-acme");
    assertThat(events.getJsonObject(1).containsKey("remoteAddr")).isFalse();
    assertThat(new JsonArray(cp.get("/api/v1/jobs/" + job + "/events?limit=1", operator).body())).hasSize(1);
    assertThat(cp.get("/api/v1/jobs/" + job + "/events?limit=0", operator).status()).isEqualTo(400);
  }

  @Test
  void schemasListTheDatabasesAndTablesTheStoredUserSees() throws Exception {
    cp.metadata.execute("CREATE DATABASE IF NOT EXISTS shop", "CREATE DATABASE IF NOT EXISTS hr",
        "CREATE TABLE IF NOT EXISTS shop.orders (id INT PRIMARY KEY, note VARCHAR(10))",
        "CREATE TABLE IF NOT EXISTS shop.log (n INT)", "CREATE TABLE IF NOT EXISTS hr.people (id INT PRIMARY KEY)",
        "CREATE TABLE IF NOT EXISTS shop.codes (code CHAR(3) NOT NULL, region INT NOT NULL, UNIQUE KEY (code, region))",
        "CREATE TABLE IF NOT EXISTS shop.tags (tag VARCHAR(9), UNIQUE KEY (tag))");
    cp.metadata.createUser("browser", "Browse-Pw-1", "SELECT ON shop.*");

    JsonObject listing = cp.get("/api/v1/connections/" + ours[0] + "/schemas", operator).json();
    assertThat(listing.getBoolean("ok")).as("%s", listing).isTrue();
    JsonArray databases = listing.getJsonArray("databases");
    assertThat(databases.stream().map(d -> ((JsonObject) d).getString("name")).toList())
        .as("only what the user may read, no system schema").containsExactly("shop");
    JsonArray tables = databases.getJsonObject(0).getJsonArray("tables");
    assertThat(tables.stream().map(t -> ((JsonObject) t).getString("name") + ":" + ((JsonObject) t).getBoolean("primaryKey")
        + ":" + ((JsonObject) t).getBoolean("copyKey")).toList())
        .as("a unique key of NOT NULL columns is a key for the copy, one with a NULL-able column is not")
        .containsExactly("codes:false:true", "log:false:false", "orders:true:true", "tags:false:false");
    assertThat(cp.metadata.queryString("SELECT COUNT(*) FROM ferry_meta.audit_log WHERE action = 'connection.browse'"))
        .isNotEqualTo("0");

    cp.metadata.createUser("browser", "Another-Pw-2", "SELECT ON shop.*");
    JsonObject denied = cp.get("/api/v1/connections/" + ours[0] + "/schemas", operator).json();
    assertThat(denied.getBoolean("ok")).isFalse();
    assertThat(denied.getJsonArray("problems").getJsonObject(0).getString("code")).isEqualTo("SOURCE_ACCESS_DENIED");
    assertThat(denied.encode()).doesNotContain("Browse-Pw-1", "Another-Pw-2");
    cp.metadata.createUser("browser", "Browse-Pw-1", "SELECT ON shop.*");

    assertThat(cp.get("/api/v1/connections/" + theirs + "/schemas", operator).status()).isEqualTo(404);
    assertThat(cp.get("/api/v1/connections/" + ours[0] + "/schemas", cp.token("viewer", "acme")).status()).isEqualTo(403);
  }

  @Test
  void theStreamCarriesEveryRowChangeOfTheCallersJobsAndDeletions() throws Exception {
    String foreign = cp.expect(201, "POST", "/api/v1/connections", cp.adminToken, new JsonObject().put("name", "g9")
        .put("host", "127.0.0.1").put("port", 1).put("user", "u").put("password", "p").put("tls", "disabled")
        .put("tenant", "globex")).getString("id");
    try (EventStreamClient stream = new EventStreamClient(cp.port, operator)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> stream.lines.contains(": ferry events"));
      String job = job("feed");
      String foreignJob = cp.expect(201, "POST", "/api/v1/jobs", cp.adminToken, cp.jobBody("secret", foreign, foreign)
          .put("tenant", "globex").put("autoStart", false)).getString("id");
      await("the new job").atMost(Duration.ofSeconds(10)).until(() -> stream.data("job").stream()
          .anyMatch(d -> d.contains(job) && d.contains("\"name\":\"feed\"")));

      // a change the scheduler makes (no API call, no heartbeat) reaches the stream too
      cp.metadata.execute("UPDATE ferry_meta.jobs SET state = 'STOPPED' WHERE id = '" + job + "'");
      await("the scheduler's change").atMost(Duration.ofSeconds(10)).until(() -> stream.data("job").stream()
          .map(JsonObject::new).anyMatch(j -> job.equals(j.getString("id")) && "STOPPED".equals(j.getString("state"))));

      cp.expect(204, "DELETE", "/api/v1/jobs/" + job, operator, null);
      await("the deletion").atMost(Duration.ofSeconds(10)).until(() -> stream.data("job-removed").stream()
          .anyMatch(d -> d.contains(job)));
      cp.expect(204, "DELETE", "/api/v1/jobs/" + foreignJob, cp.adminToken, null);
      cp.expect(201, "POST", "/api/v1/jobs", operator, cp.jobBody("after", ours[0], ours[1]).put("autoStart", false));
      await("a later job").atMost(Duration.ofSeconds(10)).until(() -> stream.data("job").stream()
          .anyMatch(d -> d.contains("\"name\":\"after\"")));
      List<String> all = List.copyOf(stream.lines);
      assertThat(all).noneMatch(l -> l.contains(foreignJob) || l.contains("globex"));
    }
  }

  private static JobLive live(String id, Instant at, Long lag, long rows) {
    return new JobLive(id, "acme", "w1", 1, JobState.RUNNING, new Position("mysql-bin.000001", 4, ""), lag, rows, 1.0,
        null, at);
  }
}
