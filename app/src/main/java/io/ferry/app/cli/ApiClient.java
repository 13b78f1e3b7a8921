package io.ferry.app.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The control plane's REST API as the command line uses it: one call, a JSON answer, and a
 * {@link CliException} with the API's own code and message (and an exit code) for anything else.
 */
public final class ApiClient {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  public ApiClient(String base, String token) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
  }

  /** The parsed answer (an object or an array), or null for an empty one. */
  public Object call(String method, String path, JsonObject body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token).header("Accept", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CliException(CliException.UNREACHABLE, "the control plane at " + base + " does not answer ("
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); set --url or"
          + " FERRY_URL");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(CliException.UNREACHABLE, "interrupted");
    }
    Object parsed = parse(r.body());
    if (r.statusCode() >= 200 && r.statusCode() < 300) {
      return parsed;
    }
    String code = "HTTP_" + r.statusCode();
    String message = r.body();
    if (parsed instanceof JsonObject o && o.getJsonObject("error") != null) {
      code = o.getJsonObject("error").getString("code", code);
      message = o.getJsonObject("error").getString("message", message);
    }
    throw new CliException(CliException.API_ERROR, method + " " + path + ": " + r.statusCode() + " " + code + ": "
        + message);
  }

  private static Object parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      String t = body.trim();
      return t.startsWith("[") ? new io.vertx.core.json.JsonArray(t) : new JsonObject(t);
    } catch (DecodeException e) {
      return body;
    }
  }
}
