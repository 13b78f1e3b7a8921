package io.ferry.app.node;

import io.ferry.worker.node.WorkerVerticle;
import io.vertx.core.Vertx;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A worker in this process: deploys a {@link WorkerVerticle} that registers with the control plane. */
public final class WorkerNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerNode.class);

  private final Vertx vertx;
  private final WorkerVerticle verticle;
  private final String nodeId;

  private WorkerNode(Vertx vertx, WorkerVerticle verticle, String nodeId) {
    this.vertx = vertx;
    this.verticle = verticle;
    this.nodeId = nodeId;
  }

  public static WorkerNode start(Vertx vertx, String nodeId, String host, int capacity) throws Exception {
    WorkerVerticle verticle = new WorkerVerticle(nodeId, host, capacity, Clock.systemUTC());
    ControlPlaneNode.await(vertx.deployVerticle(verticle));
    LOG.info("worker {}: up (capacity {})", nodeId, capacity);
    return new WorkerNode(vertx, verticle, nodeId);
  }

  public String nodeId() {
    return nodeId;
  }

  /** Stops every job at a transaction boundary, then leaves. */
  @Override
  public void close() throws Exception {
    ControlPlaneNode.await(vertx.undeploy(verticle.deploymentID()));
  }
}
