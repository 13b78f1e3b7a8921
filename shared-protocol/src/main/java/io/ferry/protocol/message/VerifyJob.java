package io.ferry.protocol.message;

import io.ferry.protocol.Checks;

/**
 * Control plane to the job's owner: compare the job's source and destination tables and send a
 * {@link VerifyResult} for {@code verifyId} when done. Reply {@code Ack}, or {@code Nack} when the
 * worker does not run the job at that epoch.
 */
public record VerifyJob(String jobId, long epoch, String verifyId) implements Message {
  public VerifyJob {
    Checks.id("jobId", jobId);
    Checks.epoch("epoch", epoch);
    Checks.id("verifyId", verifyId);
  }
}
