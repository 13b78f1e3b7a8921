package io.ferry.controlplane.api;

import io.ferry.controlplane.auth.Principal;
import io.ferry.controlplane.fleet.Verifications;
import io.ferry.controlplane.store.AuditStore;
import io.ferry.controlplane.store.JobStore;
import io.ferry.controlplane.store.Sql;
import io.ferry.controlplane.store.VerifyStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code /api/v1/jobs/{id}/verify}: POST asks the job's owner to compare its tables (202, the verify
 * runs on) and GET returns the latest report, {@code running} until the worker's result arrives.
 */
final class VerifyRoutes {
  /** A verify still "running" after this long lost its worker; a new one may start. */
  private static final Duration ABANDONED = Duration.ofMinutes(30);

  private final Pool pool;
  private final JobStore jobs;
  private final VerifyStore reports;
  private final AuditStore audit;
  private final Verifications verifications;

  VerifyRoutes(Pool pool, Verifications verifications) {
    this.pool = pool;
    this.jobs = new JobStore(pool);
    this.reports = new VerifyStore(pool);
    this.audit = new AuditStore(pool);
    this.verifications = verifications;
  }

  void register(Api api) {
    api.route(HttpMethod.POST, JobsRoutes.BASE + "/{id}/verify", Api.WRITE, this::start);
    api.route(HttpMethod.GET, JobsRoutes.BASE + "/{id}/verify", Api.ANY, this::latest);
  }

  private Future<?> start(RoutingContext ctx, Principal who) {
    Body.none(ctx);
    String id = ctx.pathParam("id");
    long[] verifyId = new long[1];
    JobStore.Job[] job = new JobStore.Job[1];
    return pool.withTransaction(tx -> JobsRoutes.visible(jobs, tx, who, id, true).compose(j -> {
      job[0] = j;
      if (!"RUNNING".equals(j.state()) || j.workerId() == null) {
        throw ApiException.conflict("INVALID_STATE", "verify compares a RUNNING job; job " + id + " is " + j.state())
            .with("state", j.state());
      }
      return reports.latest(tx, id);
    }).compose(last -> {
      if (last != null && "running".equals(last.state())
          && last.startedAt().isAfter(Instant.now().minus(ABANDONED))) {
        throw ApiException.conflict("VERIFY_RUNNING", "a verify of job " + id + " is running (started "
            + Sql.text(last.startedAt()) + ")");
      }
      return reports.start(tx, id);
    }).compose(vid -> {
      verifyId[0] = vid;
      return audit.record(tx, Audits.entry(ctx, who, job[0].tenantId(), "job.verify", "job", id,
          new JsonObject().put("verify", vid)));
    })).compose(v -> verifications.request(job[0].workerId(), job[0].epoch(), id, verifyId[0]).recover(e ->
        verifications.failed(verifyId[0], id, "VERIFY_NOT_STARTED", "worker " + job[0].workerId()
            + " did not take the verify: " + e.getMessage()).mapEmpty()))
        .compose(v -> reports.latest(pool, id))
        .map(Api.then(r -> Replies.json(ctx, 202, view(r))));
  }

  private Future<?> latest(RoutingContext ctx, Principal who) {
    String id = ctx.pathParam("id");
    return JobsRoutes.visible(jobs, pool, who, id, false).compose(j -> reports.latest(pool, id))
        .map(Api.then(r -> Replies.json(ctx, 200, r == null ? new JsonObject().put("state", "none")
            .put("tables", new JsonArray()) : view(r))));
  }

  private static JsonObject view(VerifyStore.Report r) {
    JsonObject report = r.report() == null ? new JsonObject() : r.report();
    return new JsonObject()
        .put("id", String.valueOf(r.id()))
        .put("state", r.state())
        .put("tables", report.getJsonArray("tables", new JsonArray()))
        .put("error", report.getJsonObject("error"))
        .put("progress", "running".equals(r.state()) ? report.getJsonObject("progress") : null)
        .put("startedAt", Sql.text(r.startedAt()))
        .put("finishedAt", r.finishedAt() == null ? null : Sql.text(r.finishedAt()));
  }
}
