package io.ferry.protocol.message;

import io.ferry.protocol.Checks;
import io.ferry.protocol.model.Position;
import java.time.Instant;

/**
 * A worker committed a checkpoint at the destination (sent to {@code Addresses.CHECKPOINT}); the
 * control plane mirrors it and replies {@link Ack}, or {@link Nack} ({@link Nack#STALE_EPOCH}) when
 * the epoch is older than the job's current one.
 *
 * @param at when the checkpoint was committed
 */
public record Checkpoint(String jobId, long epoch, Position position, Instant at) implements Message {
  public Checkpoint {
    Checks.id("jobId", jobId);
    Checks.epoch("epoch", epoch);
    Checks.notNull("position", position);
    Checks.notNull("at", at);
  }
}
