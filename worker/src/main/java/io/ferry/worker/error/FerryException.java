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

  /**
   * {@code where} ran out of heap. Retriable: the attempt's memory is freed when it ends, and in a worker the
   * shortage may have been another job's; the retry budget ends a job that runs out again and again.
   */
  public static FerryException outOfMemory(String where, OutOfMemoryError e) {
    return retriable("OUT_OF_MEMORY", where + " ran out of heap (" + e.getMessage() + ")",
        "Give the process more heap (-Xmx in FERRY_JAVA_OPTS), lower tuning.queueMaxBytes, or run fewer jobs on"
            + " this worker; the job restarts from its last checkpoint.", e);
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
