package io.ferry.controlplane.fleet;

/**
 * A change in the fleet, for the live stream ({@code GET /api/v1/events}).
 *
 * @param job the job that changed, or null for a worker event
 * @param worker the worker that changed, or null for a job event
 */
public record FleetEvent(JobLive job, WorkerLive worker) {
  public static FleetEvent of(JobLive job) {
    return new FleetEvent(job, null);
  }

  public static FleetEvent of(WorkerLive worker) {
    return new FleetEvent(null, worker);
  }
}
