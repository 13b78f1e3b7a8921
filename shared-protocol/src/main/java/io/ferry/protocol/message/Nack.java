package io.ferry.protocol.message;

import io.ferry.protocol.Checks;

/**
 * A refusal of a request: a code the sender can act on (one of the constants here, or another
 * upper-case code) and a reason for people.
 */
public record Nack(String code, String reason) implements Message {
  /** The epoch is older than the job's current one: the sender has been fenced off. */
  public static final String STALE_EPOCH = "STALE_EPOCH";
  /** The sender's protocol version is not supported. */
  public static final String INCOMPATIBLE_VERSION = "INCOMPATIBLE_VERSION";
  /** The job is not known (or not assigned to this worker). */
  public static final String UNKNOWN_JOB = "UNKNOWN_JOB";
  /** The worker is not registered (or was declared lost); it should register again. */
  public static final String UNKNOWN_WORKER = "UNKNOWN_WORKER";
  /** The worker has no free capacity or is draining. */
  public static final String NO_CAPACITY = "NO_CAPACITY";
  /** The message could not be decoded or was invalid. */
  public static final String INVALID = "INVALID";

  public Nack {
    Checks.notBlank("code", code);
    reason = reason == null ? "" : reason;
  }
}
