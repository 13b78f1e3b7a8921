package io.ferry.protocol;

import java.util.regex.Pattern;

/**
 * Validation used by the compact constructors of the protocol records. Messages name the field; string
 * values are never quoted (one of them could be a password).
 */
public final class Checks {
  /** Job and tenant ids: what the worker accepts as a job id. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  /** Worker node ids (Vert.x cluster node ids are UUIDs; host names with ':' are allowed too). */
  public static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  private Checks() {}

  public static <T> T notNull(String field, T value) {
    if (value == null) {
      throw new InvalidFieldException(field, "is required");
    }
    return value;
  }

  public static String notBlank(String field, String value) {
    if (notNull(field, value).isBlank()) {
      throw new InvalidFieldException(field, "must not be blank");
    }
    return value;
  }

  /** A job or tenant id: 1-64 letters, digits, '_', '.', '-'. */
  public static String id(String field, String value) {
    if (!ID.matcher(notNull(field, value)).matches()) {
      throw new InvalidFieldException(field, "must be 1-64 characters of letters, digits, '_', '.', '-'");
    }
    return value;
  }

  /** A worker node id: 1-128 letters, digits, '_', '.', ':', '-'. */
  public static String nodeId(String field, String value) {
    if (!NODE_ID.matcher(notNull(field, value)).matches()) {
      throw new InvalidFieldException(field, "must be 1-128 characters of letters, digits, '_', '.', ':', '-'");
    }
    return value;
  }

  /** An epoch (fencing token): at least 1. */
  public static long epoch(String field, long value) {
    if (value < 1) {
      throw new InvalidFieldException(field, "must be at least 1, was " + value);
    }
    return value;
  }

  public static long atLeast(String field, long value, long min) {
    if (value < min) {
      throw new InvalidFieldException(field, "must be at least " + min + ", was " + value);
    }
    return value;
  }

  public static long between(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw new InvalidFieldException(field, "must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  /** A finite number that is not negative. */
  public static double nonNegative(String field, double value) {
    if (!Double.isFinite(value) || value < 0) {
      throw new InvalidFieldException(field, "must be a finite number of at least 0, was " + value);
    }
    return value;
  }
}
