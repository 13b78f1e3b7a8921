package io.ferry.protocol.model;

import io.ferry.protocol.Checks;

/**
 * One job's state as a worker reports it in each heartbeat.
 *
 * @param position the last committed restart position, or null before the job has one
 * @param lagSeconds how far the applied stream is behind the source clock, or null when unknown (not
 *     streaming, or no event seen yet)
 * @param rowsApplied rows applied since the job started on this worker
 * @param eventsPerSecond binlog events read per second over the last interval
 * @param error the failure that put the job in {@link JobState#ERROR} (or a retried one), else null
 * @param snapshot the initial copy's progress, or null when the job has no copy
 * @param binlogEvents binlog events (heartbeats included) read since the job started on this worker (0
 *     from a worker that does not count them)
 */
public record JobStatus(
    String jobId,
    long epoch,
    JobState state,
    Position position,
    Long lagSeconds,
    long rowsApplied,
    double eventsPerSecond,
    ErrorInfo error,
    SnapshotProgress snapshot,
    long binlogEvents) {

  /** A status without a count of binlog events. */
  public JobStatus(String jobId, long epoch, JobState state, Position position, Long lagSeconds, long rowsApplied,
                   double eventsPerSecond, ErrorInfo error, SnapshotProgress snapshot) {
    this(jobId, epoch, state, position, lagSeconds, rowsApplied, eventsPerSecond, error, snapshot, 0);
  }

  /** A status without an initial copy. */
  public JobStatus(String jobId, long epoch, JobState state, Position position, Long lagSeconds, long rowsApplied,
                   double eventsPerSecond, ErrorInfo error) {
    this(jobId, epoch, state, position, lagSeconds, rowsApplied, eventsPerSecond, error, null);
  }

  public JobStatus {
    Checks.id("jobId", jobId);
    Checks.epoch("epoch", epoch);
    Checks.notNull("state", state);
    if (lagSeconds != null) {
      Checks.atLeast("lagSeconds", lagSeconds, 0);
    }
    Checks.atLeast("rowsApplied", rowsApplied, 0);
    Checks.nonNegative("eventsPerSecond", eventsPerSecond);
    Checks.atLeast("binlogEvents", binlogEvents, 0);
  }
}
