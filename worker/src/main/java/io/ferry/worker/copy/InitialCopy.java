package io.ferry.worker.copy;

import io.ferry.worker.apply.DdlHandler;
import io.ferry.worker.checkpoint.CheckpointStore;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.StartPosition;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.jdbc.Jdbc;
import io.ferry.worker.jdbc.LocalFiles;
import io.ferry.worker.jdbc.SessionWatchdog;
import io.ferry.worker.position.BinlogPosition;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A job's initial copy, interleaved with the binlog stream (see "The initial copy" in
 * docs/ARCHITECTURE.md).
 *
 * <p>Each {@link #step} runs on the applier thread at a source-transaction boundary, where the
 * destination holds every change before the applier's position {@code at} and the applier has nothing
 * open; the stream waits until the step ends. Meanwhile up to {@code parallel} lanes, each with its own
 * source and destination sessions, copy chunks of tables and key ranges: a lane reads the next chunk of
 * its range in a consistent snapshot whose binlog position {@code S} is not before {@code at}, and writes
 * it with full-row REPLACEs in a destination transaction of its own, fenced by the job's epoch (a shared
 * lock on the checkpoint row), that commits the chunk with its range's progress. After the step the
 * stream replays the changes from {@code at} on over the chunks: each is a full-row upsert or delete by
 * key, so every row a chunk holds ends at its state after the last of them — the state at {@code S} —
 * and from there on follows the stream. Changes to rows no chunk has reached yet are applied as they
 * come and later replaced by their chunk. No key comparison happens in Ferry; the server orders and
 * ranges the keys itself.
 *
 * <p>A table without a key (copied only when the job says {@code keyless: copy}) is read whole in one
 * snapshot at {@code S} and written in one destination transaction that first empties the table and
 * records {@code S} with the table's progress; the stream skips the table's changes of every source
 * transaction before {@code S} (and all of them until the copy has committed), see {@link #skips}.
 *
 * <p>The parts: {@link CopyPlanner} plans a new job's copy, with {@link KeyRanges} cutting a keyed table
 * into ranges; {@link CopyReadiness} says which ranges may be copied now (a DDL still in the stream may
 * have to pass first); {@link CopyLane} copies them chunk by chunk, {@link WholeTableCopy} copies a keyless
 * table, {@link CopyStore} records each range's progress with its chunk, and {@link KeyBuilder} adds the
 * secondary keys deferred until a table is copied.
 */
public final class InitialCopy implements AutoCloseable, DdlHandler.CopyHooks {
  private static final Logger LOG = LoggerFactory.getLogger(InitialCopy.class);

  private final JobConfig job;
  private final StartPosition.Snapshot options;
  private final CopyStore store;
  private final CheckpointStore checkpoints;
  private final long epoch;
  private final List<CopyStore.TableProgress> tables;
  private final boolean hasWhole;
  private final Connection source;
  private final LocalFiles files;
  private final Clock clock;
  private final Map<String, TablePlan> plans = new ConcurrentHashMap<>();
  private final CopyReadiness readiness;
  private final List<CopyLane> lanes = new ArrayList<>();
  private final KeyBuilder keys;
  /** Ends the lanes' sessions when a server stops answering (see {@link #endSessionsWith}); null: none. */
  private SessionWatchdog watchdog;
  private ExecutorService pool;
  private final AtomicLong rowsThisRun = new AtomicLong();
  private long firstStepAt;

  private InitialCopy(JobConfig job, CopyStore store, List<CopyStore.TableProgress> tables, Connection source,
                      LocalFiles files, Clock clock, long epoch, DeferredKeys deferred,
                      Map<String, List<String>> deferredKeys) {
    this.job = job;
    this.options = job.start() instanceof StartPosition.Snapshot s ? s : new StartPosition.Snapshot();
    this.store = store;
    this.checkpoints = new CheckpointStore(job.tuning().ferrySchema(), job.id());
    this.epoch = epoch;
    this.tables = tables;
    this.hasWhole = tables.stream().anyMatch(t -> t.whole);
    this.source = source;
    this.files = files;
    this.clock = clock;
    this.keys = new KeyBuilder(job, deferred, checkpoints, epoch, deferredKeys);
    this.readiness = new CopyReadiness(job, source, store, tables, plans);
  }

  /**
   * What {@link #resume} found: the copy a job still has to do, or, when it has none, the final progress
   * of its finished copy, read from its record (a restarted or moved job still shows what its copy did).
   *
   * @param copy the copy still to do; null when none is left
   * @param finished when {@code copy} is null, the progress of the finished copy; null when the job never
   *     copied (or {@code copy} is not null)
   */
  public record Resumed(InitialCopy copy, CopyProgress finished) {}

  /**
   * The copy a job still has to do, or none (never planned, or finished, no table copied whole still has
   * changes before its read in the stream from {@code start}, and no table still waits for the secondary
   * keys it was created without, see {@link DeferredKeys}); then the progress of a finished copy, if any.
   *
   * @param files the directory the destination sessions may send LOAD DATA LOCAL files from
   * @param epoch the epoch that owns the job (fences every lane's transaction)
   * @param start where the stream resumes
   */
  public static Resumed resume(JobConfig job, Connection source, Connection dest, LocalFiles files,
                               Clock clock, long epoch, BinlogPosition start) throws SQLException {
    CopyStore store = new CopyStore(job.tuning().ferrySchema(), job.id());
    store.ensureTable(dest);
    List<CopyStore.TableProgress> tables = store.load(dest);
    boolean skipping = tables.stream().anyMatch(t -> t.whole && t.done && t.snapshotAt != null
        && start.compareTo(t.snapshotAt) < 0);
    DeferredKeys deferred = new DeferredKeys(job.tuning().ferrySchema(), job.id());
    Map<String, List<String>> deferredKeys = deferred.load(dest);
    if (tables.stream().allMatch(t -> t.done) && !skipping && deferredKeys.isEmpty()) {
      return new Resumed(null, tables.isEmpty() ? null : CopyProgress.of(tables, 0, null));
    }
    return new Resumed(new InitialCopy(job, store, tables, source, files, clock, epoch, deferred, deferredKeys), null);
  }

  public boolean done() {
    return current() == null && keys.done();
  }

  public CopyProgress progress() {
    long elapsed = firstStepAt == 0 ? 0 : clock.millis() - firstStepAt;
    double rate = elapsed <= 0 ? 0 : rowsThisRun.get() * 1000.0 / elapsed;
    CopyStore.TableProgress now = current();
    return CopyProgress.of(tables, rate, now == null ? keys.current() : now.name());
  }

  /**
   * Whether the stream skips a rows event of {@code database.table} in the source transaction that
   * begins at {@code transactionStart}: true for a table copied whole while its copy has not committed,
   * and for a transaction before the position of the read that copied it (the copy holds its changes,
   * and a keyless row is not idempotent). Called on the applier thread.
   */
  public boolean skips(String database, String table, BinlogPosition transactionStart) {
    if (!hasWhole) {
      return false;
    }
    for (CopyStore.TableProgress t : tables) {
      if (t.whole && t.table.equals(table) && t.database.equals(database)) {
        return !t.done || (t.snapshotAt != null && transactionStart.compareTo(t.snapshotAt) < 0);
      }
    }
    return false;
  }

  /**
   * Follows tables a RENAME TABLE moved, so their copy goes on under the new name; recorded in the DDL's
   * destination transaction.
   */
  @Override
  public void renamed(Connection dest, List<String[]> renames) throws SQLException {
    for (String[] r : renames) {
      String old = r[0] + "." + r[1];
      keys.renamed(dest, r);
      boolean moved = false;
      for (CopyStore.TableProgress t : tables) {
        if (t.database.equals(r[0]) && t.table.equals(r[1])) {
          t.database = r[2];
          t.table = r[3];
          store.rename(dest, t);
          moved = true;
        }
      }
      if (moved) {
        LOG.info("job {}: the copy of {} goes on as {}.{} (renamed)", job.id(), old, r[2], r[3]);
        readiness.forget(old);
      }
    }
  }

  /** Adds the keys deferred on tables a DDL is about to change, so it meets them as the source has them. */
  @Override
  public void beforeDdl(List<String[]> ddlTables) {
    keys.addNow(ddlTables);
  }

  /** Forgets the table shapes it knows (a DDL passed). */
  public void schemaChanged() {
    readiness.schemaChanged();
  }

  /**
   * The job's watchdog ends the lanes' sessions with the job's own when a server stops answering: the
   * stream waits on the lanes' threads during a step, so without it a blackholed server would hold the
   * step until the driver's socket timeout. Call before the first {@link #step}.
   */
  public void endSessionsWith(SessionWatchdog watchdog) {
    this.watchdog = watchdog;
    keys.endSessionsWith(watchdog);
  }

  /**
   * Copies chunks on the lanes for about {@code budgetMillis}, while the applier, at {@code at} with
   * nothing open, waits; each chunk commits on its lane. Writes in {@code dest}'s open transaction only
   * the end of tables gone from the source; the caller commits it with the checkpoint at {@code at}.
   * May copy nothing (a lock not granted, a destination whose schema change is still in the stream);
   * the caller simply steps again later. Lanes end early, after the chunk in hand, once {@code stop}
   * says so. Meanwhile the secondary keys of tables whose copy is done are added (the step waits for
   * that, whatever its budget).
   */
  public void step(Connection dest, BinlogPosition at, long budgetMillis, BooleanSupplier stop) {
    if (done()) {
      return;
    }
    if (firstStepAt == 0) {
      firstStepAt = clock.millis();
    }
    long deadline = clock.millis() + budgetMillis;
    Deque<CopyStore.TableProgress> work;
    try {
      work = readiness.ready(dest, at, options.parallel());
    } catch (SQLException e) {
      FerryException f = Jdbc.classify(e, job.destination(), "destination", job.id());
      throw new FerryException(f.code(), f.getMessage() + " (preparing the initial copy)", f.remedy(), f.retriable(), e);
    }
    Future<List<KeyBuilder.Pending>> building = keys.startCopied(tables);
    if (work.isEmpty() && building == null) {
      return;
    }
    List<Future<?>> running = new ArrayList<>();
    if (!work.isEmpty()) {
      openLanes();
    }
    for (int i = 0; i < Math.min(lanes.size(), work.size()); i++) {
      CopyLane lane = lanes.get(i);
      running.add(pool.submit(() -> {
        lane.run(work, at, deadline, stop);
        return null;
      }));
    }
    RuntimeException failure = null;
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = failure != null ? failure : FerryException.retriable("COPY_INTERRUPTED", "job " + job.id()
            + ": interrupted while the copy lanes ran", "Ferry retries.", e);
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
      }
    }
    if (building != null) {
      try {
        keys.forget(building.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = failure != null ? failure : FerryException.retriable("COPY_INTERRUPTED", "job " + job.id()
            + ": interrupted while secondary keys were added", "Ferry retries.", e);
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void openLanes() {
    if (pool != null) {
      return;
    }
    int n = options.parallel();
    pool = Executors.newFixedThreadPool(n, r -> {
      Thread t = new Thread(() -> {
        MDC.put("job", job.id());
        r.run();
      }, "ferry-copy-lane-" + job.id());
      t.setDaemon(true);
      return t;
    });
    LaneContext context = new LaneContext(job, options, store, checkpoints, epoch, files, clock, watchdog, plans,
        rowsThisRun);
    for (int i = 0; i < n; i++) {
      lanes.add(new CopyLane(context, i));
    }
    LOG.info("job {}: the initial copy runs {} lanes, chunks of {} rows or {} MB", job.id(), n, options.chunkRows(),
        options.chunkBytes() >> 20);
  }

  private CopyStore.TableProgress current() {
    for (CopyStore.TableProgress t : tables) {
      if (!t.done) {
        return t;
      }
    }
    return null;
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
    lanes.forEach(CopyLane::close);
    keys.shutdown();
  }
}
