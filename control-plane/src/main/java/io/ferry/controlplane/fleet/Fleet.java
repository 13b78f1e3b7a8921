package io.ferry.controlplane.fleet;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the HTTP API sees of the running fleet, kept by the scheduler from workers' heartbeats. The
 * definitions (jobs, connections) live in the metadata DB; this view adds what only the workers know.
 * All methods may be called from any event loop; none blocks.
 */
public interface Fleet {
  /** The live figures of a job as its current owner last reported them, if any worker runs it. */
  Optional<JobLive> job(String jobId);

  /** Every worker the control plane knows, live or lost, with the jobs assigned to it. */
  List<WorkerLive> workers();

  /**
   * The API changed a job's row (created it, or changed its {@code desired_state}); the scheduler acts
   * on it now instead of at its next tick.
   */
  void jobChanged(String jobId);

  /**
   * Marks a worker as draining and moves its jobs elsewhere without loss. Fails with
   * {@link java.util.NoSuchElementException} for an unknown worker.
   */
  Future<Void> drain(String workerId);

  /** Heartbeats handled since start (for {@code /metrics}). */
  long heartbeatsReceived();

  /**
   * Calls {@code listener} (on the scheduler's event loop) for every change of a job's state, figures
   * or owner, and of a worker. Returns a handle that removes the listener.
   */
  Runnable subscribe(Consumer<FleetEvent> listener);
}
