package io.ferry.controlplane;

import io.ferry.controlplane.http.HealthHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/**
 * The control plane's HTTP front: today {@code GET /health}; the REST API of docs/API, auth, tenants
 * and the scheduler come with the fleet. The pool comes in through the constructor; the verticle
 * listens on {@code port} (0 = any free port, see {@link #actualPort()}).
 */
public final class ControlPlaneVerticle extends VerticleBase {
  private final Pool pool;
  private final int port;
  private HttpServer server;

  public ControlPlaneVerticle(Pool pool, int port) {
    this.pool = pool;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/health").handler(new HealthHandler(pool));
    return vertx.createHttpServer().requestHandler(router).listen(port).onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }
}
