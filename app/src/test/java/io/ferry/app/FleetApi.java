package io.ferry.app;

import io.ferry.mariadb.MariaDbServer;
import io.ferry.mariadb.check.SecretLedger;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small client of the control plane's REST API for the fleet tests. */
final class FleetApi {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;
  private final String token;

  FleetApi(int port, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
    SecretLedger.record(token);
  }

  /** The status code and JSON body of a call; status -1 when the control plane does not answer. */
  record Reply(int status, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    JsonArray array() {
      return new JsonArray(body);
    }
  }

  Reply call(String method, String path, Object body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString()));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body());
    } catch (IOException e) {
      return new Reply(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(-1, e.toString());
    }
  }

  JsonObject ok(String method, String path, Object body) {
    Reply r = call(method, path, body);
    if (r.status() < 200 || r.status() > 299) {
      throw new AssertionError(method + " " + path + " answered " + r.status() + ": " + r.body());
    }
    return r.body().isBlank() ? new JsonObject() : r.json();
  }

  /** Creates a connection to {@code server} as its admin user; returns its id. */
  String connection(String name, MariaDbServer server) {
    return connection(name, server, server.adminUser(), server.adminPassword());
  }

  /** Creates a connection to {@code server} as {@code user}; returns its id. */
  String connection(String name, MariaDbServer server, String user, String password) {
    return ok("POST", "/api/v1/connections", new JsonObject().put("name", name).put("host", server.host())
        .put("port", server.port()).put("user", user).put("password", password).put("tls", "disabled"))
        .getString("id");
  }

  /** Creates a job {@code db.*} → {@code copy} starting at the source's current position; returns its id. */
  String job(String name, String source, String destination, String db, String copy) {
    return ok("POST", "/api/v1/jobs", new JsonObject().put("name", name).put("source", source)
        .put("destination", destination)
        .put("tables", new JsonObject().put("include", new JsonArray().add(db + ".*")))
        .put("databaseMap", new JsonObject().put(db, copy)).put("start", "current").put("ddl", "exec"))
        .getString("id");
  }

  JsonObject job(String id) {
    return ok("GET", "/api/v1/jobs/" + id, null);
  }

  JsonArray workers() {
    Reply r = call("GET", "/api/v1/workers", null);
    return r.status() == 200 ? r.array() : new JsonArray();
  }
}
