package io.ferry.protocol.message;

import io.ferry.protocol.Checks;
import java.time.Instant;

/**
 * The control plane's reply to {@link RegisterWorker}.
 *
 * @param protocolVersion the protocol version the control plane speaks
 * @param heartbeatSeconds how often the worker sends a {@link Heartbeat}
 * @param at when the control plane registered the worker
 */
public record WorkerRegistered(String nodeId, int protocolVersion, int heartbeatSeconds, Instant at)
    implements Message {
  /** The heartbeat interval the design asks for. */
  public static final int DEFAULT_HEARTBEAT_SECONDS = 1;

  public WorkerRegistered {
    Checks.nodeId("nodeId", nodeId);
    Checks.atLeast("protocolVersion", protocolVersion, 1);
    Checks.atLeast("heartbeatSeconds", heartbeatSeconds, 1);
    Checks.notNull("at", at);
  }
}
