package io.ferry.worker;

import io.ferry.worker.apply.Applier;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.jdbc.Jdbc;
import io.ferry.worker.jdbc.LocalFiles;
import io.ferry.worker.jdbc.SessionWatchdog;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one job on its own thread ({@code ferry-job-<id>}) until stopped: preflight, claim the job's
 * checkpoint row with a new epoch, resume from the stored position (or the configured start), then
 * stream and apply. Retriable failures restart the whole pipeline from the last committed checkpoint
 * with backoff, inside a retry budget; fatal ones put the job in ERROR with the error kept.
 */
public final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private final JobConfig job;
  private final JobOptions options;
  private final JobListener listener;
  private final CountDownLatch done = new CountDownLatch(1);
  private final Object wake = new Object();
  private volatile boolean stopRequested;
  private volatile JobState state = JobState.CREATED;
  private volatile FerryException error;
  private volatile JobStats stats;
  /** Binlog events this runner has read, over all its attempts. */
  private final AtomicLong binlogEvents = new AtomicLong();
  /** The pipeline of the running attempt, null between attempts. */
  private volatile Pipeline pipeline;
  private Thread thread;

  public JobRunner(JobConfig job, JobOptions options, JobListener listener) {
    this.job = job.validate();
    this.options = options;
    this.listener = listener;
  }

  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("job " + job.id() + " already started");
    }
    thread = new Thread(this::run, "ferry-job-" + job.id());
    thread.start();
  }

  /** Asks the job to stop: the batch in flight is committed if whole, else rolled back. */
  public void stop() {
    stopRequested = true;
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return done.await(timeout, unit);
  }

  public JobState state() {
    return state;
  }

  /** The job this runner runs. */
  public JobConfig job() {
    return job;
  }

  public FerryException error() {
    return error;
  }

  /**
   * The job's progress as of its last commit; its lag is the one of now when the job has taken a change
   * it has not committed since (a job stuck on a lock or a silent destination shows a growing lag, not
   * the lag of its last commit).
   */
  /** The binlog events (heartbeats included) this runner has read since it started. */
  public long binlogEvents() {
    return binlogEvents.get();
  }

  public JobStats stats() {
    JobStats s = stats;
    Pipeline p = pipeline;
    if (s == null || p == null) {
      return s;
    }
    double lag = p.lagOfUncommitted(options.clock().millis());
    return lag > s.lagSeconds() ? new JobStats(s.position(), s.rowsApplied(), s.transactionsApplied(), lag, s.epoch(),
        s.copy()) : s;
  }

  private void run() {
    MDC.put("job", job.id());
    try {
      setState(JobState.STARTING, null);
      JobState end = supervise();
      setState(end, end == JobState.PAUSED ? error : null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      setState(JobState.STOPPED, null);
    } catch (FerryException e) {
      LOG.error("job {} failed: {}", job.id(), e.describe());
      setState(JobState.ERROR, e);
    } catch (RuntimeException | Error e) {
      // an Error too: the thread ends either way, and the job must not go on showing RUNNING
      LOG.error("job {} crashed", job.id(), e);
      setState(JobState.ERROR, FerryException.fatal("INTERNAL", "job " + job.id() + ": unexpected failure: " + e,
          "Report this; the job stays at its last checkpoint.", e));
    } finally {
      MDC.remove("job");
      done.countDown();
    }
  }

  /** Attempts until stopped, paused or failed for good; a failure after progress resets the budget. */
  private JobState supervise() throws InterruptedException {
    int failures = 0;
    long backoff = 500;
    while (!stopRequested) {
      JobStats before = stats;
      try {
        return attempt();
      } catch (FerryException e) {
        boolean progressed = stats != null && stats != before;
        failures = progressed ? 1 : failures + 1;
        backoff = progressed ? 500 : backoff;
        if (!e.retriable() || failures > options.retryBudget()) {
          throw e;
        }
        LOG.warn("job {}: {} (retry {} of {} in {} ms)", job.id(), e.describe(), failures, options.retryBudget(), backoff);
        error = e;
        setState(JobState.STARTING, e);
      }
      pause(backoff);
      backoff = Math.min(backoff * 2, options.maxBackoff().toMillis());
    }
    return JobState.STOPPED;
  }

  private JobState attempt() throws InterruptedException {
    try (LocalFiles files = LocalFiles.create();
         Connection source = Jdbc.connect(job.source(), "source", job.id(), null);
         Connection destination = Jdbc.connect(job.destination(), "destination", job.id(),
             Applier.CONNECTION_OPTIONS + "&" + files.driverOption());
         SessionWatchdog watchdog = SessionWatchdog.start(job.id(), stallMillis(), probeMillis(), List.of(
             new SessionWatchdog.Watched("source", job.source(), source),
             new SessionWatchdog.Watched("destination", job.destination(), destination)))) {
      try {
        return attempt(source, destination, files, watchdog);
      } catch (OutOfMemoryError e) {
        throw FerryException.outOfMemory("job " + job.id(), e);
      } catch (RuntimeException | SQLException e) {
        // a session the watchdog ended fails with whatever the code in that call makes of it; say why
        FerryException why = watchdog.tripped();
        if (why != null) {
          why.addSuppressed(e);
          throw why;
        }
        throw e;
      }
    } catch (SQLException e) {
      throw setupFailure(e);
    }
  }

  /** A stuck call is one that has not returned for three heartbeat intervals (as a silent source). */
  private long stallMillis() {
    return TimeUnit.SECONDS.toMillis(job.tuning().heartbeatSeconds()) * 3;
  }

  /** How long a new connection may take to answer before its server counts as unreachable. */
  private long probeMillis() {
    return Math.max(2_000, TimeUnit.SECONDS.toMillis(job.tuning().heartbeatSeconds()) * 2);
  }

  private JobState attempt(Connection source, Connection destination, LocalFiles files, SessionWatchdog watchdog)
      throws InterruptedException, SQLException {
    Pipeline.Session session = new SessionSetup(job, options, binlogEvents).prepare(source, destination, files);
    if (session.copy() != null) {
      session.copy().endSessionsWith(watchdog);
    }
    JobListener tracking = new JobListener() {
      @Override
      public void onState(String id, JobState s, FerryException e) {
        if (s == JobState.PAUSED) {
          error = e;
        }
        setState(s, e);
      }

      @Override
      public void onCheckpoint(String id, JobStats s) {
        stats = s;
        listener.onCheckpoint(id, s);
      }
    };
    try {
      pipeline = new Pipeline(job, options, tracking, session, () -> stopRequested, watchdog::pulse);
      return pipeline.run();
    } finally {
      pipeline = null;
      session.applier().close();
      if (session.copy() != null) {
        session.copy().close();
      }
    }
  }

  /** A statement failed while setting up; which server ran it is not known here, so both are named. */
  private FerryException setupFailure(SQLException e) {
    int code = e.getErrorCode();
    String message = "job " + job.id() + ": setting up against source " + job.source().describe() + " and destination "
        + job.destination().describe() + " failed (error " + code + ", state " + e.getSQLState() + "): " + e.getMessage();
    if (code == 1044 || code == 1142 || code == 1143 || code == 1227 || code == 1370) { // access denied: retrying won't help
      return FerryException.fatal("SETUP_PRIVILEGES", message, "Grant the missing privilege named in the message to "
          + "that server's user (see the README's 'Privileges' section), then restart the job.", e);
    }
    return FerryException.retriable("SETUP_FAILED", message, "Ferry retries; check both servers.", e);
  }

  private void pause(long millis) throws InterruptedException {
    synchronized (wake) {
      if (!stopRequested) {
        wake.wait(millis);
      }
    }
  }

  private void setState(JobState next, FerryException why) {
    state = next;
    if (why != null) {
      error = why;
    }
    listener.onState(job.id(), next, why);
  }
}
