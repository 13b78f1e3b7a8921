package io.ferry.controlplane.http;

import io.ferry.protocol.FerryVersion;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/**
 * {@code GET /health}: 200 {@code {"status":"UP","metadata":"UP","version":"…"}} when the node can serve, 503 with
 * the reason when the metadata database does not answer. Needs no token. The version is Ferry's build version (the
 * dashboard shows it); nothing else about the node is told to callers without a token.
 */
public final class HealthHandler implements Handler<RoutingContext> {
  private final Pool pool;

  public HealthHandler(Pool pool) {
    this.pool = pool;
  }

  @Override
  public void handle(RoutingContext ctx) {
    pool.query("SELECT 1").execute()
        .onSuccess(rows -> reply(ctx, 200, new JsonObject().put("status", "UP").put("metadata", "UP")
            .put("version", FerryVersion.get())))
        .onFailure(e -> reply(ctx, 503, new JsonObject().put("status", "DOWN").put("metadata", "DOWN")
            .put("version", FerryVersion.get())
            .put("reason", "the metadata database does not answer: " + firstLine(e.getMessage()))));
  }

  private static void reply(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
