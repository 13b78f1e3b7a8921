package io.ferry.controlplane.api;

import io.ferry.controlplane.ControlPlaneSettings;
import io.ferry.controlplane.auth.TokenAuth;
import io.ferry.controlplane.auth.TokenStore;
import io.ferry.controlplane.fleet.Fleet;
import io.ferry.controlplane.history.JobHistory;
import io.ferry.controlplane.history.SampleStore;
import io.ferry.controlplane.web.Dashboard;
import io.ferry.controlplane.http.HealthHandler;
import io.ferry.controlplane.secrets.PasswordHasher;
import io.ferry.controlplane.secrets.SecretBox;
import io.ferry.controlplane.fleet.Verifications;
import io.ferry.controlplane.store.JobStore;
import io.ferry.controlplane.store.VerifyStore;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.util.Set;

/**
 * Every route of the control plane on one router: the public contract of API.md and the OpenAPI document,
 * and the dashboard's files at {@code /}.
 */
public final class ApiRoutes {
  public static final String OPENAPI_RESOURCE = "openapi/ferry.yaml";
  private static final long HISTORY_SWEEP_MILLIS = 60_000;

  private ApiRoutes() {}

  /**
   * The routes; {@link JobTenants#load()} should be called once the pool answers. {@code ownPorts} are the
   * ports this control plane listens on (filled in as its listeners start), which no connection may name.
   */
  public static Api create(Vertx vertx, Pool pool, Fleet fleet, SecretBox secrets, PasswordHasher hasher,
      ControlPlaneSettings settings, JobTenants jobTenants, Set<Integer> ownPorts) {
    Router router = Router.router(vertx);
    Dashboard.securityHeaders(router);
    Api api = new Api(router, new TokenAuth(new TokenStore(pool)), settings.bodyLimitBytes());
    JobFeed feed = new JobFeed(vertx, pool, fleet);
    feed.start();
    api.onClose(feed::close);
    JobHistory history = JobHistory.persisted(fleet, settings.clock(), new SampleStore(pool));
    long sweeper = vertx.setPeriodic(HISTORY_SWEEP_MILLIS, t -> history.sweep());
    long flusher = vertx.setPeriodic(history.interval().toMillis(), t -> history.flush());
    api.onClose(() -> {
      vertx.cancelTimer(sweeper);
      vertx.cancelTimer(flusher);
      history.close();
    });
    api.open(HttpMethod.GET, "/health", new HealthHandler(pool));
    api.open(HttpMethod.GET, "/api/v1/openapi.yaml", openApi(vertx));
    new MetricsRoutes(fleet, new JobStore(pool), settings.clock()).register(api);
    new SessionsRoutes(vertx, pool, hasher, settings.sessionTtl()).register(api);
    new ConnectionsRoutes(vertx, pool, secrets, ownPorts).register(api);
    new JobsRoutes(pool, feed.notifying(fleet, jobTenants), jobTenants).register(api);
    new JobActivityRoutes(pool, history).register(api);
    Verifications verifications = new Verifications(vertx, new VerifyStore(pool));
    verifications.start();
    new VerifyRoutes(pool, verifications).register(api);
    new FleetRoutes(vertx, pool, fleet, jobTenants, settings.eventsKeepAlive(), feed).register(api);
    new AdminRoutes(vertx, pool, hasher).register(api);
    Dashboard.assets(router);
    return api;
  }

  /** The document describes routes, never data, so it needs no token. */
  private static io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> openApi(Vertx vertx) {
    Buffer[] cached = new Buffer[1];
    return ctx -> {
      if (cached[0] != null) {
        ctx.response().putHeader("content-type", "application/yaml; charset=utf-8").end(cached[0]);
        return;
      }
      vertx.fileSystem().readFile(OPENAPI_RESOURCE).map(Api.then(b -> {
        cached[0] = b;
        ctx.response().putHeader("content-type", "application/yaml; charset=utf-8").end(b);
      })).onFailure(e -> Replies.fail(ctx, e));
    };
  }
}
