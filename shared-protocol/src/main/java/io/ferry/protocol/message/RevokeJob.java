package io.ferry.protocol.message;

import io.ferry.protocol.Checks;

/**
 * The control plane takes a job back (to {@code Addresses.worker(nodeId)}); the worker stops it at a
 * transaction boundary and replies {@link Ack}. Only the assignment with this epoch is revoked.
 *
 * @param reason why, for the log (for example "rebalance", "job paused by user")
 */
public record RevokeJob(String jobId, long epoch, String reason) implements Message {
  public RevokeJob {
    Checks.id("jobId", jobId);
    Checks.epoch("epoch", epoch);
    reason = reason == null ? "" : reason;
  }
}
