package io.ferry.app;

import io.ferry.app.node.ControlPlaneNode;
import io.ferry.mariadb.MariaDbServer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The set-up the single-pair fleet tests share: an {@link InProcessFleet} with one source/destination pair,
 * the API as the bootstrap admin, and what the test opens besides (a load, a browser), all closed by one
 * {@link #close()}: those in reverse order of opening, then the fleet. Hold it in an {@code @AutoClose} field.
 */
final class PairFleet implements AutoCloseable {
  /** The ids of the connections to the pair's source and destination. */
  record Connections(String source, String destination) {}

  final InProcessFleet fleet;
  final ControlPlaneNode controlPlane;
  final FleetFixture fixture;
  final FleetApi api;
  final MariaDbServer source;
  final MariaDbServer destination;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  private PairFleet(InProcessFleet fleet) {
    this.fleet = fleet;
    resources.push(fleet);
    this.controlPlane = fleet.controlPlane;
    this.fixture = fleet.fixture;
    this.api = fleet.api();
    MariaDbServer[] pair = fleet.fixture.pairs(1).get(0);
    this.source = pair[0];
    this.destination = pair[1];
  }

  /** The control plane and the pair; no worker yet (see {@link InProcessFleet#worker}). */
  static PairFleet start(Path dataDir) throws Exception {
    return start(dataDir, null, 0);
  }

  /** The control plane with {@code env} added to its settings (e.g. an external metadata DB's) and the pair. */
  static PairFleet start(Path dataDir, java.util.Map<String, String> env) throws Exception {
    InProcessFleet fleet = new InProcessFleet(dataDir, env);
    return closedOnFailure(fleet, () -> new PairFleet(fleet));
  }

  /** The control plane, the pair and a worker {@code nodeId} with room for {@code capacity} jobs. */
  static PairFleet start(Path dataDir, String nodeId, int capacity) throws Exception {
    InProcessFleet fleet = new InProcessFleet(dataDir);
    return closedOnFailure(fleet, () -> {
      PairFleet started = new PairFleet(fleet);
      if (nodeId != null) {
        fleet.worker(nodeId, capacity);
      }
      return started;
    });
  }

  /** What {@code start} makes of the fleet; the fleet is closed when that fails. */
  private static PairFleet closedOnFailure(InProcessFleet fleet, java.util.concurrent.Callable<PairFleet> start)
      throws Exception {
    try {
      return start.call();
    } catch (Exception | Error e) {
      try {
        fleet.close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The pair as {source, destination}, the shape {@link FleetFixture} takes. */
  MariaDbServer[] pair() {
    return new MariaDbServer[] {source, destination};
  }

  /** Creates a connection to the source and one to the destination through the API, each as the server's admin. */
  Connections connections(String sourceName, String destinationName) {
    return new Connections(api.connection(sourceName, source), api.connection(destinationName, destination));
  }

  /** Closes {@code resource} with the fleet (before the fleet, after what is opened later); returns it. */
  <T extends AutoCloseable> T closing(T resource) {
    resources.push(resource);
    return resource;
  }

  /** Closes what the test opened, last first, then the fleet; throws the first failure, the others suppressed. */
  @Override
  public void close() throws Exception {
    Exception failure = null;
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
