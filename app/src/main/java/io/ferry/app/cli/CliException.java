package io.ferry.app.cli;

/** A failed command, with the exit code scripts rely on. */
public final class CliException extends RuntimeException {
  /** Bad usage: a missing or unreadable file, a malformed config file (picocli exits 1 on bad options too). */
  public static final int BAD_USAGE = 1;
  /** The control plane answered with an error (4xx/5xx). */
  public static final int API_ERROR = 2;
  /** The control plane could not be reached, or no token was found. */
  public static final int UNREACHABLE = 3;
  /** A verify found differences. */
  public static final int MISMATCH = 4;

  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
