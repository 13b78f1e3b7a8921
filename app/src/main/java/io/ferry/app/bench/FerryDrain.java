package io.ferry.app.bench;

import io.ferry.mariadb.MariaDbServer;
import io.ferry.worker.JobListener;
import io.ferry.worker.JobOptions;
import io.ferry.worker.JobRunner;
import io.ferry.worker.JobState;
import io.ferry.worker.JobStats;
import io.ferry.worker.config.ConnectionConfig;
import io.ferry.worker.config.DdlPolicy;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.StartPosition;
import io.ferry.worker.config.TableFilter;
import io.ferry.worker.error.FerryException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Times Ferry (a JobRunner in this JVM) draining the backlog from the recorded position. */
final class FerryDrain {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");
  private static final long TIMEOUT_NANOS = 30L * 60 * 1_000_000_000L;
  static final long BINLOG_CLIENT_SERVER_ID = 1_001;

  private FerryDrain() {}

  static PhaseResult drain(MariaDbServer source, String sourceUser, String sourcePassword, MariaDbServer destination,
      String destUser, String destPassword, BinlogCoordinates start, BinlogCoordinates end, int batchMaxRows,
      boolean profile)
      throws InterruptedException, FerryException {
    JobConfig.Tuning tuning = new JobConfig.Tuning(batchMaxRows, JobConfig.Tuning.DEFAULT_BATCH_MAX_MILLIS,
        JobConfig.Tuning.DEFAULT_QUEUE_CAPACITY, JobConfig.Tuning.DEFAULT_HEARTBEAT_SECONDS, BINLOG_CLIENT_SERVER_ID,
        JobConfig.Tuning.DEFAULT_FERRY_SCHEMA, JobConfig.Tuning.DEFAULT_QUEUE_MAX_BYTES);
    JobConfig job = new JobConfig("bench",
        new ConnectionConfig(source.host(), source.port(), sourceUser, sourcePassword, ConnectionConfig.TlsMode.DISABLED),
        new ConnectionConfig(destination.host(), destination.port(), destUser, destPassword,
            ConnectionConfig.TlsMode.DISABLED),
        new TableFilter(List.of(Sbtest.DATABASE + ".*"), List.of()), Map.of(),
        new StartPosition.File(start.file(), start.position()), DdlPolicy.STOP, tuning);
    AtomicLong reachedAt = new AtomicLong();
    AtomicLong firstCheckpointAt = new AtomicLong();
    AtomicLong commits = new AtomicLong();
    JobRunner runner = new JobRunner(job, JobOptions.DEFAULTS, new JobListener() {
      @Override
      public void onCheckpoint(String id, JobStats s) {
        long now = System.nanoTime();
        commits.incrementAndGet();
        firstCheckpointAt.compareAndSet(0, now);
        if (reachedAt.get() == 0 && end.reachedBy(s.position().file(), s.position().position())) {
          reachedAt.set(now);
        }
      }
    });
    Map<Long, Double> threads0 = CpuMeter.threadCpu();
    double jvmCpu0 = CpuMeter.processCpuSeconds();
    double sourceCpu0 = CpuMeter.processCpuSeconds(source.pid());
    double destCpu0 = CpuMeter.processCpuSeconds(destination.pid());
    CpuMeter.resetHeapPeaks();
    StackSampler sampler = profile ? new StackSampler() : null;
    long t0 = System.nanoTime();
    runner.start();
    long lastLog = t0;
    try {
      while (reachedAt.get() == 0) {
        long now = System.nanoTime();
        if (runner.state() == JobState.ERROR || runner.state() == JobState.PAUSED
            || runner.state() == JobState.STOPPED) {
          FerryException e = runner.error();
          throw e != null ? e : FerryException.fatal("BENCH", "the Ferry job ended in " + runner.state(), "See the log.");
        }
        if (now - t0 > TIMEOUT_NANOS) {
          throw FerryException.fatal("BENCH", "Ferry did not reach " + end + " in 30 minutes", "See the log.");
        }
        if (now - lastLog > 10_000_000_000L) {
          lastLog = now;
          JobStats s = runner.stats();
          CONSOLE.info("  ... Ferry at {} after {} s, {} rows applied", s == null ? "-" : s.position(),
              WriteOnlyLoad.fmt((now - t0) / 1e9), s == null ? 0 : s.rowsApplied());
        }
        Thread.sleep(20);
      }
      double seconds = (reachedAt.get() - t0) / 1e9;
      double jvmCpu = CpuMeter.processCpuSeconds() - jvmCpu0;
      double sourceCpu = CpuMeter.processCpuSeconds(source.pid()) - sourceCpu0;
      double destCpu = CpuMeter.processCpuSeconds(destination.pid()) - destCpu0;
      Map<String, Double> threadCpu = CpuMeter.threadCpuSince(threads0);
      JobStats s = runner.stats();
      String note = String.format(java.util.Locale.ROOT,
          "startup to first checkpoint %.2f s; %d destination commits for %d source transactions (%d rows)",
          (firstCheckpointAt.get() - t0) / 1e9, commits.get(), s.transactionsApplied(), s.rowsApplied());
      return new PhaseResult("Ferry", seconds, jvmCpu, destCpu, sourceCpu, CpuMeter.heapPeakMiB(), threadCpu, note);
    } finally {
      if (sampler != null) {
        sampler.close();
        sampler.print(8);
      }
      runner.stop();
      if (!runner.awaitTermination(30, TimeUnit.SECONDS)) {
        CONSOLE.info("  the Ferry job did not stop within 30 s");
      }
    }
  }
}
