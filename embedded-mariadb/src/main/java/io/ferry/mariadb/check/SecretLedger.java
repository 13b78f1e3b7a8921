package io.ferry.mariadb.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The secrets a test run handed out — database passwords, API tokens — written down so that the build can scan
 * everything the run printed for them afterwards ({@link SecretScan}). A no-op unless the system property
 * {@value #PROPERTY} names the ledger file (the build sets it for every test JVM and passes it on to the Ferry
 * processes the tests start). Secrets shorter than {@value #MIN_LENGTH} characters are not recorded: a scan for
 * "pw" would find it in every word; tests that want their secrets checked use longer ones.
 *
 * <p>Each line is one secret in Base64, so that a secret never appears in the ledger in the form the scan looks for.
 */
public final class SecretLedger {
  /** The system property naming the ledger file. */
  public static final String PROPERTY = "ferry.secretLedger";
  /** The system property naming the directory where tests keep their child processes' logs. */
  public static final String CHILD_LOGS = "ferry.childLogs";
  static final int MIN_LENGTH = 8;
  private static final AtomicInteger KEPT = new AtomicInteger();

  private SecretLedger() {}

  /** Records {@code secret} in the ledger this JVM was given, if any. */
  public static void record(String secret) {
    String ledger = System.getProperty(PROPERTY);
    if (ledger == null || ledger.isBlank() || secret == null || secret.length() < MIN_LENGTH) {
      return;
    }
    byte[] line = (Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)) + "\n")
        .getBytes(StandardCharsets.US_ASCII);
    try {
      Path file = Path.of(ledger);
      Files.createDirectories(file.toAbsolutePath().getParent());
      // One write with O_APPEND: lines from concurrent test JVMs and child processes do not interleave.
      Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record a secret in the ledger " + ledger, e);
    }
  }

  /**
   * Keeps a copy of a child process's log for the scan (the system property {@value #CHILD_LOGS} names the
   * directory; a no-op without it): test directories with the original go away when the test passes.
   */
  public static void keepChildLog(Path log, String name) {
    String dir = System.getProperty(CHILD_LOGS);
    if (dir == null || dir.isBlank() || !Files.exists(log)) {
      return;
    }
    try {
      Path target = Path.of(dir);
      Files.createDirectories(target);
      Files.copy(log, target.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + ProcessHandle.current().pid()
          + "-" + KEPT.incrementAndGet() + ".log"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the child log " + log + " in " + dir, e);
    }
  }

  /** The JVM option that hands this JVM's ledger to a child JVM, or null when there is none. */
  public static String jvmOption() {
    String ledger = System.getProperty(PROPERTY);
    return ledger == null || ledger.isBlank() ? null : "-D" + PROPERTY + "=" + ledger;
  }
}
