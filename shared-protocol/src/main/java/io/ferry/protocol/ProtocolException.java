package io.ferry.protocol;

import java.util.Objects;

/**
 * A message that cannot be decoded: unknown type, a missing or wrong-typed field, an invalid value or
 * an incompatible protocol version. The message names the field (as a dotted path such as
 * {@code spec.source.port}) but never quotes a secret value.
 */
public final class ProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a message was rejected. */
  public enum Reason { MALFORMED, UNKNOWN_TYPE, MISSING_FIELD, WRONG_TYPE, INVALID_VALUE, INCOMPATIBLE_VERSION }

  private final Reason reason;
  private final String field;

  /**
   * @param field the dotted path of the offending field, or null when the message as a whole is wrong
   */
  public ProtocolException(Reason reason, String field, String message) {
    this(reason, field, message, null);
  }

  public ProtocolException(Reason reason, String field, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.field = field;
  }

  public Reason reason() {
    return reason;
  }

  /** The dotted path of the offending field, or null. */
  public String field() {
    return field;
  }
}
