package io.ferry.app;

import io.ferry.app.node.ControlPlaneNode;
import io.ferry.app.node.NodeSettings;
import io.ferry.app.node.WorkerNode;
import io.ferry.controlplane.fleet.SchedulerSettings;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A control plane (embedded metadata DB, HTTP on a free port) and workers in this JVM on one event bus,
 * with the source/destination servers of a {@link FleetFixture}; closed in reverse order.
 */
final class InProcessFleet implements AutoCloseable {
  final FleetFixture fixture = new FleetFixture();
  final List<WorkerNode> workers = new ArrayList<>();
  final Vertx vertx = Vertx.vertx();
  final NodeSettings settings;
  final ControlPlaneNode controlPlane;

  InProcessFleet(Path dataDir) throws Exception {
    this(dataDir, Map.of());
  }

  /** With {@code env} added to the settings (e.g. {@code FERRY_METADATA_*} for an external metadata DB). */
  InProcessFleet(Path dataDir, Map<String, String> env) throws Exception {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.putAll(Map.of("FERRY_DATA_DIR", dataDir.toString(), "FERRY_HTTP_PORT", "0"));
    settings = NodeSettings.load(null, all);
    controlPlane = ControlPlaneNode.start(vertx, settings, SchedulerSettings.DEFAULTS);
  }

  WorkerNode worker(String nodeId, int capacity) throws Exception {
    WorkerNode w = WorkerNode.start(vertx, nodeId, "127.0.0.1", capacity);
    workers.add(w);
    return w;
  }

  /** The API as the bootstrap admin. */
  FleetApi api() {
    return new FleetApi(controlPlane.httpPort(), controlPlane.generatedAdminToken());
  }

  @Override
  public void close() throws Exception {
    for (WorkerNode w : workers) {
      w.close();
    }
    controlPlane.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    fixture.close();
  }
}
