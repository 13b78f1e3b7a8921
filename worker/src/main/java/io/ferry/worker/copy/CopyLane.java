package io.ferry.worker.copy;

import io.ferry.worker.apply.Applier;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.jdbc.Jdbc;
import io.ferry.worker.position.BinlogPosition;
import io.ferry.worker.schema.SchemaReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One copy lane: a source session that reads chunks (and another for LOCK TABLES and definitions), a
 * destination session whose transactions each commit one chunk with its range's progress, fenced by
 * the job's epoch, and a thread that writes a chunk while the lane reads the next. A range is copied
 * by one lane at a time.
 */
final class CopyLane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CopyLane.class);
  /** How long a snapshot may stand behind the applier (a commit the binlog shows before the engine does). */
  static final int BEHIND_ATTEMPTS = 200;
  /** A lane's destination session idle this long is ended by the server (a frozen lane's locks go with it). */
  private static final int LANE_IDLE_SECONDS = 60;
  /** How often a chunk is written again after a deadlock or lock wait timeout. */
  private static final int DEADLOCK_ATTEMPTS = 5;

  private final LaneContext ctx;
  private final JobConfig job;
  private final int id;
  private final ChunkReader reader;
  private Connection dest;
  private final ChunkWriter writer;
  private final ChunkSink sink;
  /** The handles that have the watchdog end this lane's sessions. */
  private final List<AutoCloseable> watched = new ArrayList<>();
  private AutoCloseable watchedDest;

  CopyLane(LaneContext ctx, int id) {
    this.ctx = ctx;
    this.job = ctx.job();
    this.id = id;
    Connection data = Jdbc.connect(job.source(), "source", job.id(), null);
    Connection control = null;
    Connection d = null;
    try {
      control = Jdbc.connect(job.source(), "source", job.id(), null);
      d = Jdbc.connect(job.destination(), "destination", job.id(),
          Applier.CONNECTION_OPTIONS + "&" + ctx.files().driverOption());
      prepareDestination(d);
      this.reader = new ChunkReader(data, control, null);
    } catch (SQLException | RuntimeException e) {
      for (Connection c : new Connection[] {data, control, d}) {
        try {
          if (c != null) {
            c.close();
          }
        } catch (SQLException ignored) {
          // failing anyway
        }
      }
      throw e instanceof SQLException s ? Jdbc.classify(s, job.destination(), "destination", job.id())
          : (RuntimeException) e;
    }
    this.dest = d;
    if (ctx.watchdog() != null) {
      watched.add(ctx.watchdog().alsoEnd(data));
      watched.add(ctx.watchdog().alsoEnd(control));
      watchedDest = ctx.watchdog().alsoEnd(d);
    }
    this.writer = new ChunkWriter(ctx.files().dir(), "chunk-" + id + ".tsv");
    this.sink = new ChunkSink(job.id(), id);
  }

  /**
   * The applier's session settings, and a short {@code wait_timeout}: a takeover ends a hung applier's
   * session itself (see {@code Takeover}), and a lane frozen inside a transaction (its process stopped or
   * cut off) has its session ended by the server after this long idle, which rolls its chunk back and
   * frees its locks (the shared one on the checkpoint row included) for the new owner.
   */
  private void prepareDestination(Connection d) throws SQLException {
    Applier.prepareSession(d);
    try (Statement s = d.createStatement()) {
      s.execute("SET SESSION wait_timeout = " + LANE_IDLE_SECONDS);
    }
  }

  /** Opens the destination session again when the server ended it (idle past its wait_timeout). */
  private void ensureDestination() throws SQLException {
    if (dest.isValid(5)) {
      return;
    }
    try {
      dest.close();
    } catch (SQLException e) {
      // gone already
    }
    dest = Jdbc.connect(job.destination(), "destination", job.id(), Applier.CONNECTION_OPTIONS + "&"
        + ctx.files().driverOption());
    if (ctx.watchdog() != null) {
      unwatch(watchedDest);
      watchedDest = ctx.watchdog().alsoEnd(dest);
    }
    prepareDestination(dest);
    LOG.info("job {}: copy lane {} opened its destination session again", job.id(), id);
  }

  /** Copies ranges taken from {@code work} until the deadline passes, the work runs out, or stop. */
  void run(Deque<CopyStore.TableProgress> work, BinlogPosition at, long deadline, BooleanSupplier stop) {
    CopyStore.TableProgress t = null;
    try {
      ensureDestination();
      while (!stop.getAsBoolean()) {
        if (t == null || t.done) {
          synchronized (work) {
            t = work.poll();
          }
          if (t == null) {
            break;
          }
        }
        TablePlan plan = ctx.plans().get(t.name());
        if (plan == null) {
          t = null; // its definition changed: planned again at the next step
          continue;
        }
        if (t.whole) {
          sink.await(); // the lane's chunk in flight uses the destination session
          WholeTableCopy.copy(ctx, reader, writer, dest, plan, t, at);
          t = null;
          continue;
        }
        ChunkReader.Chunk chunk = read(plan, t, at);
        if (chunk == null) {
          t = null; // a lock not granted, or a definition that changed: the next step tries again
          continue;
        }
        t.lastKey = chunk.lastKey();
        t.rowsCopied += chunk.rows().size();
        t.done = chunk.endOfTable();
        ctx.rowsThisRun().addAndGet(chunk.rows().size());
        CopyStore.TableProgress progress = t.copy();
        List<byte[][]> rows = chunk.rows();
        sink.submit(() -> {
          for (int attempt = 1; ; attempt++) {
            try {
              writer.write(dest, plan, rows);
              ctx.store().record(dest, progress);
              ctx.checkpoints().fence(dest, ctx.epoch()); // last: the shared lock is held only for the commit
              dest.commit();
              return;
            } catch (SQLException e) {
              rollback();
              // Lanes load disjoint key ranges, but a secondary unique index's duplicate checks can
              // still lock across them: a deadlock or lock wait rolls the chunk back; it is written again.
              if ((e.getErrorCode() != 1213 && e.getErrorCode() != 1205) || attempt >= DEADLOCK_ATTEMPTS) {
                throw e;
              }
              LOG.info("job {}: a chunk of {} met a lock conflict ({}); writing it again", job.id(), plan.sourceName(),
                  e.getMessage());
            } catch (RuntimeException e) {
              rollback();
              throw e;
            }
          }
        });
        if (t.done) {
          LOG.info("job {}: copied {}{} ({} rows)", job.id(), t.name(),
              t.end == null ? "" : " up to key " + plan.describeKey(t.end), t.rowsCopied);
        }
        if (ctx.clock().millis() >= deadline) {
          break;
        }
      }
      sink.await();
    } catch (SQLException e) {
      sink.settle();
      rollback();
      String table = t == null ? "" : " (copying " + t.name() + ")";
      FerryException f = Jdbc.classify(e, job.destination(), "destination", job.id());
      throw new FerryException(f.code(), f.getMessage() + table, f.remedy(), f.retriable(), e);
    } catch (RuntimeException e) {
      sink.settle();
      rollback();
      throw e;
    }
  }

  /** Reads the range's next chunk at a snapshot not behind {@code at}, or null to try again later. */
  private ChunkReader.Chunk read(TablePlan plan, CopyStore.TableProgress t, BinlogPosition at) throws SQLException {
    for (int attempt = 0; attempt < BEHIND_ATTEMPTS; attempt++) {
      ChunkReader.Chunk chunk;
      try {
        chunk = reader.read(plan, t.lastKey, t.end, ctx.options().chunkRows(), ctx.options().chunkBytes());
      } catch (SQLException e) {
        if (e.getErrorCode() == 1146 || e.getErrorCode() == 1054 || e.getErrorCode() == 1412) {
          ctx.plans().remove(t.name()); // dropped, altered, or rebuilt since the plan: plan again
          return null;
        }
        FerryException f = Jdbc.classify(e, job.source(), "source", job.id());
        throw new FerryException(f.code(), f.getMessage() + " (reading " + plan.sourceName()
            + " for the initial copy)", f.remedy(), f.retriable(), e);
      }
      if (chunk == null) {
        return null;
      }
      if (!plan.def.equals(SchemaReader.read(reader.control(), t.database, t.table))) {
        ctx.plans().remove(t.name()); // the definition changed around the read: plan again
        return null;
      }
      if (at.file().isEmpty() || chunk.at().compareTo(at) >= 0) {
        return chunk;
      }
      // The binlog already shows a transaction whose engine commit the snapshot did not see yet.
      LockSupport.parkNanos(5_000_000L);
    }
    throw FerryException.retriable("COPY_SNAPSHOT_BEHIND", "job " + job.id() + ": the source's snapshots of "
        + plan.sourceName() + " stayed behind binlog position " + at, "Ferry retries; check the source for stalled"
        + " commits.", null);
  }

  private void rollback() {
    try {
      dest.rollback();
    } catch (SQLException e) {
      // the session is failing anyway; an open transaction ends with it
    }
  }

  private static void unwatch(AutoCloseable handle) {
    try {
      if (handle != null) {
        handle.close();
      }
    } catch (Exception e) {
      // only a set removal
    }
  }

  @Override
  public void close() {
    watched.forEach(CopyLane::unwatch);
    unwatch(watchedDest);
    sink.close();
    reader.close();
    try {
      dest.close();
    } catch (SQLException e) {
      // gone either way
    }
  }
}
