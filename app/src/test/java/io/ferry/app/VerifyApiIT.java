package io.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verify through the API, end to end: a job created with the default start (the initial copy) runs on
 * a worker; {@code POST /verify} answers 202 at once, and the report the worker sends back says
 * "match"; a row changed behind Ferry's back on the destination makes the next report "mismatch",
 * naming its key; a job that is not running gets 409.
 */
class VerifyApiIT {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @AutoClose
  private PairFleet fleet;

  @Test
  void verifyRunsOnTheJobsWorkerAndReportsMatchAndMismatch() throws Exception {
    fleet = PairFleet.start(dir, "w1", 4);
    FleetApi api = fleet.api;
    fleet.source.execute("CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT PRIMARY KEY, qty INT, note VARCHAR(20))",
        "INSERT INTO shop.orders SELECT seq, seq % 7, CONCAT('n', seq) FROM shop.seq_1_to_3000");
    PairFleet.Connections connections = fleet.connections("src", "dst");
    String job = api.ok("POST", "/api/v1/jobs", new JsonObject().put("name", "shop").put("source", connections.source())
        .put("destination", connections.destination()).put("tables", new JsonObject().put("include", new JsonArray().add("shop.*")))
        .put("databaseMap", new JsonObject().put("shop", "shop_copy"))).getString("id");
    Awaitility.await("the job copies and runs").atMost(Duration.ofSeconds(90))
        .until(() -> "RUNNING".equals(api.job(job).getString("state")));
    assertThat(api.ok("GET", "/api/v1/jobs/" + job + "/verify", null).getString("state")).isEqualTo("none");

    JsonObject match = verify(api, job);
    assertThat(match.getString("state")).as("%s", match).isEqualTo("match");
    assertThat(match.getJsonArray("tables")).hasSize(1);
    assertThat(match.getJsonArray("tables").getJsonObject(0).getLong("rowsChecked")).isEqualTo(3000);

    fleet.destination.execute("UPDATE shop_copy.orders SET qty = 99 WHERE id = 1234");
    JsonObject mismatch = verify(api, job);
    assertThat(mismatch.getString("state")).as("%s", mismatch).isEqualTo("mismatch");
    JsonObject orders = mismatch.getJsonArray("tables").getJsonObject(0);
    assertThat(orders.getString("table")).isEqualTo("shop.orders");
    assertThat(orders.getBoolean("match")).isFalse();
    assertThat(orders.getJsonArray("mismatches").getList()).isEqualTo(List.of("id=1234"));

    api.ok("POST", "/api/v1/jobs/" + job + "/pause", null);
    Awaitility.await("the job pauses").atMost(Duration.ofSeconds(30))
        .until(() -> "PAUSED".equals(api.job(job).getString("state")));
    FleetApi.Reply paused = api.call("POST", "/api/v1/jobs/" + job + "/verify", null);
    assertThat(paused.status()).isEqualTo(409);
    assertThat(paused.json().getJsonObject("error").getString("code")).isEqualTo("INVALID_STATE");
  }

  /** Starts a verify and waits for its report. */
  private static JsonObject verify(FleetApi api, String job) {
    JsonObject started = api.ok("POST", "/api/v1/jobs/" + job + "/verify", null);
    assertThat(started.getString("state")).as("%s", started).isEqualTo("running");
    String id = started.getString("id");
    JsonObject[] report = new JsonObject[1];
    Awaitility.await("verify " + id + " ends").atMost(Duration.ofSeconds(120)).until(() -> {
      report[0] = api.ok("GET", "/api/v1/jobs/" + job + "/verify", null);
      return id.equals(report[0].getString("id")) && !"running".equals(report[0].getString("state"));
    });
    return report[0];
  }
}
