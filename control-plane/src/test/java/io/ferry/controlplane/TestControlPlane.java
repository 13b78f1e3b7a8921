package io.ferry.controlplane;

import io.ferry.protocol.FileTrees;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.controlplane.auth.Bootstrap;
import io.ferry.controlplane.secrets.PasswordHasher;
import io.ferry.controlplane.secrets.SecretBox;
import io.ferry.controlplane.store.MetadataDatabase;
import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import io.ferry.mariadb.check.SecretLedger;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A control plane on a real MariaDB metadata database, with a fake fleet, for the integration tests:
 * started once per test class. Holds the bootstrap admin token and small HTTP helpers.
 */
public final class TestControlPlane implements AutoCloseable {
  public final MariaDbServer metadata;
  public final Vertx vertx;
  public final Pool pool;
  public final FakeFleet fleet = new FakeFleet();
  public final SecretBox secrets;
  public final Path dataDir;
  public final String adminToken;
  public final int port;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public record Response(int status, String body, java.net.http.HttpHeaders headers) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public io.vertx.core.json.JsonArray array() {
      return new io.vertx.core.json.JsonArray(body);
    }

    /** The error code of an error answer. */
    public String code() {
      return json().getJsonObject("error").getString("code");
    }
  }

  public TestControlPlane() throws Exception {
    this(ControlPlaneSettings.defaults());
  }

  public TestControlPlane(ControlPlaneSettings settings) throws Exception {
    metadata = MariaDbServer.start(MariaDbConfig.builder().role(MariaDbConfig.Role.PLAIN).build());
    metadata.execute("CREATE DATABASE ferry_meta");
    vertx = Vertx.vertx();
    dataDir = Files.createTempDirectory("ferry-cp-test");
    pool = await(MetadataDatabase.of(metadata.jdbcUrl("ferry_meta"), metadata.adminUser(), metadata.adminPassword())
        .open(vertx, 8));
    secrets = SecretBox.fromKeyFile(dataDir.resolve("secret.key"));
    adminToken = await(Bootstrap.ensure(vertx, pool, dataDir, null));
    SecretLedger.record(adminToken);
    ControlPlaneVerticle verticle = new ControlPlaneVerticle(pool, fleet, secrets, new PasswordHasher(1024, 1, 1),
        settings.withPort(0));
    await(vertx.deployVerticle(verticle));
    port = verticle.actualPort();
  }

  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  public Response call(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null && !token.isEmpty()) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body(), r.headers());
  }

  public Response get(String path, String token) throws Exception {
    return call("GET", path, token, null);
  }

  public Response post(String path, String token, Object body) throws Exception {
    return call("POST", path, token, body == null ? null : body.toString());
  }

  /** A call that must answer {@code status}; returns the body as JSON (or null for an empty body). */
  public JsonObject expect(int status, String method, String path, String token, Object body) throws Exception {
    Response r = call(method, path, token, body == null ? null : body.toString());
    assertThat(r.status()).as(method + " " + path + " -> " + r.body()).isEqualTo(status);
    return r.body().isEmpty() || r.body().startsWith("[") ? null : r.json();
  }

  public void tenant(String name) throws Exception {
    expect(201, "POST", "/api/v1/tenants", adminToken, new JsonObject().put("name", name));
  }

  /** A new API token of {@code role} in {@code tenant} (null for admin). */
  public String token(String role, String tenant) throws Exception {
    JsonObject body = new JsonObject().put("name", role + "-" + tenant).put("role", role);
    if (tenant != null) {
      body.put("tenant", tenant);
    }
    String token = expect(201, "POST", "/api/v1/tokens", adminToken, body).getString("token");
    SecretLedger.record(token);
    return token;
  }

  public JsonObject connectionBody(String name, String password) {
    SecretLedger.record(password);
    return new JsonObject().put("name", name).put("host", "127.0.0.1").put("port", 3306).put("user", "repl")
        .put("password", password).put("tls", "disabled");
  }

  public JsonObject jobBody(String name, String source, String destination) {
    return new JsonObject().put("name", name).put("source", source).put("destination", destination)
        .put("tables", new JsonObject().put("include", new io.vertx.core.json.JsonArray().add("shop.*")));
  }

  public long count(String table) {
    return Long.parseLong(metadata.queryString("SELECT COUNT(*) FROM ferry_meta." + table));
  }

  @Override
  public void close() throws Exception {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      metadata.close();
    } finally {
      FileTrees.delete(dataDir); // the secret key and the admin token
    }
  }
}
