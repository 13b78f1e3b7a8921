package io.ferry.controlplane.api;

/**
 * A request that cannot be served, with the HTTP status, a stable code and a message for the caller.
 * Messages never quote a value from the request body (one of them could be a password).
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String field;
  private final java.util.Map<String, Object> extra = new java.util.LinkedHashMap<>();

  public ApiException(int status, String code, String field, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  public ApiException(int status, String code, String message) {
    this(status, code, null, message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** The body field at fault (dotted path), or null. */
  public String field() {
    return field;
  }

  /** Adds a member to the error object, e.g. the state that made a change impossible. */
  public ApiException with(String key, Object value) {
    extra.put(key, value);
    return this;
  }

  public java.util.Map<String, Object> extra() {
    return java.util.Collections.unmodifiableMap(extra);
  }

  public static ApiException invalid(String field, String problem) {
    return new ApiException(400, "INVALID_FIELD", field, field + ": " + problem);
  }

  public static ApiException missing(String field) {
    return new ApiException(400, "MISSING_FIELD", field, field + ": is required");
  }

  public static ApiException unknownField(String field) {
    return new ApiException(400, "UNKNOWN_FIELD", field, field + ": is not a known field");
  }

  /** The object does not exist for this caller: also what another tenant's object looks like. */
  public static ApiException notFound(String what, String id) {
    return new ApiException(404, "NOT_FOUND", "no " + what + " with id " + safeId(id));
  }

  public static ApiException forbidden(String why) {
    return new ApiException(403, "FORBIDDEN", why);
  }

  public static ApiException conflict(String code, String message) {
    return new ApiException(409, code, message);
  }

  /** Path ids are echoed in messages only when they look like ids, so no odd text is reflected back. */
  static String safeId(String id) {
    return id != null && id.matches("[A-Za-z0-9_.:-]{1,128}") ? id : "(invalid id)";
  }
}
