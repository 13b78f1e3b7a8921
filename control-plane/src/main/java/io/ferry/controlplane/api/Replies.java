package io.ferry.controlplane.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON answers and the one place failures become HTTP errors: an {@link ApiException} as it says, a
 * lost metadata database as 503 {@code METADATA_UNAVAILABLE}, anything else as a 500 whose body
 * never carries the exception's text (it is logged instead, and no code path puts a secret in one).
 */
public final class Replies {
  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  private Replies() {}

  public static void json(RoutingContext ctx, int status, Object body) {
    String text = body instanceof JsonObject o ? o.encode() : body instanceof JsonArray a ? a.encode() : String.valueOf(body);
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
        .putHeader("cache-control", "no-store").end(text);
  }

  public static void noContent(RoutingContext ctx) {
    ctx.response().setStatusCode(204).end();
  }

  public static JsonObject error(String code, String message, String field) {
    JsonObject error = new JsonObject().put("code", code).put("message", message);
    if (field != null) {
      error.put("field", field);
    }
    return new JsonObject().put("error", error);
  }

  public static void fail(RoutingContext ctx, Throwable failure) {
    if (ctx.response().ended()) {
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ApiException e = classify(failure);
    if (e.status() >= 500 && !"METADATA_UNAVAILABLE".equals(e.code())) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.normalizedPath(), failure);
    } else if ("METADATA_UNAVAILABLE".equals(e.code())) {
      LOG.warn("{} {}: the metadata database does not answer ({})", ctx.request().method(), ctx.normalizedPath(),
          failure.getClass().getSimpleName());
    }
    JsonObject body = error(e.code(), e.getMessage(), e.field());
    e.extra().forEach((k, v) -> body.getJsonObject("error").put(k, v));
    json(ctx, e.status(), body);
  }

  /** The failure handler of every route, and the error handler of the statuses the router itself sets. */
  public static void failureHandler(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure != null) {
      fail(ctx, failure);
      return;
    }
    int status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
    ApiException e = switch (status) {
      case 400 -> new ApiException(400, "BAD_REQUEST", "the request is malformed");
      case 401 -> new ApiException(401, "UNAUTHORIZED", "a valid bearer token is required");
      case 403 -> ApiException.forbidden("not allowed");
      case 404 -> new ApiException(404, "NOT_FOUND", "no such route");
      case 405 -> new ApiException(405, "METHOD_NOT_ALLOWED", "this route does not take " + ctx.request().method());
      case 413 -> new ApiException(413, "BODY_TOO_LARGE", "the request body is larger than the limit");
      case 415 -> new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "send application/json");
      default -> new ApiException(status, status >= 500 ? "INTERNAL" : "BAD_REQUEST",
          status >= 500 ? "internal error" : "the request cannot be served");
    };
    fail(ctx, e);
  }

  static ApiException classify(Throwable failure) {
    if (failure instanceof ApiException e) {
      return e;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApiException e) {
        return e;
      }
      if (t instanceof SQLIntegrityConstraintViolationException sql && sql.getErrorCode() == 1062) {
        return new ApiException(409, "ALREADY_EXISTS", "an object with that name already exists");
      }
      if (t instanceof SQLIntegrityConstraintViolationException sql && sql.getErrorCode() == 1451) {
        return new ApiException(409, "IN_USE", "the object is still referenced by another one");
      }
      if (isUnavailable(t)) {
        return new ApiException(503, "METADATA_UNAVAILABLE", "the metadata database does not answer; retry shortly");
      }
    }
    return new ApiException(500, "INTERNAL", "internal error; the server log has the details");
  }

  private static boolean isUnavailable(Throwable t) {
    if (t instanceof SQLTransientConnectionException || t instanceof java.sql.SQLNonTransientConnectionException
        || t instanceof java.net.ConnectException || t instanceof TimeoutException) {
      return true;
    }
    if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
      return true;
    }
    String name = t.getClass().getName();
    return name.endsWith("CommunicationsException") || name.endsWith("ClosedConnectionException");
  }
}
