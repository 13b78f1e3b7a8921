package io.ferry.app;

import io.ferry.app.node.Cluster;
import io.ferry.app.node.ControlPlaneNode;
import io.ferry.app.node.NodeSettings;
import io.ferry.controlplane.fleet.SchedulerSettings;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry control-plane}: the REST API, the scheduler and the metadata DB, on the clustered event bus. */
@Command(name = "control-plane", mixinStandardHelpOptions = true, usageHelpWidth = 120,
    description = {"Runs the control plane as a cluster member; workers started with 'ferry worker' join it.",
        "Needs the cluster credentials of 'ferry cluster init' in FERRY_CLUSTER_DIR (default $FERRY_DATA_DIR/cluster).",
        "Listens for cluster members on FERRY_CLUSTER_HOST:FERRY_CLUSTER_PORT (default 127.0.0.1:5701)."})
final class ControlPlaneCommand implements Callable<Integer> {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");

  @Option(names = "--config", description = "A YAML settings file; FERRY_* variables override it.")
  Path config;

  @Override
  public Integer call() throws Exception {
    NodeSettings settings = NodeSettings.load(config, System.getenv());
    CountDownLatch stop = new CountDownLatch(1);
    Signals.onTermination(stop::countDown);
    Vertx vertx = Cluster.join(Cluster.settings(settings));
    try (ControlPlaneNode controlPlane = ControlPlaneNode.start(vertx, settings, SchedulerSettings.DEFAULTS)) {
      CONSOLE.info("Ferry control plane is up: http://localhost:{}/ (metadata {})", controlPlane.httpPort(),
          controlPlane.metadata());
      if (controlPlane.generatedAdminToken() != null) {
        CONSOLE.info("Admin token (shown once; kept in {}): {}", settings.dataDir().resolve("admin.token"),
            controlPlane.generatedAdminToken());
      }
      stop.await();
      CONSOLE.info("Stopping...");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    return 0;
  }
}
