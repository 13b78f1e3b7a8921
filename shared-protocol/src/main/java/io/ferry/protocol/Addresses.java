package io.ferry.protocol;

/**
 * Event-bus addresses. Requests expect a reply ({@code Ack}, {@code Nack} or the named answer); the
 * rest are fire-and-forget sends.
 */
public final class Addresses {
  /** Control plane inbox: {@code RegisterWorker} (reply {@code WorkerRegistered} or {@code Nack}). */
  public static final String CONTROL_PLANE = "ferry.control-plane";
  /** Prefix of a worker's inbox; use {@link #worker(String)}. */
  public static final String WORKER_PREFIX = "ferry.worker.";
  /** Worker to control plane, every second: {@code Heartbeat} (no reply). */
  public static final String HEARTBEAT = "ferry.heartbeat";
  /** Worker to control plane after each committed checkpoint: {@code Checkpoint} (reply {@code Ack}, or {@code Nack} for a stale epoch). */
  public static final String CHECKPOINT = "ferry.checkpoint";
  /** Worker to control plane: {@code JobError} and other job events (no reply). */
  public static final String EVENTS = "ferry.events";
  /** Worker to control plane while a verify runs, {@code VerifyProgress}, and when it ends, {@code VerifyResult} (no reply). */
  public static final String VERIFY = "ferry.verify";

  private Addresses() {}

  /**
   * A worker's inbox, {@code ferry.worker.<nodeId>}: {@code AssignJob}, {@code RevokeJob},
   * {@code DrainWorker}, {@code VerifyJob} (reply {@code Ack} or {@code Nack}).
   */
  public static String worker(String nodeId) {
    return WORKER_PREFIX + Checks.nodeId("nodeId", nodeId);
  }
}
