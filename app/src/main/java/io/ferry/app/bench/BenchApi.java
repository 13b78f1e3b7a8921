package io.ferry.app.bench;

import io.ferry.protocol.FileTrees;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The REST calls of the fleet benchmark. */
final class BenchApi {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;
  private final String token;

  BenchApi(int port, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  static JsonObject connection(String name) {
    return new JsonObject().put("name", name).put("host", "127.0.0.1").put("port", 3306).put("user", "bench")
        .put("password", "bench-not-used").put("tls", "disabled");
  }

  static JsonObject job(String name, String source, String destination) {
    return new JsonObject().put("name", name).put("source", source).put("destination", destination)
        .put("tables", new JsonObject().put("include", new JsonArray().add("bench.*"))).put("start", "current");
  }

  private HttpResponse<String> send(String method, String path, JsonObject body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }

  private String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = send("GET", path, null);
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  String create(String path, JsonObject body) throws IOException, InterruptedException {
    HttpResponse<String> r = send("POST", path, body);
    if (r.statusCode() != 201) {
      throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body()).getString("id");
  }

  void awaitUp(int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        if (send("GET", "/api/v1/workers", null).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      pause();
    }
    throw new IllegalStateException("the control plane did not answer within " + seconds + " s");
  }

  void awaitRunning(int count, int seconds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (new JsonArray(get("/api/v1/jobs?state=RUNNING")).size() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("fewer than " + count + " jobs RUNNING after " + seconds + " s");
      }
      pause();
    }
  }

  /** Waits until none of {@code ids} is on {@code worker} and all of them are RUNNING. */
  void awaitMoved(List<String> ids, String worker, int seconds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (true) {
      Set<String> moved = new HashSet<>();
      for (Object o : new JsonArray(get("/api/v1/jobs?state=RUNNING"))) {
        JsonObject j = (JsonObject) o;
        if (j.getString("worker") != null && !worker.equals(j.getString("worker"))) {
          moved.add(j.getString("id"));
        }
      }
      if (moved.containsAll(ids)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the jobs of " + worker + " did not move within " + seconds + " s");
      }
      pause();
    }
  }

  List<String> jobsOf(String worker) throws IOException, InterruptedException {
    for (Object o : new JsonArray(get("/api/v1/workers"))) {
      JsonObject w = (JsonObject) o;
      if (worker.equals(w.getString("id"))) {
        return w.getJsonArray("jobs").stream().map(String::valueOf).toList();
      }
    }
    return List.of();
  }

  /** The control plane's {@code ferry_heartbeats_received_total}. */
  double heartbeats() throws IOException, InterruptedException {
    return get("/metrics").lines().filter(l -> l.startsWith("ferry_heartbeats_received_total "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim())).findFirst().orElse(Double.NaN);
  }

  private static void pause() throws InterruptedException {
    Thread.sleep(100);
  }

  static void deleteTree(Path dir) {
    FileTrees.deleteQuietly(dir); // a temporary directory left behind is harmless
  }
}
