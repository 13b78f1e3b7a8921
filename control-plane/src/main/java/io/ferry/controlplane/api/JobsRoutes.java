package io.ferry.controlplane.api;

import io.ferry.controlplane.auth.Principal;
import io.ferry.controlplane.fleet.Fleet;
import io.ferry.controlplane.store.AuditStore;
import io.ferry.controlplane.store.ConnectionStore;
import io.ferry.controlplane.store.JobStore;
import io.ferry.controlplane.store.JobStore.Job;
import io.ferry.controlplane.store.Sql;
import io.ferry.controlplane.store.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /api/v1/jobs}: definitions and the operator's wish ({@code desired_state}), written as the
 * {@code fleet} package-info splits the table, each change followed by {@link Fleet#jobChanged}.
 */
public final class JobsRoutes {
  static final String BASE = "/api/v1/jobs";
  private static final Set<String> FIELDS;
  private static final List<String> STATES =
      List.of("CREATED", "STARTING", "SNAPSHOT", "RUNNING", "PAUSED", "ERROR", "STOPPED");

  static {
    Set<String> fields = new HashSet<>(JobSpecs.SPEC_FIELDS);
    fields.addAll(Set.of("name", "source", "destination", "autoStart", "tenant"));
    FIELDS = Set.copyOf(fields);
  }

  private final Pool pool;
  private final Fleet fleet;
  private final JobStore jobs;
  private final ConnectionStore connections;
  private final TenantStore tenants;
  private final AuditStore audit;
  private final JobTenants jobTenants;

  public JobsRoutes(Pool pool, Fleet fleet, JobTenants jobTenants) {
    this.pool = pool;
    this.fleet = fleet;
    this.jobs = new JobStore(pool);
    this.connections = new ConnectionStore(pool);
    this.tenants = new TenantStore(pool);
    this.audit = new AuditStore(pool);
    this.jobTenants = jobTenants;
  }

  public void register(Api api) {
    api.route(HttpMethod.GET, BASE, Api.ANY, this::list);
    api.route(HttpMethod.POST, BASE, Api.WRITE, this::create);
    api.route(HttpMethod.GET, BASE + "/{id}", Api.ANY, this::get);
    api.route(HttpMethod.DELETE, BASE + "/{id}", Api.WRITE, this::delete);
    for (String action : List.of("start", "pause", "resume", "stop")) {
      api.route(HttpMethod.POST, BASE + "/{id}/" + action, Api.WRITE, (ctx, who) -> change(ctx, who, action));
    }
  }

  private Future<?> list(RoutingContext ctx, Principal who) {
    String state = ctx.queryParams().get("state");
    if (state != null && !STATES.contains(state)) {
      throw new ApiException(400, "INVALID_PARAMETER", "state", "state: must be one of " + String.join(", ", STATES));
    }
    String tenant = who.isAdmin() ? ctx.queryParams().get("tenant") : who.tenantId();
    return jobs.list(tenant, state).map(Api.then(list -> {
      JsonArray out = new JsonArray();
      list.forEach(j -> out.add(JobView.of(j, fleet.job(j.id()))));
      Replies.json(ctx, 200, out);
    }));
  }

  private Future<?> get(RoutingContext ctx, Principal who) {
    return visible(pool, who, ctx.pathParam("id"), false)
        .map(Api.then(j -> Replies.json(ctx, 200, JobView.of(j, fleet.job(j.id())))));
  }

  private Future<?> create(RoutingContext ctx, Principal who) {
    Body body = Body.of(ctx, FIELDS);
    String tenant = Api.tenantFor(who, body.optString("tenant", 64));
    String name = body.string("name", 200);
    String source = body.string("source", 64);
    String destination = body.string("destination", 64);
    JsonObject spec = JobSpecs.spec(body);
    Boolean autoStart = body.optBool("autoStart");
    String desired = autoStart == null || autoStart ? "RUNNING" : "STOPPED";
    String id = Sql.newId("job");
    return tenants.exists(tenant).compose(exists -> {
      if (!exists) {
        throw ApiException.invalid("tenant", "no such tenant");
      }
      return pool.withTransaction(tx -> sameTenant(tx, "source", source, tenant)
          .compose(v -> sameTenant(tx, "destination", destination, tenant))
          .compose(v -> jobs.insert(tx, id, tenant, name, source, destination, spec, desired))
          .compose(v -> audit.record(tx, Audits.entry(ctx, who, tenant, "job.create", "job", id,
              new JsonObject().put("name", name).put("source", source).put("destination", destination)
                  .put("desiredState", desired).put("spec", spec)))));
    }).compose(v -> {
      jobTenants.put(id, tenant);
      fleet.jobChanged(id);
      return jobs.get(pool, id, false);
    }).map(Api.then(j -> Replies.json(ctx, 201, JobView.of(j, fleet.job(id)))));
  }

  private Future<?> change(RoutingContext ctx, Principal who, String action) {
    Body.none(ctx);
    String id = ctx.pathParam("id");
    return pool.withTransaction(tx -> visible(tx, who, id, true).compose(j -> {
      JobTransitions.Change change = JobTransitions.decide(action, j.state(), j.desiredState());
      return jobs.change(tx, id, change.desired(), change.state(), change.clearError())
          .compose(v -> audit.record(tx, Audits.entry(ctx, who, j.tenantId(), "job." + action, "job", id,
              new JsonObject().put("from", new JsonObject().put("state", j.state()).put("desiredState", j.desiredState()))
                  .put("desiredState", change.desired()))));
    })).compose(v -> {
      fleet.jobChanged(id);
      return jobs.get(pool, id, false);
    }).map(Api.then(j -> Replies.json(ctx, 200, JobView.of(j, fleet.job(id)))));
  }

  private Future<?> delete(RoutingContext ctx, Principal who) {
    String id = ctx.pathParam("id");
    return pool.withTransaction(tx -> visible(tx, who, id, true).compose(j -> {
      if (!JobTransitions.deletable(j.state(), j.desiredState())) {
        throw ApiException.conflict("INVALID_STATE", "job " + id + " is " + j.state() + " (desired " + j.desiredState()
            + "); stop it and wait for STOPPED before deleting").with("state", j.state())
            .with("desiredState", j.desiredState());
      }
      return jobs.delete(tx, id).compose(v -> audit.record(tx, Audits.entry(ctx, who, j.tenantId(), "job.delete", "job",
          id, new JsonObject().put("name", j.name()))));
    })).map(Api.then(v -> {
      fleet.jobChanged(id);
      Replies.noContent(ctx);
    }));
  }

  private Future<Job> visible(SqlClient client, Principal who, String id, boolean forUpdate) {
    return visible(jobs, client, who, id, forUpdate);
  }

  /** The job, when it exists and {@code who} may see it; another tenant's job is a 404 like a missing one. */
  static Future<Job> visible(JobStore jobs, SqlClient client, Principal who, String id, boolean forUpdate) {
    if (!Validation.plausibleId(id)) {
      return Future.failedFuture(ApiException.notFound("job", id));
    }
    return jobs.get(client, id, forUpdate).map(j -> {
      if (j == null || !who.sees(j.tenantId())) {
        throw ApiException.notFound("job", id);
      }
      return j;
    });
  }

  /** Another tenant's connection is reported exactly like a missing one. */
  private Future<Void> sameTenant(SqlClient tx, String field, String connectionId, String tenant) {
    if (!Validation.plausibleId(connectionId)) {
      return Future.failedFuture(ApiException.invalid(field, "no such connection"));
    }
    return connections.get(tx, connectionId).map(c -> {
      if (c == null || !c.tenantId().equals(tenant)) {
        throw ApiException.invalid(field, "no such connection");
      }
      return null;
    });
  }
}
