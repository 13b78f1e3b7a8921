package io.ferry.app.node;

import io.ferry.controlplane.ControlPlaneSettings;
import io.ferry.cluster.ClusterSettings;
import io.ferry.controlplane.ControlPlaneVerticle;
import io.ferry.controlplane.auth.Bootstrap;
import io.ferry.controlplane.secrets.PasswordHasher;
import io.ferry.controlplane.fleet.Scheduler;
import io.ferry.controlplane.fleet.SchedulerSettings;
import io.ferry.controlplane.secrets.SecretBox;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane of one process: opens the metadata database (migrating it), then deploys the
 * scheduler and the HTTP API on {@code vertx}. Blocking start; close undeploys and stops the embedded
 * metadata database.
 */
public final class ControlPlaneNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneNode.class);

  private final Vertx vertx;
  private final Metadata metadata;
  private final Pool pool;
  private final ControlPlaneVerticle http;
  private final Scheduler scheduler;

  private final String adminToken;

  private ControlPlaneNode(Vertx vertx, Metadata metadata, Pool pool, ControlPlaneVerticle http, Scheduler scheduler,
      String adminToken) {
    this.adminToken = adminToken;
    this.vertx = vertx;
    this.metadata = metadata;
    this.pool = pool;
    this.http = http;
    this.scheduler = scheduler;
  }

  public static ControlPlaneNode start(Vertx vertx, NodeSettings settings, SchedulerSettings timing) throws Exception {
    Metadata metadata = Metadata.open(settings);
    try {
      SecretBox secrets = SecretBox.fromKeyFile(settings.secretKeyFile());
      Pool pool = await(metadata.database().open(vertx, 8));
      Scheduler scheduler = new Scheduler(pool, secrets::open, timing, Clock.systemUTC());
      await(vertx.deployVerticle(scheduler));
      String envToken = settings.get("FERRY_ADMIN_TOKEN", null);
      boolean hadToken = envToken != null || Files.exists(settings.dataDir().resolve(Bootstrap.FILE));
      String token = await(Bootstrap.ensure(vertx, pool, settings.dataDir(), envToken));
      ControlPlaneVerticle http = new ControlPlaneVerticle(pool, scheduler, secrets, PasswordHasher.defaults(),
          ControlPlaneSettings.defaults().withPort(settings.httpPort()));
      if (vertx.isClustered()) {
        ClusterSettings cluster = Cluster.settings(settings);
        http.reservePorts(cluster.port(), cluster.eventBusPort());
      }
      await(vertx.deployVerticle(http));
      LOG.info("control plane: HTTP on port {}, metadata {}", http.actualPort(), metadata);
      return new ControlPlaneNode(vertx, metadata, pool, http, scheduler, hadToken ? null : token);
    } catch (Exception | Error e) {
      metadata.close();
      throw e;
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  public int httpPort() {
    return http.actualPort();
  }

  /**
   * The bootstrap admin token when this start generated it (to be printed once), else null: a token
   * from FERRY_ADMIN_TOKEN or from an earlier start is never shown again.
   */
  public String generatedAdminToken() {
    return adminToken;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  public Metadata metadata() {
    return metadata;
  }

  public Pool pool() {
    return pool;
  }

  @Override
  public void close() throws Exception {
    try {
      await(vertx.undeploy(http.deploymentID()).compose(v -> vertx.undeploy(scheduler.deploymentID()))
          .compose(v -> pool.close()));
    } finally {
      metadata.close();
    }
  }
}
