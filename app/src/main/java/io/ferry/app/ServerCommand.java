package io.ferry.app;

import io.ferry.app.node.ControlPlaneNode;
import io.ferry.app.node.NodeSettings;
import io.ferry.app.node.WorkerNode;
import io.ferry.controlplane.fleet.SchedulerSettings;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferry server}: the control plane and one worker in this process, on a local event bus — the
 * single-node fleet a newcomer starts with. More workers join a fleet started with
 * {@code ferry control-plane} instead.
 */
@Command(name = "server", mixinStandardHelpOptions = true, usageHelpWidth = 120,
    description = {"Runs the control plane (REST API, scheduler, metadata DB) and one worker in this process.",
        "The metadata DB is embedded under $FERRY_DATA_DIR/metadata unless FERRY_METADATA_URL is set.",
        "Stops cleanly on Ctrl+C or SIGTERM."})
final class ServerCommand implements Callable<Integer> {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");

  @Option(names = "--config", description = "A YAML settings file (keys such as httpPort, dataDir); FERRY_* variables override it.")
  Path config;

  @Override
  public Integer call() throws Exception {
    NodeSettings settings = NodeSettings.load(config, System.getenv());
    return Foreground.run(Vertx::vertx, vertx -> {
      ControlPlaneNode controlPlane = ControlPlaneNode.start(vertx, settings, SchedulerSettings.DEFAULTS);
      WorkerNode worker;
      try {
        worker = WorkerNode.start(vertx, settings.nodeId("server", controlPlane.httpPort()), "localhost",
            settings.workerCapacity());
      } catch (Exception | Error e) {
        controlPlane.close();
        throw e;
      }
      CONSOLE.info("Ferry is up: http://localhost:{}/ (worker {}, metadata {})", controlPlane.httpPort(),
          worker.nodeId(), controlPlane.metadata());
      Foreground.showGeneratedToken(controlPlane, settings);
      return () -> {
        try (controlPlane; worker) { // closes the worker first
          // nothing else to stop
        }
      };
    });
  }
}
