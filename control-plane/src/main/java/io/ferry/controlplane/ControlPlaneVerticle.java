package io.ferry.controlplane;

import io.ferry.controlplane.api.Api;
import io.ferry.controlplane.api.ApiRoutes;
import io.ferry.controlplane.api.JobTenants;
import io.ferry.controlplane.fleet.Fleet;
import io.ferry.controlplane.secrets.PasswordHasher;
import io.ferry.controlplane.secrets.SecretBox;
import io.ferry.controlplane.store.JobStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.sqlclient.Pool;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's HTTP front: {@code /health}, {@code /metrics} and the REST API of
 * {@code /api/v1} (see the OpenAPI document at {@code /api/v1/openapi.yaml}) over the metadata
 * database, with the live fleet view of {@link Fleet}. Call {@code auth.Bootstrap.ensure} before
 * deploying so an admin token exists. Listens on {@code settings.port()} (0 = a free port, see
 * {@link #actualPort()}).
 */
public final class ControlPlaneVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneVerticle.class);

  private final Pool pool;
  private final Fleet fleet;
  private final SecretBox secrets;
  private final PasswordHasher hasher;
  private final ControlPlaneSettings settings;
  private HttpServer server;
  private Api api;
  /** The ports of this control plane (its HTTP port, the cluster's): connections may not name them. */
  private final Set<Integer> ownPorts = ConcurrentHashMap.newKeySet();

  public ControlPlaneVerticle(Pool pool, Fleet fleet, SecretBox secrets, PasswordHasher hasher,
      ControlPlaneSettings settings) {
    this.pool = pool;
    this.fleet = fleet;
    this.secrets = secrets;
    this.hasher = hasher;
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    JobTenants jobTenants = new JobTenants(new JobStore(pool), fleet);
    api = ApiRoutes.create(vertx, pool, fleet, secrets, hasher, settings, jobTenants, ownPorts);
    // a metadata database that is down at start only delays the tenant cache; the API answers 503 meanwhile
    jobTenants.load().onFailure(e -> LOG.warn("job tenants not loaded yet: {}", e.getClass().getSimpleName()));
    return vertx.createHttpServer().requestHandler(api.router()).listen(settings.port())
        .onSuccess(s -> {
          server = s;
          ownPorts.add(s.actualPort());
          LOG.info("control plane listening on port {}", s.actualPort());
        });
  }

  @Override
  public Future<?> stop() {
    if (api != null) {
      api.close();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** Other ports this process listens on (the cluster's), which no connection may name either. */
  public void reservePorts(int... ports) {
    for (int p : ports) {
      if (p > 0) {
        ownPorts.add(p);
      }
    }
  }

  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }
}
