package io.ferry.worker;

import io.ferry.worker.apply.Applier;
import io.ferry.worker.apply.DdlHandler;
import io.ferry.worker.binlog.BinlogReader;
import io.ferry.worker.binlog.ChangeEvent;
import io.ferry.worker.binlog.EventQueue;
import io.ferry.worker.config.DdlPolicy;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.copy.CopyProgress;
import io.ferry.worker.copy.InitialCopy;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.position.BinlogFiles;
import io.ferry.worker.position.BinlogPosition;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at running a job: the binlog reader on its thread feeding the bounded queue, and the
 * apply loop on the calling (runner) thread. Destination batches always end at a source transaction
 * boundary and commit rows and checkpoint together. Returns when asked to stop or when a DDL pauses
 * the job; throws the first failure otherwise.
 */
final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
  /** How often an idle job records a position that moved through other tables' transactions. */
  private static final long IDLE_CHECKPOINT_MILLIS = 1_000;
  /**
   * The least time a step of the initial copy holds the stream: the copy lanes wait for each other at
   * the end of a step, and a lane's first chunk of a step is read while its writer idles, so short steps
   * leave lanes idle (a job with batchMaxMillis 0 still copies one chunk per step).
   */
  private static final long COPY_STEP_MILLIS = 1_000;

  private final JobConfig job;
  private final JobOptions options;
  private final JobListener listener;
  private final Session session;
  private final BooleanSupplier stopRequested;
  private final Runnable pulse;
  private BinlogPosition pending;      // restart position after the last source transaction seen
  private BinlogPosition committed;
  private long pendingSince;
  private long lastCommitAt;
  private long lastSourceTimestamp;
  /**
   * When the oldest change taken from the stream and not committed yet was written at the source (its
   * event's time; the time it was taken when the event has none), 0 when everything taken is committed:
   * read by other threads, so a job stuck before its next commit shows a lag that grows.
   */
  private volatile long uncommittedSince;
  private long rowsApplied;
  private long transactionsApplied;
  private long transactionsInBatch;
  private boolean atBoundary = true;
  private long lastDestinationCheck;
  private boolean copying;
  private long nextCopyAt;
  private CopyProgress copyProgress;

  /**
   * What {@link JobRunner} prepared: the claimed epoch and position, the applier and DDL handler, the
   * initial copy still to do (null when none), and the binlog files' creation times the checkpoint
   * records (the reader adds each file it begins); {@code finishedCopy} is what a copy an earlier run
   * finished did (null when none), shown as the job's copy progress; the reader counts the binlog
   * events it reads into {@code binlogEvents}.
   */
  record Session(long epoch, BinlogPosition start, Applier applier, DdlHandler ddl, InitialCopy copy,
                 BinlogFiles files, CopyProgress finishedCopy, AtomicLong binlogEvents) {}

  Pipeline(JobConfig job, JobOptions options, JobListener listener, Session session, BooleanSupplier stopRequested,
           Runnable pulse) {
    this.pulse = pulse;
    this.job = job;
    this.options = options;
    this.listener = listener;
    this.session = session;
    this.stopRequested = stopRequested;
    this.committed = session.start();
  }

  /** Runs until stopped (returns RUNNING's successor state) or failed (throws). */
  JobState run() throws InterruptedException {
    EventQueue queue = new EventQueue(job.tuning().queueCapacity(), job.tuning().queueMaxBytes());
    BinlogReader reader = new BinlogReader(job, session.start(), queue, session.files())
        .countingInto(session.binlogEvents());
    Applier applier = session.applier();
    reader.start();
    copying = session.copy() != null && !session.copy().done();
    copyProgress = session.copy() == null ? session.finishedCopy() : session.copy().progress();
    listener.onState(job.id(), copying ? JobState.SNAPSHOT : JobState.RUNNING, null);
    long silenceLimit = TimeUnit.SECONDS.toMillis(job.tuning().heartbeatSeconds()) * 3;
    try {
      while (true) {
        pulse.run();
        if (stopRequested.getAsBoolean()) {
          finishOnStop(applier);
          return JobState.STOPPED;
        }
        if (copying && atBoundary && (queue.isEmpty() || options.clock().millis() >= nextCopyAt)) {
          copyStep(applier, reader);
          continue;
        }
        ChangeEvent event = queue.poll(100, TimeUnit.MILLISECONDS);
        long now = options.clock().millis();
        if (event != null && uncommittedSince == 0 && !(event instanceof ChangeEvent.Heartbeat)) {
          uncommittedSince = event.timestamp() > 0 ? event.timestamp() : now;
        }
        if (event == null) {
          FerryException failure = reader.failure();
          if (failure != null) {
            applier.rollback();
            throw failure;
          }
          if (now - reader.lastEventAt() > silenceLimit) {
            reader.stall(now - reader.lastEventAt());
          }
          if (pending != null && atBoundary && (applier.isOpen() || now - lastCommitAt >= IDLE_CHECKPOINT_MILLIS)) {
            commit(applier, now);
          } else if (!applier.isOpen() && now - lastDestinationCheck >= silenceLimit / 3) {
            lastDestinationCheck = now;
            checkDestination(applier);
          }
          continue;
        }
        JobState paused = handle(event, applier, queue, now);
        if (paused != null) {
          return paused;
        }
      }
    } finally {
      reader.stop();
    }
  }

  /**
   * One step of the initial copy at this transaction boundary: the lanes copy chunks, each committed
   * on its own session, while the stream waits at the checkpoint. While the stream has events waiting,
   * it gets as much time as the step took before the next step.
   */
  private void copyStep(Applier applier, BinlogReader reader) {
    FerryException failure = reader.failure();
    if (failure != null) {
      applier.rollback();
      throw failure;
    }
    long began = options.clock().millis();
    if (pending != null) {
      commit(applier, began);
    }
    InitialCopy copy = session.copy();
    // A step of the copy holds the stream at one position for about batchMaxMillis, at least a second.
    long budget = job.tuning().batchMaxMillis() == 0 ? 0 : Math.max(job.tuning().batchMaxMillis(), COPY_STEP_MILLIS);
    copy.step(applier.connection(), committed, budget, stopRequested);
    applier.commit(committed);
    long now = options.clock().millis();
    nextCopyAt = now + (now - began);
    lastCommitAt = now;
    copyProgress = copy.progress();
    publish(now);
    if (copy.done()) {
      copying = false;
      LOG.info("job {}: initial copy done ({} tables, {} rows); streaming from {}", job.id(),
          copyProgress.tablesTotal(), copyProgress.rowsCopied(), committed);
      listener.onState(job.id(), JobState.RUNNING, null);
    }
  }

  private JobState handle(ChangeEvent event, Applier applier, EventQueue queue, long now) {
    if (event instanceof ChangeEvent.Rows rows) {
      atBoundary = false;
      apply(rows, applier);
    } else if (event instanceof ChangeEvent.Commit c) {
      onCommit(c, applier, queue, now);
    } else if (event instanceof ChangeEvent.XaPrepare p) {
      // the first half of a two-phase XA: its rows wait in the destination, committed with the position
      applier.holdXa(p.xid(), p.rows());
      onCommit(new ChangeEvent.Commit(p.position(), p.timestamp()), applier, queue, now);
    } else if (event instanceof ChangeEvent.XaOutcome o) {
      // its outcome, a source transaction of its own: the held rows are applied (or dropped) here, in order
      List<ChangeEvent.Rows> held = applier.takeXa(o.xid());
      if (held == null) {
        applier.rollback();
        throw FerryException.fatal("XA_BEFORE_START", "job " + job.id() + ": the source " + (o.commit() ? "commits"
            : "rolls back") + " the XA transaction " + o.xid() + " (at " + o.position() + "), prepared before the"
            + " job's start position, so its rows (if it changed replicated tables) were never read",
            "Re-copy the job's tables (start: snapshot) while no XA transaction is prepared on the source"
            + " (XA RECOVER lists none); the job stays before this transaction.");
      }
      for (ChangeEvent.Rows rows : held) {
        if (o.commit()) {
          apply(rows, applier);
        }
      }
      onCommit(new ChangeEvent.Commit(o.position(), o.timestamp()), applier, queue, now);
    } else if (event instanceof ChangeEvent.Ddl ddl) {
      return onDdl(ddl, applier, now);
    } else if (queue.isEmpty() && atBoundary && !applier.isOpen()) {
      lastSourceTimestamp = 0; // a heartbeat with nothing left to apply: caught up
    }
    return null;
  }

  private void apply(ChangeEvent.Rows rows, Applier applier) {
    InitialCopy copy = session.copy();
    // A table the copy reads whole takes no change its read holds (keyless rows are not idempotent).
    if (copy == null || !copy.skips(rows.table().getDatabase(), rows.table().getTable(),
        pending != null ? pending : committed)) {
      applier.apply(rows);
    }
  }

  /**
   * An idle job would notice a lost destination only at its next write, showing RUNNING meanwhile;
   * a cheap validity check every heartbeat interval turns that into a retried failure at once.
   */
  private void checkDestination(Applier applier) {
    boolean valid;
    try {
      valid = applier.connection().isValid(2);
    } catch (java.sql.SQLException e) {
      valid = false;
    }
    if (!valid) {
      throw FerryException.retriable("DESTINATION_UNREACHABLE", "job " + job.id() + ": destination "
          + job.destination().describe() + " does not answer", "Ferry reconnects with backoff; check the server.", null);
    }
  }

  private void onCommit(ChangeEvent.Commit c, Applier applier, EventQueue queue, long now) {
    atBoundary = true;
    if (pending == null) {
      pendingSince = now;
    }
    pending = c.position();
    if (applier.isOpen()) {
      transactionsInBatch++;
    }
    if (c.timestamp() > 0) {
      lastSourceTimestamp = c.timestamp();
    }
    boolean full = applier.rowsInTransaction() >= job.tuning().batchMaxRows()
        || now - pendingSince >= job.tuning().batchMaxMillis();
    // Transactions of other tables move the checkpoint too, at most once a second: on a busy source the
    // queue is never idle long enough for the idle checkpoint, and a job whose tables are quiet would
    // otherwise keep a position ever further behind (a long replay after a restart, purged files).
    if (applier.isOpen() ? full || queue.isEmpty() : now - lastCommitAt >= IDLE_CHECKPOINT_MILLIS) {
      commit(applier, now);
    }
  }

  private JobState onDdl(ChangeEvent.Ddl ddl, Applier applier, long now) {
    if (pending != null && applier.isOpen()) {
      commit(applier, now);
    }
    if (session.copy() != null) {
      session.copy().schemaChanged();
    }
    DdlPolicy policy = job.ddl();
    if (options.resumeDdl() != null && ddl.start().compareTo(session.start()) == 0 && session.ddl().concernsJob(ddl)) {
      LOG.info("job {}: resuming past the DDL it paused at ({}): {}", job.id(), options.resumeDdl(), ddl.sql());
      policy = options.resumeDdl() == JobOptions.ResumeDdl.EXEC ? DdlPolicy.EXEC : DdlPolicy.IGNORE;
    }
    if (session.ddl().handle(ddl, policy) == DdlHandler.Outcome.STOP) {
      FerryException why = FerryException.fatal("DDL_STOP", "job " + job.id() + " paused at a schema change at "
          + ddl.start() + ": " + ddl.sql(), "Apply the change to the destination yourself and resume with the DDL "
          + "skipped, or resume with it executed (ferry replicate --resume-ddl skip|exec).");
      listener.onState(job.id(), JobState.PAUSED, why);
      return JobState.PAUSED;
    }
    pending = null;
    committed = ddl.position();
    lastCommitAt = now;
    publish(now);
    return null;
  }

  private void commit(Applier applier, long now) {
    long rows = applier.rowsInTransaction();
    applier.commit(pending);
    committed = pending;
    rowsApplied += rows;
    transactionsApplied += transactionsInBatch;
    transactionsInBatch = 0;
    pending = null;
    lastCommitAt = now;
    uncommittedSince = 0;
    publish(now);
  }

  /** The lag at {@code now} of a job that has not committed since it took a change, else 0. */
  double lagOfUncommitted(long now) {
    long since = uncommittedSince;
    return since == 0 ? 0 : Math.max(0, (now - since) / 1000.0);
  }

  private void publish(long now) {
    double lag = lastSourceTimestamp == 0 ? 0 : Math.max(0, (now - lastSourceTimestamp) / 1000.0);
    listener.onCheckpoint(job.id(), new JobStats(committed, rowsApplied, transactionsApplied, lag, session.epoch(),
        copyProgress));
  }

  /** Commits the batch in flight when it ends at a transaction boundary; otherwise rolls it back. */
  private void finishOnStop(Applier applier) {
    if (pending != null && atBoundary) {
      commit(applier, options.clock().millis());
    } else {
      applier.rollback();
    }
    LOG.info("job {}: stopped at {}", job.id(), committed);
  }
}
