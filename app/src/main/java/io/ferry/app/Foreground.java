package io.ferry.app;

import io.ferry.app.node.ControlPlaneNode;
import io.ferry.app.node.NodeSettings;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the node commands ({@code server}, {@code control-plane}, {@code worker}) run: SIGINT/SIGTERM
 * are caught first, the nodes start on their Vert.x, and a signal closes the nodes, then Vert.x (which
 * also leaves the cluster), before the command returns 0.
 */
final class Foreground {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");

  /** Starts what runs on {@code vertx}; closing the result stops it. */
  interface Nodes {
    AutoCloseable start(Vertx vertx) throws Exception;
  }

  private Foreground() {}

  static int run(Callable<Vertx> vertx, Nodes nodes) throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    Signals.onTermination(stop::countDown);
    Vertx v = vertx.call();
    try (AutoCloseable running = nodes.start(v)) {
      stop.await();
      CONSOLE.info("Stopping...");
    } finally {
      v.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    return 0;
  }

  /** Prints the bootstrap admin token when this start generated it (API.md: printed once). */
  static void showGeneratedToken(ControlPlaneNode controlPlane, NodeSettings settings) {
    if (controlPlane.generatedAdminToken() != null) {
      CONSOLE.info("Admin token (shown once; kept in {}): {}", settings.dataDir().resolve("admin.token"),
          controlPlane.generatedAdminToken());
    }
  }
}
