package io.ferry.controlplane.fleet;

import io.ferry.protocol.model.ErrorInfo;
import io.ferry.protocol.model.JobState;
import io.ferry.protocol.model.Position;
import io.ferry.protocol.model.SnapshotProgress;
import java.time.Instant;

/**
 * A job as its owner last reported it.
 *
 * @param position the last committed restart position, or null before the job has one
 * @param lagSeconds seconds behind the source, or null when unknown
 * @param error the job's current error, or null
 * @param at when the heartbeat that carried these figures arrived
 * @param snapshot the initial copy's progress, or null when the job has none
 * @param binlogEvents binlog events the current owner has read (0 when it does not say)
 */
public record JobLive(
    String jobId,
    String tenantId,
    String workerId,
    long epoch,
    JobState state,
    Position position,
    Long lagSeconds,
    long rowsApplied,
    double eventsPerSecond,
    ErrorInfo error,
    Instant at,
    SnapshotProgress snapshot,
    long binlogEvents) {

  /** A job whose owner does not count binlog events. */
  public JobLive(String jobId, String tenantId, String workerId, long epoch, JobState state, Position position,
                 Long lagSeconds, long rowsApplied, double eventsPerSecond, ErrorInfo error, Instant at,
                 SnapshotProgress snapshot) {
    this(jobId, tenantId, workerId, epoch, state, position, lagSeconds, rowsApplied, eventsPerSecond, error, at,
        snapshot, 0);
  }

  /** A job without an initial copy. */
  public JobLive(String jobId, String tenantId, String workerId, long epoch, JobState state, Position position,
                 Long lagSeconds, long rowsApplied, double eventsPerSecond, ErrorInfo error, Instant at) {
    this(jobId, tenantId, workerId, epoch, state, position, lagSeconds, rowsApplied, eventsPerSecond, error, at, null);
  }
}
