package io.ferry.app;

import io.ferry.protocol.FileTrees;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferry demo}: the whole product on one machine with nothing installed beforehand — two
 * embedded MariaDB servers (a source with a live shop write load, a destination), the control plane
 * with its embedded metadata DB and an in-process worker, and a demo job created through the REST API;
 * prints the dashboard URL, the login token and a progress line until Ctrl+C, which stops everything
 * it started. A second demo while one runs is refused by a lock file, not by a port clash.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, usageHelpWidth = 120,
    description = {"Runs Ferry on this machine with nothing installed beforehand.",
        "Starts an embedded source MariaDB with a live write load on a small shop schema, an embedded destination,",
        "the control plane (REST API and dashboard, embedded metadata DB) with an in-process worker, and a job",
        "created through the API (shop -> shop_copy) that copies the shop's history (an initial copy while the load",
        "runs) and then replicates it. Prints the dashboard URL, the admin token and progress until",
        "Ctrl+C; then lets the job catch up, compares every table by checksum and stops everything it started.",
        "The dashboard listens on FERRY_HTTP_PORT (default 8080, or a free port when 8080 is taken)."})
final class DemoCommand implements Callable<Integer> {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");

  @Option(names = "--seconds", description = "Stop by itself after this many seconds (default: run until Ctrl+C).")
  long seconds;

  @Option(names = "--data-dir", description = "Where the demo keeps its lock file and, while it runs, its metadata"
      + " DB (default: $FERRY_DATA_DIR or ./data; the demo's own files are removed when it stops).")
  Path dataDir;

  @Option(names = "--verbose", description = "Log everything to stderr too (default: the log goes to demo.log in the"
      + " data directory, and only warnings and errors to the terminal).")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    Path dir = dataDir != null ? dataDir : Path.of(System.getenv().getOrDefault("FERRY_DATA_DIR", "data"));
    Files.createDirectories(dir);
    try (FileChannel lockFile = FileChannel.open(dir.resolve("demo.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock lock = lockFile.tryLock()) {
      if (lock == null) {
        CONSOLE.info("A ferry demo is already running from {} (its lock file is held); stop it first.", dir.toAbsolutePath());
        return 1;
      }
      if (!verbose) {
        Path log = dir.toAbsolutePath().resolve("demo.log");
        Logging.toFile(log);
        CONSOLE.info("The demo's log: {} (warnings and errors show here too)", log);
      }
      CountDownLatch stop = new CountDownLatch(1);
      Signals.onTermination(stop::countDown);
      Path work = Files.createTempDirectory(dir.toAbsolutePath(), "demo-");
      try {
        return new DemoRun(work, System.getenv(), seconds, stop).run();
      } finally {
        FileTrees.delete(work);
      }
    }
  }

}
