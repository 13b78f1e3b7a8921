package io.ferry.app;

import io.ferry.app.node.Cluster;
import io.ferry.app.node.NodeSettings;
import io.ferry.app.node.WorkerNode;
import io.ferry.cluster.ClusterSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry worker}: a node that runs the jobs the control plane assigns to it. */
@Command(name = "worker", mixinStandardHelpOptions = true, usageHelpWidth = 120,
    description = {"Runs a worker that joins the cluster (FERRY_CLUSTER_JOIN) and runs the jobs assigned to it.",
        "Start more workers to scale out. Stops its jobs at a transaction boundary on Ctrl+C or SIGTERM."})
final class WorkerCommand implements Callable<Integer> {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");

  @Option(names = "--config", description = "A YAML settings file; FERRY_* variables override it.")
  Path config;

  @Override
  public Integer call() throws Exception {
    NodeSettings settings = NodeSettings.load(config, System.getenv());
    ClusterSettings cluster = Cluster.settings(settings);
    return Foreground.run(() -> Cluster.join(cluster, settings), vertx -> {
      WorkerNode worker = WorkerNode.start(vertx, settings.nodeId("worker", cluster.port()), cluster.host(),
          settings.workerCapacity());
      CONSOLE.info("Ferry worker {} is up (capacity {})", worker.nodeId(), settings.workerCapacity());
      return worker;
    });
  }
}
