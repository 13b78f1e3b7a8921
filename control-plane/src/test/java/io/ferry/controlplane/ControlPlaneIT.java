package io.ferry.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.controlplane.store.MetadataDatabase;
import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The control plane migrates its metadata database at start and reports health from it, 503 while it is down. */
class ControlPlaneIT {
  private MariaDbServer metadata;
  private Vertx vertx;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    metadata = MariaDbServer.start(MariaDbConfig.builder().role(MariaDbConfig.Role.PLAIN).build());
    metadata.execute("CREATE DATABASE ferry_meta");
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    metadata.close();
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthIsUpWithTheMetadataDatabaseAndDownWithoutIt() throws Exception {
    MetadataDatabase db = MetadataDatabase.of(metadata.jdbcUrl("ferry_meta"), metadata.adminUser(),
        metadata.adminPassword());
    Pool pool = db.open(vertx, 4).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    ControlPlaneVerticle verticle = new ControlPlaneVerticle(pool, 0);
    vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    int port = verticle.actualPort();

    HttpResponse<String> up = get(port, "/health");
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(up.body()).getString("status")).isEqualTo("UP");
    assertThat(metadata.queryString("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'ferry_meta'"
        + " AND TABLE_NAME = 'jobs'")).isEqualTo("1");

    metadata.kill();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      HttpResponse<String> down = get(port, "/health");
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(down.body()).getString("reason")).contains("metadata database");
    });

    metadata.restart();
    await().atMost(Duration.ofSeconds(30)).until(() -> get(port, "/health").statusCode() == 200);
  }
}
