package io.ferry.protocol.model;

import io.ferry.protocol.Checks;
import java.time.Instant;

/**
 * A job's failure: a stable code (such as {@code SOURCE_UNREACHABLE}), a message naming the job and
 * server (never a password), a remedy for the operator, when it happened, and whether a retry may
 * succeed.
 */
public record ErrorInfo(String code, String message, String remedy, Instant at, boolean retriable) {
  public ErrorInfo {
    Checks.notBlank("code", code);
    Checks.notNull("message", message);
    remedy = remedy == null ? "" : remedy;
    Checks.notNull("at", at);
  }
}
