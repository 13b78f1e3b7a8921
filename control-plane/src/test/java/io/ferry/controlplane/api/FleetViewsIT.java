package io.ferry.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.controlplane.EventStreamClient;
import io.ferry.controlplane.TestControlPlane;
import io.ferry.controlplane.fleet.JobLive;
import io.ferry.controlplane.fleet.WorkerLive;
import io.ferry.protocol.model.JobState;
import io.ferry.protocol.model.Position;
import io.ferry.protocol.model.WorkerState;
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
 * The fleet-wide views — the event stream, workers, metrics — show a non-admin only its own tenant's
 * jobs, and an admin everything; draining is audited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetViewsIT {
  private TestControlPlane cp;
  private String viewer;
  private String ours;
  private String theirs;

  @BeforeAll
  void start() throws Exception {
    cp = new TestControlPlane();
    cp.tenant("acme");
    cp.tenant("globex");
    viewer = cp.token("viewer", "acme");
    ours = job("acme");
    theirs = job("globex");
  }

  @AfterAll
  void stop() throws Exception {
    cp.close();
  }

  private String job(String tenant) throws Exception {
    String a = cp.expect(201, "POST", "/api/v1/connections", cp.adminToken,
        cp.connectionBody(tenant + "-a", "Secret-Pw-1").put("tenant", tenant)).getString("id");
    String b = cp.expect(201, "POST", "/api/v1/connections", cp.adminToken,
        cp.connectionBody(tenant + "-b", "Secret-Pw-1").put("tenant", tenant)).getString("id");
    return cp.expect(201, "POST", "/api/v1/jobs", cp.adminToken, cp.jobBody(tenant + "-job", a, b).put("tenant", tenant))
        .getString("id");
  }

  @Test
  void theEventStreamIsFilteredByTenantAndUnsubscribedOnClose() throws Exception {
    int others = cp.fleet.listeners(); // the control plane's own (the job history)
    EventStreamClient viewerStream = new EventStreamClient(cp.port, viewer);
    EventStreamClient adminStream = new EventStreamClient(cp.port, cp.adminToken);
    List<String> viewerLines = viewerStream.lines;
    List<String> adminLines = adminStream.lines;
    await().atMost(Duration.ofSeconds(10)).until(() -> cp.fleet.listeners() == others + 2);

    cp.fleet.put(live(ours, "acme"));
    cp.fleet.put(live(theirs, "globex"));
    cp.fleet.put(new WorkerLive("w1", "host-1", WorkerState.UP, 4, List.of(ours, theirs), Instant.now(), Instant.now()));

    await().atMost(Duration.ofSeconds(10)).until(() -> adminLines.stream().anyMatch(l -> l.contains("\"id\":\"w1\"")));
    await().atMost(Duration.ofSeconds(10)).until(() -> viewerLines.stream().anyMatch(l -> l.contains("\"id\":\"w1\"")));
    assertThat(adminLines).contains("event: job", "event: worker");
    assertThat(adminLines.stream().filter(l -> l.startsWith("data:")).toList())
        .anyMatch(l -> l.contains(ours)).anyMatch(l -> l.contains(theirs));
    assertThat(viewerLines.stream().filter(l -> l.startsWith("data:")).toList())
        .anyMatch(l -> l.contains(ours)).noneMatch(l -> l.contains(theirs));
    JsonObject worker = new JsonObject(viewerLines.stream().filter(l -> l.startsWith("data:") && l.contains("\"id\":\"w1\""))
        .findFirst().orElseThrow().substring("data:".length()));
    assertThat(worker.getJsonArray("jobs")).containsExactly(ours);

    viewerStream.close();
    adminStream.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> cp.fleet.listeners() == others);
    assertThat(viewerStream.response).isCompletedExceptionally(); // cancelled by the client, after a 200
    assertThat(adminStream.response).isCompletedExceptionally();
  }

  @Test
  void workersAndMetricsShowOnlyTheCallersTenant() throws Exception {
    // the state series come from the row, which the scheduler keeps
    cp.metadata.execute("UPDATE ferry_meta.jobs SET state = 'RUNNING'");
    cp.fleet.put(live(ours, "acme"));
    cp.fleet.put(live(theirs, "globex"));
    cp.fleet.put(new WorkerLive("w2", "host-2", WorkerState.UP, 4, List.of(ours, theirs), Instant.now(), Instant.now(),
        17));

    JsonObject w2 = worker(cp.get("/api/v1/workers", viewer).array(), "w2");
    assertThat(w2.getJsonArray("jobs")).containsExactly(ours);
    assertThat(worker(cp.get("/api/v1/workers", cp.adminToken).array(), "w2").getJsonArray("jobs"))
        .containsExactlyInAnyOrder(ours, theirs);

    String mine = cp.get("/metrics", viewer).body();
    assertThat(mine).contains("ferry_job_state{job_id=\"" + ours + "\",tenant=\"acme\",state=\"RUNNING\"} 1")
        .contains("ferry_job_rows_applied_total{job_id=\"" + ours + "\",tenant=\"acme\"} 42")
        .contains("ferry_job_binlog_events_total{job_id=\"" + ours + "\",tenant=\"acme\"} 4321")
        .doesNotContain(theirs).doesNotContain("ferry_worker_").doesNotContain("jvm_");
    String all = cp.get("/metrics", cp.adminToken).body();
    assertThat(all).contains(ours, theirs, "ferry_worker_up{worker=\"w2\"} 1", "ferry_worker_jobs{worker=\"w2\"} 2",
        "ferry_worker_heartbeats_total{worker=\"w2\"} 17",
        "ferry_heartbeats_received_total", "jvm_threads_live", "jvm_memory_used_bytes{area=\"heap\"}",
        "process_uptime_seconds", "ferry_job_lag_seconds{job_id=\"" + ours + "\"");
    assertThat(all).doesNotContain("Secret-Pw-1", "127.0.0.1", "repl", cp.adminToken, viewer);
    for (String line : all.split("\n")) {
      assertThat(line).matches("# (HELP|TYPE) .*|[a-z_]+(\\{[^}]*})? -?[0-9.E+-]+");
    }
    assertThat(cp.get("/metrics", null).status()).isEqualTo(401);
  }

  @Test
  void drainingIsForAdminsAndAudited() throws Exception {
    cp.fleet.put(new WorkerLive("w3", "host-3", WorkerState.UP, 4, List.of(), Instant.now(), Instant.now()));
    cp.expect(403, "POST", "/api/v1/workers/w3/drain", viewer, null);
    cp.expect(202, "POST", "/api/v1/workers/w3/drain", cp.adminToken, null);
    cp.expect(404, "POST", "/api/v1/workers/nope/drain", cp.adminToken, null);
    assertThat(cp.fleet.drained()).containsExactly("w3");
    assertThat(cp.metadata.queryString("SELECT COUNT(*) FROM ferry_meta.audit_log WHERE action = 'worker.drain'"
        + " AND object_id = 'w3'")).isEqualTo("1");
  }

  private static JsonObject worker(JsonArray workers, String id) {
    return workers.stream().map(JsonObject.class::cast).filter(w -> id.equals(w.getString("id"))).findFirst()
        .orElseThrow();
  }

  private static JobLive live(String id, String tenant) {
    return new JobLive(id, tenant, "w1", 1, JobState.RUNNING, new Position("mysql-bin.000001", 4, ""), 0L, 42, 3.0,
        null, Instant.now(), null, 4_321);
  }
}
