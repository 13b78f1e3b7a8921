package io.ferry.app;

import io.ferry.worker.JobListener;
import io.ferry.worker.JobOptions;
import io.ferry.worker.JobRunner;
import io.ferry.worker.JobState;
import io.ferry.worker.JobStats;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.JobConfigLoader;
import io.ferry.worker.error.FerryException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry replicate --config job.yaml}: one job, no control plane. */
@Command(name = "replicate", mixinStandardHelpOptions = true, usageHelpWidth = 120,
    description = {
        "Runs one replication job from a YAML file until SIGINT/SIGTERM (exit 0 after a clean stop).",
        "The position is kept in the destination (schema _ferry), so running the same file again resumes.",
        "",
        "The file ($${NAME} is replaced from the environment):",
        "  id: shop-copy                     # job id (default: the file name)",
        "  source:      {host: 127.0.0.1, port: 3306, user: repl, password: \"$${SOURCE_PASSWORD}\", tls: preferred}",
        "  destination: {host: 127.0.0.1, port: 3307, user: ferry, password: \"$${DEST_PASSWORD}\"}",
        "               # tls: disabled | preferred (default) | required | verify-ca; with verify-ca the server's",
        "               # certificate must chain to caFile: ca.pem (PEM, relative to this file) or ca: <PEM text>,",
        "               # else to the JVM's trust store; the host name is not checked",
        "  tables:      {include: [\"shop.*\"], exclude: [\"shop.sessions\"]}",
        "  databaseMap: {shop: shop_copy}   # optional rename of databases",
        "  start: snapshot                   # copy the tables while streaming, then stream; or current (changes",
        "                                    # from now), {file: mysql-bin.000003, position: 4}, {gtid: \"0-1-100\"},",
        "                                    # or {snapshot: {overwrite: true, chunkRows: 10000, parallel: 4,",
        "                                    #   bufferMb: 256, keyless: refuse|copy}}",
        "  ddl: exec                         # exec | ignore | stop",
        "  tuning: {batchMaxRows: 5000, batchMaxMillis: 200, queueCapacity: 2048, heartbeatSeconds: 5,",
        "           serverId: 0, ferrySchema: _ferry, queueMaxBytes: 2097152}",
        "",
        "Exit codes: 0 stopped cleanly, 1 bad usage, 2 the job failed, 3 the job paused at a DDL (ddl: stop)."})
final class ReplicateCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicateCommand.class);

  @Option(names = "--config", required = true, description = "The job's YAML file.")
  Path config;

  @Option(names = "--resume-ddl", description = "For a job paused at a DDL (ddl: stop): EXEC or SKIP that statement.")
  JobOptions.ResumeDdl resumeDdl;

  @Option(names = "--progress-seconds", defaultValue = "10", description = "How often to log progress (default 10).")
  int progressSeconds;

  @Override
  public Integer call() throws InterruptedException {
    JobConfig job = load(config);
    if (job == null) {
      return 1;
    }
    return run(job, JobOptions.DEFAULTS.withResumeDdl(resumeDdl), progressSeconds);
  }

  /** The job file with ${NAME} expanded, or null after logging every problem it has. */
  static JobConfig load(Path file) {
    try {
      return JobConfigLoader.fromSystemEnvironment().load(file);
    } catch (FerryException e) {
      LOG.error("{}", e.describe());
      return null;
    }
  }

  /** Runs a job in the foreground until a signal or its end; returns the exit code. */
  static int run(JobConfig job, JobOptions options, int progressSeconds) throws InterruptedException {
    try (var mdc = MDC.putCloseable("job", job.id())) { // this thread's lines about the job name it, as the job's own do
      return runWithMdc(job, options, progressSeconds);
    }
  }

  private static int runWithMdc(JobConfig job, JobOptions options, int progressSeconds) throws InterruptedException {
    JobRunner runner = new JobRunner(job, options, new JobListener() {
      @Override
      public void onState(String id, JobState state, FerryException error) {
        if (error == null) {
          LOG.info("job {}: {}", id, state);
        }
      }
    });
    Signals.onTermination(runner::stop);
    runner.start();
    long every = TimeUnit.SECONDS.toMillis(Math.max(1, progressSeconds));
    while (!runner.awaitTermination(every, TimeUnit.MILLISECONDS)) {
      JobStats s = runner.stats();
      if (s != null && s.copy() != null && !s.copy().done()) {
        LOG.info("job {}: copying {} ({} of {} tables done, {} rows copied, {} rows/s, ETA {}); streaming at {}",
            job.id(), s.copy().currentTable(), s.copy().tablesDone(), s.copy().tablesTotal(), s.copy().rowsCopied(),
            Math.round(s.copy().rowsPerSecond()), s.copy().etaSeconds() == null ? "unknown" : s.copy().etaSeconds() + "s",
            s.position());
      } else if (s != null) {
        LOG.info("job {}: {} at {}, {} rows / {} transactions applied, lag {}s", job.id(), runner.state(),
            s.position(), s.rowsApplied(), s.transactionsApplied(), String.format("%.1f", s.lagSeconds()));
      }
    }
    return switch (runner.state()) {
      case STOPPED -> 0;
      case PAUSED -> {
        LOG.warn("{}", runner.error().describe());
        yield 3;
      }
      default -> {
        FerryException e = runner.error();
        LOG.error("{}", e == null ? "job ended in state " + runner.state() : e.describe());
        yield 2;
      }
    };
  }
}
