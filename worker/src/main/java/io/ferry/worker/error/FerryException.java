package io.ferry.worker.error;

/**
 * A failure that a person can act on: a stable code, a message that names the job, the server
 * ({@code user@host:port}) and the position where that matters, and a remedy. Never carries a password.
 *
 * <p>{@link #retriable()} separates the faults a job rides out with backoff (a network blip, a server
 * restart) from those that need a person (wrong password, binlog purged, a table of the wrong shape).
 */
public class FerryException extends RuntimeException {
  private final String code;
  private final String remedy;
  private final boolean retriable;

  public FerryException(String code, String message, String remedy, boolean retriable, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.remedy = remedy;
    this.retriable = retriable;
  }

  public static FerryException fatal(String code, String message, String remedy) {
    return new FerryException(code, message, remedy, false, null);
  }

  public static FerryException fatal(String code, String message, String remedy, Throwable cause) {
    return new FerryException(code, message, remedy, false, cause);
  }

  public static FerryException retriable(String code, String message, String remedy, Throwable cause) {
    return new FerryException(code, message, remedy, true, cause);
  }

  public String code() {
    return code;
  }

  public String remedy() {
    return remedy;
  }

  public boolean retriable() {
    return retriable;
  }

  /** The one line a log, a terminal or the dashboard shows. */
  public String describe() {
    return "[" + code + "] " + getMessage() + (remedy == null ? "" : " Remedy: " + remedy);
  }
}
