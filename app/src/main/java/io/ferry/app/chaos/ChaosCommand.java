package io.ferry.app.chaos;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferry chaos}: a fault soak on this machine. See {@link ChaosRun} for what it does; the figures
 * are in docs/RELIABILITY.md.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true, usageHelpWidth = 120,
    description = {"Runs a fault soak on this machine and proves nothing is lost or doubled.",
        "Starts an embedded source and destination MariaDB, a streaming job in a child process (ferry replicate)",
        "behind TCP fault proxies, and a write load; then, for the given minutes, injects faults in a random order",
        "(seeded): connection reset, blackhole, latency and bandwidth limit on the source and the destination side,",
        "kill -9 of the job's process, and a destination server restart, each during streaming or during the initial",
        "copy of a fresh snapshot job. After each fault it waits for the job to catch up and compares the tables by",
        "CHECKSUM TABLE; at the end it prints a table of fault x phase (runs, recovered, time to recover, rows checked,",
        "mismatches) and scans the job processes' logs for the passwords it used.",
        "Exit code 0 when every fault was recovered with no mismatch and no password was seen, else 1."})
public final class ChaosCommand implements Callable<Integer> {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");

  @Option(names = "--minutes", defaultValue = "5", description = "How long to inject faults (default 5; may be a"
      + " fraction).")
  double minutes;

  @Option(names = "--seed", description = "Seed of the fault order and timings (default: random, printed).")
  Long seed;

  @Option(names = "--report", description = "A Markdown file whose section between '<!-- chaos:begin -->' and"
      + " '<!-- chaos:end -->' is replaced by this run's table (e.g. docs/RELIABILITY.md).")
  Path report;

  @Option(names = "--work-dir", description = "Where the job files and the job processes' logs go (default: a new"
      + " temporary directory, kept).")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    long s = seed != null ? seed : System.nanoTime();
    ChaosReport result = new ChaosRun(s, Math.round(minutes * 60_000), workDir).run();
    CONSOLE.info("{}", result.markdown());
    if (report != null) {
      result.writeInto(report);
      CONSOLE.info("Wrote the table into {}", report);
    }
    return result.passed() ? 0 : 1;
  }
}
