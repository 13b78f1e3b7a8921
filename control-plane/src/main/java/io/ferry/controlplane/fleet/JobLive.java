package io.ferry.controlplane.fleet;

import io.ferry.protocol.model.ErrorInfo;
import io.ferry.protocol.model.JobState;
import io.ferry.protocol.model.Position;
import java.time.Instant;

/**
 * A job as its owner last reported it.
 *
 * @param position the last committed restart position, or null before the job has one
 * @param lagSeconds seconds behind the source, or null when unknown
 * @param error the job's current error, or null
 * @param at when the heartbeat that carried these figures arrived
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
    Instant at) {}
