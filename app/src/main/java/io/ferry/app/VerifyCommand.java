package io.ferry.app;

import io.ferry.worker.config.JobConfig;
import io.ferry.worker.copy.Verifier;
import io.ferry.worker.error.FerryException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry verify}: compares a job's source and destination tables while the job runs. */
@Command(name = "verify", mixinStandardHelpOptions = true, usageHelpWidth = 120,
    description = {"Compares every table of a job (the same YAML file as ferry replicate) on source and destination,",
        "while the job keeps replicating: key ranges by row count and row hashes, then the rows of a range that",
        "differs, re-checked after the job's checkpoint has passed the source's position, so lag is never reported.",
        "Prints each table with the rows checked and the first differing keys.",
        "",
        "Exit codes: 0 every table matches, 4 some table differs, 1 bad usage, 2 verify failed."})
final class VerifyCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(VerifyCommand.class);
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");

  @Option(names = "--config", required = true, description = "The job's YAML file.")
  Path config;

  @Option(names = "--max-keys", defaultValue = "10", description = "Differing keys to list per table (default 10).")
  int maxKeys;

  @Option(names = "--catch-up-seconds", defaultValue = "120",
      description = "How long to wait for the job to apply the source's position (default 120).")
  int catchUpSeconds;

  @Override
  public Integer call() {
    JobConfig job = ReplicateCommand.load(config);
    if (job == null) {
      return 1;
    }
    Verifier.Report report;
    try {
      report = new Verifier(job, Duration.ofSeconds(catchUpSeconds), maxKeys, Clock.systemUTC()).run();
    } catch (FerryException e) {
      LOG.error("{}", e.describe());
      return 2;
    }
    for (Verifier.TableResult t : report.tables()) {
      CONSOLE.info("{}  {}  {} rows checked{}", t.match() ? "match    " : "DIFFERENT", t.table(), t.rowsChecked(),
          t.mismatches().isEmpty() ? "" : "; differing keys: " + String.join("; ", t.mismatches()));
    }
    CONSOLE.info("{}: {} tables", report.match() ? "match" : "MISMATCH", report.tables().size());
    return report.match() ? 0 : 4;
  }
}
