package io.ferry.controlplane.api;

import io.ferry.controlplane.auth.Principal;
import io.ferry.controlplane.fleet.Fleet;
import io.ferry.controlplane.fleet.FleetEvent;
import io.ferry.controlplane.fleet.WorkerLive;
import io.ferry.controlplane.store.AuditStore;
import io.ferry.controlplane.store.Sql;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.NoSuchElementException;

/**
 * The fleet as the API shows it: workers (a non-admin sees only its own tenant's job ids on them),
 * draining (admin), and the live stream as server-sent events, filtered by tenant the same way: the
 * heartbeats' figures ({@code event: job}, {@code event: worker}) and the jobs' row changes of
 * {@link JobFeed} ({@code event: job} in the full shape of {@code GET /api/v1/jobs/{id}}, and
 * {@code event: job-removed}).
 */
public final class FleetRoutes {
  private final Vertx vertx;
  private final Pool pool;
  private final Fleet fleet;
  private final JobTenants jobTenants;
  private final AuditStore audit;
  private final Duration keepAlive;
  private final JobFeed feed;

  FleetRoutes(Vertx vertx, Pool pool, Fleet fleet, JobTenants jobTenants, Duration keepAlive, JobFeed feed) {
    this.vertx = vertx;
    this.feed = feed;
    this.pool = pool;
    this.fleet = fleet;
    this.jobTenants = jobTenants;
    this.audit = new AuditStore(pool);
    this.keepAlive = keepAlive;
  }

  public void register(Api api) {
    api.route(HttpMethod.GET, "/api/v1/workers", Api.ANY, this::workers);
    api.route(HttpMethod.POST, "/api/v1/workers/{id}/drain", Api.ADMIN, this::drain);
    api.route(HttpMethod.GET, "/api/v1/events", Api.ANY, this::events);
  }

  private Future<?> workers(RoutingContext ctx, Principal who) {
    JsonArray out = new JsonArray();
    fleet.workers().forEach(w -> out.add(worker(w, who)));
    Replies.json(ctx, 200, out);
    return Future.succeededFuture();
  }

  private Future<?> drain(RoutingContext ctx, Principal who) {
    Body.none(ctx);
    String id = ctx.pathParam("id");
    if (!Validation.plausibleId(id)) {
      throw ApiException.notFound("worker", id);
    }
    return fleet.drain(id)
        .recover(e -> Future.failedFuture(e instanceof NoSuchElementException ? ApiException.notFound("worker", id) : e))
        .compose(v -> audit.record(pool, Audits.entry(ctx, who, null, "worker.drain", "worker", id, null)))
        .map(Api.then(v -> Replies.json(ctx, 202, new JsonObject().put("id", id).put("state", "DRAINING"))));
  }

  /**
   * {@code text/event-stream}: {@code event: job} and {@code event: worker} with JSON data. The fleet
   * calls back on the scheduler's event loop, so each write is moved onto this request's context. A
   * client that does not keep up is disconnected (it reconnects and reloads) rather than buffered for.
   */
  private Future<?> events(RoutingContext ctx, Principal who) {
    Context context = vertx.getOrCreateContext();
    HttpServerResponse response = ctx.response();
    response.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-store").putHeader("x-accel-buffering", "no");
    response.write(": ferry events\n\n");
    Runnable unsubscribe = fleet.subscribe(event -> {
      String frame = frame(event, who);
      if (frame != null) {
        context.runOnContext(v -> send(response, frame));
      }
    });
    Runnable unsubscribeFeed = feed.subscribe(change -> {
      if (who.sees(change.tenant())) {
        String frame = "event: " + change.kind() + "\ndata: " + change.data().encode() + "\n\n";
        context.runOnContext(v -> send(response, frame));
      }
    });
    long timer = vertx.setPeriodic(keepAlive.toMillis(), t -> send(response, ": keep-alive\n\n"));
    response.closeHandler(v -> {
      unsubscribe.run();
      unsubscribeFeed.run();
      vertx.cancelTimer(timer);
    });
    return Future.succeededFuture();
  }

  private static void send(HttpServerResponse response, String frame) {
    if (response.closed() || response.ended()) {
      return;
    }
    if (response.writeQueueFull()) {
      response.reset();
      return;
    }
    response.write(frame);
  }

  /** The SSE frame of an event as this caller may see it, or null when it is not theirs. */
  String frame(FleetEvent event, Principal who) {
    if (event.job() != null) {
      String tenant = event.job().tenantId() != null ? event.job().tenantId() : jobTenants.of(event.job().jobId());
      if (!who.isAdmin() && !who.tenantId().equals(tenant)) {
        return null;
      }
      return "event: job\ndata: " + JobView.live(event.job()).encode() + "\n\n";
    }
    if (event.worker() != null) {
      return "event: worker\ndata: " + worker(event.worker(), who).encode() + "\n\n";
    }
    return null;
  }

  private JsonObject worker(WorkerLive w, Principal who) {
    return new JsonObject()
        .put("id", w.id())
        .put("host", w.host())
        .put("state", w.state().name())
        .put("capacity", w.capacity())
        .put("jobs", new JsonArray(who.isAdmin() ? w.jobs() : jobTenants.ofTenant(w.jobs(), who.tenantId())))
        .put("startedAt", Sql.text(w.startedAt()))
        .put("lastHeartbeat", Sql.text(w.lastHeartbeat()));
  }
}
