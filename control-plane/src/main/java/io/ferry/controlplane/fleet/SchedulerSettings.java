package io.ferry.controlplane.fleet;

import java.time.Duration;

/**
 * The scheduler's timing.
 *
 * @param lease how long a worker may stay silent before it is declared lost and its jobs move; with
 *     heartbeats every second, four seconds survive a garbage-collection pause or a dropped packet and
 *     still leave most of the ten seconds the design allows for a job to run again elsewhere
 * @param tick how often the scheduler reconciles the jobs table with the fleet
 * @param assignTimeout how long a worker has to accept an assignment or a revocation
 */
public record SchedulerSettings(Duration lease, Duration tick, Duration assignTimeout) {
  public static final SchedulerSettings DEFAULTS =
      new SchedulerSettings(Duration.ofSeconds(4), Duration.ofMillis(500), Duration.ofSeconds(10));

  public SchedulerSettings {
    if (lease.compareTo(Duration.ofSeconds(2)) < 0) {
      throw new IllegalArgumentException("lease: at least 2 s (workers send a heartbeat every second)");
    }
  }
}
