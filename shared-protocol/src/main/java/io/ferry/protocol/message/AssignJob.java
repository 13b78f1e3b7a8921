package io.ferry.protocol.message;

import io.ferry.protocol.Checks;
import io.ferry.protocol.model.JobSpec;

/**
 * The control plane gives a job to a worker (to {@code Addresses.worker(nodeId)}); reply {@link Ack} or
 * {@link Nack}. The worker claims the job at the destination with this epoch; a lower epoch than one
 * already seen for the job is stale and refused. The spec holds connection passwords:
 * {@link #toString()} masks them, but the encoded JSON does not, so never log it (see
 * {@code MessageCodec.redact}).
 *
 * @param epoch the fencing token of this assignment, raised by the control plane on each reassignment
 */
public record AssignJob(String jobId, long epoch, String tenantId, JobSpec spec) implements Message {
  public AssignJob {
    Checks.id("jobId", jobId);
    Checks.epoch("epoch", epoch);
    Checks.id("tenantId", tenantId);
    Checks.notNull("spec", spec);
  }
}
