package io.ferry.protocol;

/**
 * Thrown by the compact constructors of the protocol records when a component is invalid; names the
 * component and never quotes a secret. The codec turns it into a {@link ProtocolException}.
 */
public final class InvalidFieldException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public InvalidFieldException(String field, String problem) {
    super(field + " " + problem);
    this.field = field;
  }

  /** The record component that is invalid (its name on the wire too). */
  public String field() {
    return field;
  }
}
