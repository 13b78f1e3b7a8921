package io.ferry.app;

import io.ferry.app.node.Cluster;
import io.ferry.app.node.ControlPlaneNode;
import io.ferry.app.node.NodeSettings;
import io.ferry.controlplane.fleet.SchedulerSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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
    return Foreground.run(() -> Cluster.join(Cluster.settings(settings), settings), vertx -> {
      ControlPlaneNode controlPlane = ControlPlaneNode.start(vertx, settings, SchedulerSettings.DEFAULTS);
      CONSOLE.info("Ferry control plane is up: http://localhost:{}/ (metadata {})", controlPlane.httpPort(),
          controlPlane.metadata());
      Foreground.showGeneratedToken(controlPlane, settings);
      return controlPlane;
    });
  }
}
