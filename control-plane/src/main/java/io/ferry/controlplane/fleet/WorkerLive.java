package io.ferry.controlplane.fleet;

import io.ferry.protocol.model.WorkerState;
import java.time.Instant;
import java.util.List;

/**
 * A worker as the control plane sees it.
 *
 * @param jobs the ids of the jobs assigned to it (by the scheduler), sorted
 * @param lastHeartbeat when its last heartbeat arrived, or null before the first
 * @param heartbeats heartbeats handled from it since this control plane started
 */
public record WorkerLive(
    String id,
    String host,
    WorkerState state,
    int capacity,
    List<String> jobs,
    Instant startedAt,
    Instant lastHeartbeat,
    long heartbeats) {
  public WorkerLive {
    jobs = List.copyOf(jobs);
  }

  /** A worker whose heartbeats were not counted. */
  public WorkerLive(String id, String host, WorkerState state, int capacity, List<String> jobs, Instant startedAt,
      Instant lastHeartbeat) {
    this(id, host, state, capacity, jobs, startedAt, lastHeartbeat, 0);
  }
}
