package io.ferry.controlplane.api;

import io.ferry.controlplane.auth.Principal;
import io.ferry.controlplane.history.JobHistory;
import io.ferry.controlplane.history.Sample;
import io.ferry.controlplane.store.JobEventStore;
import io.ferry.controlplane.store.JobStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a job did lately, for the dashboard's job page: {@code /history}, the last hour of its figures in
 * buckets (from {@link JobHistory}, in memory), and {@code /events}, its scheduler events and audit rows.
 * Both read-only, for every role, of the caller's tenant's jobs only.
 */
final class JobActivityRoutes {
  private static final int DEFAULT_EVENTS = 100;
  private static final int MAX_EVENTS = 500;

  private final Pool pool;
  private final JobStore jobs;
  private final JobEventStore events;
  private final JobHistory history;

  JobActivityRoutes(Pool pool, JobHistory history) {
    this.pool = pool;
    this.jobs = new JobStore(pool);
    this.events = new JobEventStore(pool);
    this.history = history;
  }

  void register(Api api) {
    api.route(HttpMethod.GET, JobsRoutes.BASE + "/{id}/history", Api.ANY, this::history);
    api.route(HttpMethod.GET, JobsRoutes.BASE + "/{id}/events", Api.ANY, this::events);
  }

  private Future<?> history(RoutingContext ctx, Principal who) {
    long windowSeconds = history.window().toSeconds();
    Long seconds = AdminRoutes.queryLong(ctx, "seconds", history.interval().toSeconds(), windowSeconds);
    String id = ctx.pathParam("id");
    return JobsRoutes.visible(jobs, pool, who, id, false).map(Api.then(j -> {
      List<Sample> samples = history.samples(id, Duration.ofSeconds(seconds == null ? windowSeconds : seconds));
      JsonArray out = new JsonArray();
      for (Sample s : samples) {
        out.add(new JsonObject().put("at", Instant.ofEpochMilli(s.startMillis()).toString())
            .put("lagSeconds", s.lagSeconds()).put("rowsApplied", s.rowsApplied())
            .put("rowsPerSecond", s.rowsPerSecond()).put("eventsPerSecond", s.eventsPerSecond()));
      }
      Replies.json(ctx, 200, new JsonObject().put("id", id).put("intervalSeconds", history.interval().toSeconds())
          .put("windowSeconds", seconds == null ? windowSeconds : seconds).put("samples", out));
    }));
  }

  private Future<?> events(RoutingContext ctx, Principal who) {
    Long limit = AdminRoutes.queryLong(ctx, "limit", 1, MAX_EVENTS);
    String id = ctx.pathParam("id");
    return JobsRoutes.visible(jobs, pool, who, id, false)
        .compose(j -> events.list(id, limit == null ? DEFAULT_EVENTS : limit.intValue()))
        .map(Api.then(list -> Replies.json(ctx, 200, new JsonArray(List.copyOf(list)))));
  }
}
