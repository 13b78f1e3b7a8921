package io.ferry.worker.copy;

import io.ferry.worker.checkpoint.CheckpointStore;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.jdbc.Jdbc;
import io.ferry.worker.jdbc.SessionWatchdog;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Adds the keys {@link DeferredKeys} left out of the tables an initial copy fills: a table's keys once
 * all its ranges are copied (on a thread and destination session of its own, while the lanes copy other
 * tables), or at once when a DDL is about to change the table. Each table's keys go in one
 * {@code ALTER TABLE}, skipping those that exist already (an earlier run added them and stopped before
 * it forgot them); the record goes in a transaction fenced by the job's epoch.
 */
final class KeyBuilder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KeyBuilder.class);
  /** How long the ALTER waits for a table's metadata lock (a verify's open snapshot holds it). */
  private static final int LOCK_WAIT_SECONDS = 300;
  private static final int DUPLICATE_KEY_NAME = 1061;
  /** Errors of the moment (lock wait, deadlock, interrupted, shutdown, killed): tried again, not refused. */
  private static final Set<Integer> PASSING = Set.of(1205, 1213, 1317, 1053, 1927);

  /** A table's keys still to add; its names follow renames. */
  static final class Pending {
    String database;
    String table;
    final List<String> keys;

    Pending(String database, String table, List<String> keys) {
      this.database = database;
      this.table = table;
      this.keys = keys;
    }

    String name() {
      return database + "." + table;
    }
  }

  private final JobConfig job;
  private final DeferredKeys store;
  private final CheckpointStore checkpoints;
  private final long epoch;
  private final List<Pending> pending = new ArrayList<>();
  private SessionWatchdog watchdog;
  private Connection session;
  private AutoCloseable watched;
  private ExecutorService thread;

  KeyBuilder(JobConfig job, DeferredKeys store, CheckpointStore checkpoints, long epoch,
             Map<String, List<String>> keys) {
    this.job = job;
    this.store = store;
    this.checkpoints = checkpoints;
    this.epoch = epoch;
    keys.forEach((name, k) -> {
      int dot = name.indexOf('.');
      pending.add(new Pending(name.substring(0, dot), name.substring(dot + 1), k));
    });
  }

  void endSessionsWith(SessionWatchdog watchdog) {
    this.watchdog = watchdog;
  }

  boolean done() {
    return pending.isEmpty();
  }

  /** The first table whose keys are still to add, or null. */
  String current() {
    return pending.isEmpty() ? null : pending.get(0).name();
  }

  /**
   * Starts adding the keys of the tables whose copy is done (every range of theirs done, or none left),
   * on the builder's own thread; null when there are none. The caller waits for the result and then
   * calls {@link #forget} with it.
   */
  Future<List<Pending>> startCopied(List<CopyStore.TableProgress> ranges) {
    List<Pending> ready = new ArrayList<>();
    for (Pending p : pending) {
      if (ranges.stream().noneMatch(r -> !r.done && r.database.equals(p.database) && r.table.equals(p.table))) {
        ready.add(p);
      }
    }
    if (ready.isEmpty()) {
      return null;
    }
    if (thread == null) {
      thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(() -> {
          MDC.put("job", job.id());
          r.run();
        }, "ferry-copy-keys-" + job.id());
        t.setDaemon(true);
        return t;
      });
    }
    return thread.submit(() -> {
      for (Pending p : ready) {
        add(p);
      }
      return ready;
    });
  }

  /** Forgets tables whose keys were added. Called on the applier thread. */
  void forget(List<Pending> added) {
    pending.removeAll(added);
  }

  /**
   * Adds the keys of these source tables ({@code {db, table}}) now, on the calling thread: a DDL is about
   * to change them (the lanes are not running).
   */
  void addNow(List<String[]> tables) {
    for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (tables.stream().anyMatch(t -> t[0].equals(p.database) && t[1].equals(p.table))) {
        add(p);
        it.remove();
      }
    }
  }

  /** Follows a renamed table (inside the DDL's destination transaction). */
  void renamed(Connection dest, String[] r) throws SQLException {
    for (Pending p : pending) {
      if (p.database.equals(r[0]) && p.table.equals(r[1])) {
        store.rename(dest, r[0], r[1], r[2], r[3]);
        p.database = r[2];
        p.table = r[3];
      }
    }
  }

  private void add(Pending p) {
    String destDb = job.destinationDatabase(p.database);
    String sql = null;
    try {
      Connection c = session();
      for (int attempt = 1; ; attempt++) {
        List<String> existing = DeferredKeys.existingKeys(c, destDb, p.table);
        if (existing == null) {
          LOG.info("job {}: {}.{} is gone from the destination; its deferred keys are dropped with it", job.id(),
              destDb, p.table);
          break;
        }
        List<String> missing = p.keys.stream()
            .filter(k -> !existing.contains(DeferredKeys.name(k).toLowerCase(Locale.ROOT))).toList();
        if (missing.isEmpty()) {
          LOG.info("job {}: {}.{} has its secondary keys already (added by an earlier run)", job.id(), destDb,
              p.table);
          break;
        }
        sql = "ALTER TABLE " + Jdbc.quote(destDb, p.table) + " ADD " + String.join(", ADD ", missing);
        long began = System.nanoTime();
        try (Statement s = c.createStatement()) {
          s.execute(sql);
        } catch (SQLException e) {
          // 1061: a session of a run that died mid-ALTER (the server finishes it) added a key meanwhile
          if (e.getErrorCode() == DUPLICATE_KEY_NAME && attempt < 3) {
            continue;
          }
          throw e;
        }
        LOG.info("job {}: added {} secondary key(s) to {}.{} in {} ms", job.id(), missing.size(), destDb, p.table,
            (System.nanoTime() - began) / 1_000_000);
        break;
      }
      c.setAutoCommit(false);
      try {
        checkpoints.fence(c, epoch);
        store.added(c, p.database, p.table);
        c.commit();
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      FerryException f = Jdbc.classify(e, job.destination(), "destination", job.id());
      boolean refused = sql != null && f.code().endsWith("_SQL_ERROR") && !PASSING.contains(e.getErrorCode());
      if (!refused) {
        throw new FerryException(f.code(), f.getMessage() + " (adding the secondary keys of " + destDb + "."
            + p.table + " after its initial copy)", f.remedy(), f.retriable(), e);
      }
      throw FerryException.fatal("COPY_KEYS_FAILED", "job " + job.id() + ": adding the secondary keys that "
          + destDb + "." + p.table + " was created without for its initial copy failed on "
          + job.destination().describe() + " (error " + e.getErrorCode() + ": " + e.getMessage() + "): " + sql,
          "Add the keys by hand in a form that fits the table now (or leave them out), then delete the table's row"
              + " from " + job.tuning().ferrySchema() + ".copy_deferred_keys and restart the job.", e);
    }
  }

  private Connection session() throws SQLException {
    if (session != null && session.isValid(5)) {
      return session;
    }
    close();
    session = Jdbc.connect(job.destination(), "destination", job.id(), null);
    try (Statement s = session.createStatement()) {
      s.execute("SET SESSION lock_wait_timeout = " + LOCK_WAIT_SECONDS);
    }
    if (watchdog != null) {
      watched = watchdog.alsoEnd(session);
    }
    return session;
  }

  @Override
  public void close() {
    if (watched != null) {
      try {
        watched.close();
      } catch (Exception e) {
        // no longer watched either way
      }
      watched = null;
    }
    if (session != null) {
      try {
        session.close();
      } catch (SQLException e) {
        // gone either way
      }
      session = null;
    }
  }

  void shutdown() {
    if (thread != null) {
      thread.shutdownNow();
    }
    close();
  }
}
