package io.ferry.protocol.message;

import io.ferry.protocol.Checks;
import java.time.Instant;

/**
 * A worker announces itself (to {@code Addresses.CONTROL_PLANE}); the reply is {@link WorkerRegistered}
 * or a {@link Nack} (for example {@link Nack#INCOMPATIBLE_VERSION}).
 *
 * @param capacity how many jobs the worker may run at once
 * @param protocolVersion the protocol version the worker speaks
 * @param startedAt when the worker process started; a new value for a known node id means it restarted
 *     and holds no jobs any more
 */
public record RegisterWorker(String nodeId, String host, int capacity, int protocolVersion, Instant startedAt)
    implements Message {
  public RegisterWorker {
    Checks.nodeId("nodeId", nodeId);
    Checks.notBlank("host", host);
    Checks.atLeast("capacity", capacity, 1);
    Checks.atLeast("protocolVersion", protocolVersion, 1);
    Checks.notNull("startedAt", startedAt);
  }
}
