package io.ferry.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control plane migrates its metadata database at start and reports health from it, 503 while it
 * is down; API routes answer 503 METADATA_UNAVAILABLE meanwhile and recover after.
 */
class ControlPlaneIT {
  private TestControlPlane cp;

  @BeforeEach
  void start() throws Exception {
    cp = new TestControlPlane();
  }

  @AfterEach
  void stop() throws Exception {
    cp.close();
  }

  @Test
  void healthIsUpWithTheMetadataDatabaseAndDownWithoutIt() throws Exception {
    TestControlPlane.Response up = cp.get("/health", null);
    assertThat(up.status()).isEqualTo(200);
    assertThat(new JsonObject(up.body()).getString("status")).isEqualTo("UP");
    assertThat(new JsonObject(up.body()).getString("version")).as("the build's version")
        .matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(cp.metadata.queryString("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'ferry_meta'"
        + " AND TABLE_NAME = 'jobs'")).isEqualTo("1");

    cp.metadata.kill();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      TestControlPlane.Response down = cp.get("/health", null);
      assertThat(down.status()).isEqualTo(503);
      assertThat(new JsonObject(down.body()).getString("reason")).contains("metadata database");
    });
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      TestControlPlane.Response api = cp.get("/api/v1/jobs", cp.adminToken);
      assertThat(api.status()).isEqualTo(503);
      assertThat(api.code()).isEqualTo("METADATA_UNAVAILABLE");
      assertThat(api.body()).doesNotContain("Exception");
    });

    cp.metadata.restart();
    await().atMost(Duration.ofSeconds(30)).until(() -> cp.get("/health", null).status() == 200);
    await().atMost(Duration.ofSeconds(30)).until(() -> cp.get("/api/v1/jobs", cp.adminToken).status() == 200);
  }
}
