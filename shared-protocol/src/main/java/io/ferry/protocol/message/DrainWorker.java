package io.ferry.protocol.message;

import io.ferry.protocol.Checks;

/**
 * The control plane asks a worker (at {@code Addresses.worker(nodeId)}) to take no new jobs; the
 * control plane then moves its jobs elsewhere with {@link RevokeJob}. The worker replies {@link Ack}
 * and reports {@code DRAINING} in its heartbeats.
 */
public record DrainWorker(String nodeId, String reason) implements Message {
  public DrainWorker {
    Checks.nodeId("nodeId", nodeId);
    reason = reason == null ? "" : reason;
  }
}
