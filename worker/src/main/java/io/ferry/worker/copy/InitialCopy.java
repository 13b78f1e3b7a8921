package io.ferry.worker.copy;

import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.StartPosition;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.jdbc.Jdbc;
import io.ferry.worker.jdbc.SourceQueries;
import io.ferry.worker.position.BinlogPosition;
import io.ferry.worker.preflight.DestinationPreflight;
import io.ferry.worker.preflight.Problem;
import io.ferry.worker.schema.SchemaReader;
import io.ferry.worker.schema.TableDef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's initial copy, interleaved with the binlog stream on the applier thread (see "The initial
 * copy" in docs/ARCHITECTURE.md).
 *
 * <p>Each {@link #step} runs at a source-transaction boundary, where the destination holds every change
 * before the applier's position {@code at}. It reads the next chunk of the current table in a
 * consistent snapshot whose binlog position {@code S} is not before {@code at}, and writes it with
 * full-row REPLACEs in the applier's transaction, which then commits it with the checkpoint (still
 * {@code at}) and the chunk's progress. The stream then replays the changes between {@code at} and
 * {@code S} over the chunk: each is a full-row upsert or delete by key, so every row the chunk holds ends
 * at its state after the last of them — the state at {@code S} — and from there on follows the stream.
 * Changes to rows no chunk has reached yet are applied as they come and later replaced by their chunk.
 * No key comparison happens in Ferry; the server orders and ranges the keys itself.
 */
public final class InitialCopy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InitialCopy.class);
  /** How long a snapshot may stand behind the applier (a commit the binlog shows before the engine does). */
  private static final int BEHIND_ATTEMPTS = 200;

  private final JobConfig job;
  private final StartPosition.Snapshot options;
  private final CopyStore store;
  private final List<CopyStore.TableProgress> tables;
  private final Connection source;
  private final ChunkReader reader;
  private final Clock clock;
  private final ChunkSink sink;
  private final Map<Integer, TablePlan> plans = new HashMap<>();
  private final Map<Integer, TableDef> destDefs = new HashMap<>();
  private BinlogPosition waitingForDdlUntil;
  private BinlogPosition missingSince;
  private long rowsThisRun;
  private long firstStepAt;

  private InitialCopy(JobConfig job, CopyStore store, List<CopyStore.TableProgress> tables, Connection source,
                      ChunkReader reader, ChunkWriter writer, Clock clock) {
    this.sink = new ChunkSink(job.id(), writer, store);
    this.job = job;
    this.options = job.start() instanceof StartPosition.Snapshot s ? s : new StartPosition.Snapshot();
    this.store = store;
    this.tables = tables;
    this.source = source;
    this.reader = reader;
    this.clock = clock;
  }

  /**
   * Plans the copy of a new job: every table needs a key (primary, else NOT NULL unique), and every
   * destination table must be empty unless the job says to overwrite (then it is emptied). Records the
   * plan in the caller's open destination transaction, which commits it with the first checkpoint.
   * Returns the problems found (nothing is recorded then).
   */
  public static List<Problem> plan(JobConfig job, Connection source, Connection dest, List<String[]> tables)
      throws SQLException {
    StartPosition.Snapshot options = (StartPosition.Snapshot) job.start();
    CopyStore store = new CopyStore(job.tuning().ferrySchema(), job.id());
    store.ensureTable(dest);
    List<Problem> problems = new ArrayList<>();
    List<String> keyless = new ArrayList<>();
    List<String[]> filled = new ArrayList<>();
    for (String[] t : tables) {
      TablePlan plan = TablePlan.read(source, t[0], t[1], job.destinationDatabase(t[0]));
      if (plan != null && !plan.hasKey()) {
        keyless.add(t[0] + "." + t[1]);
      } else if (plan != null && hasRows(dest, plan.destDatabase, t[1])) {
        filled.add(new String[] {plan.destDatabase, t[1]});
      }
    }
    if (!keyless.isEmpty()) {
      problems.add(new Problem("COPY_NO_KEY", "job " + job.id() + ": the initial copy needs a primary key or a NOT NULL"
          + " unique key, and these source tables have neither: " + String.join(", ", keyless),
          "Add a primary key to each, or exclude them from the job (tables.exclude), or start the job with "
              + "start: current and copy them yourself."));
    }
    if (!filled.isEmpty() && !options.overwrite()) {
      problems.add(new Problem("COPY_DESTINATION_NOT_EMPTY", "job " + job.id() + ": destination " + job.destination()
          .describe() + " already has rows in " + String.join(", ", filled.stream().map(f -> f[0] + "." + f[1]).toList()),
          "Empty those tables, or start the job "
          + "with start: {snapshot: {overwrite: true}} to have Ferry empty them, or use start: current."));
    }
    if (!problems.isEmpty()) {
      return problems;
    }
    try (Statement s = dest.createStatement()) {
      for (String[] f : filled) {
        s.execute("TRUNCATE TABLE " + Jdbc.quote(f[0], f[1]));
        LOG.info("job {}: emptied destination table {}.{} for the initial copy (overwrite)", job.id(), f[0], f[1]);
      }
    }
    List<CopyStore.TableProgress> planned = new ArrayList<>();
    for (String[] t : tables) {
      planned.add(new CopyStore.TableProgress(planned.size(), t[0], t[1], estimate(source, t[0], t[1]), null, 0, false));
    }
    store.plan(dest, planned);
    return List.of();
  }

  /**
   * The copy a job still has to do, or null when it has none (never planned, or finished).
   *
   * @param localFiles the directory {@code dest} may send LOAD DATA LOCAL files from (its own)
   */
  public static InitialCopy resume(JobConfig job, Connection source, Connection dest, java.nio.file.Path localFiles,
                                   Clock clock) throws SQLException {
    CopyStore store = new CopyStore(job.tuning().ferrySchema(), job.id());
    store.ensureTable(dest);
    List<CopyStore.TableProgress> tables = store.load(dest);
    if (tables.stream().allMatch(t -> t.done)) {
      return null;
    }
    Connection data = Jdbc.connect(job.source(), "source", job.id(), null);
    try {
      return new InitialCopy(job, store, tables, source, new ChunkReader(data, source, null),
          new ChunkWriter(localFiles), clock);
    } catch (SQLException | RuntimeException e) {
      data.close();
      throw e;
    }
  }

  public boolean done() {
    return current() == null;
  }

  public CopyProgress progress() {
    int done = 0;
    long copied = 0;
    long estimate = 0;
    for (CopyStore.TableProgress t : tables) {
      done += t.done ? 1 : 0;
      copied += t.rowsCopied;
      estimate += t.done ? t.rowsCopied : Math.max(t.rowsEstimate, t.rowsCopied);
    }
    long elapsed = firstStepAt == 0 ? 0 : clock.millis() - firstStepAt;
    double rate = elapsed <= 0 ? 0 : rowsThisRun * 1000.0 / elapsed;
    Long eta = rate <= 0 ? null : (long) Math.ceil((estimate - copied) / rate);
    CopyStore.TableProgress now = current();
    return new CopyProgress(done, tables.size(), copied, rate, eta, now == null ? null : now.database + "." + now.table);
  }

  /**
   * Follows tables a RENAME TABLE moved, so their copy goes on under the new name; recorded in the DDL's
   * destination transaction.
   */
  public void renamed(Connection dest, List<String[]> renames) throws SQLException {
    for (String[] r : renames) {
      for (CopyStore.TableProgress t : tables) {
        if (!t.done && t.database.equals(r[0]) && t.table.equals(r[1])) {
          LOG.info("job {}: the copy of {}.{} goes on as {}.{} (renamed)", job.id(), r[0], r[1], r[2], r[3]);
          t.database = r[2];
          t.table = r[3];
          store.rename(dest, t);
          missingSince = null;
          plans.remove(t.ordinal);
          destDefs.remove(t.ordinal);
        }
      }
    }
  }

  /** Forgets the table shapes it knows (a DDL passed). */
  public void schemaChanged() {
    plans.clear();
    destDefs.clear();
  }

  /**
   * Copies chunks into {@code dest}'s open transaction for about {@code budgetMillis}; the caller
   * commits them with the checkpoint at {@code at}, the applier's position, which does not move
   * meanwhile. The next chunk is read from the source while the destination loads the last one. May copy
   * nothing (a lock not granted, a destination whose schema change is still in the stream); the caller
   * simply steps again later. Ends early, after the chunk in hand, once {@code stop} says so.
   */
  public void step(Connection dest, BinlogPosition at, long budgetMillis, java.util.function.BooleanSupplier stop) {
    if (current() == null) {
      return;
    }
    if (firstStepAt == 0) {
      firstStepAt = clock.millis();
    }
    long deadline = clock.millis() + budgetMillis;
    CopyStore.TableProgress t = null;
    try {
      do {
        t = current();
        if (t == null) {
          break;
        }
        TablePlan plan = plan(t);
        if (plan == null) {
          if (!goneLongEnough(t, at)) {
            break; // a DROP or RENAME the stream has not applied yet: renamed() may still follow it
          }
          LOG.warn("job {}: source table {}.{} is gone; its copy ends (the stream carried its drop)", job.id(),
              t.database, t.table);
          sink.await();
          t.done = true;
          store.record(dest, t);
          continue;
        }
        missingSince = null;
        if (!destDefs.containsKey(t.ordinal)) {
          sink.await(); // the shape check reads the destination
        }
        if (!destinationReady(dest, t, plan, at)) {
          break;
        }
        ChunkReader.Chunk chunk = read(plan, t, at);
        if (chunk == null) {
          break;
        }
        t.lastKey = chunk.lastKey();
        t.rowsCopied += chunk.rows().size();
        t.done = chunk.endOfTable();
        rowsThisRun += chunk.rows().size();
        sink.submit(dest, plan, chunk.rows(), t.copy());
        if (t.done) {
          LOG.info("job {}: copied {}.{} ({} rows)", job.id(), t.database, t.table, t.rowsCopied);
        }
      } while (clock.millis() < deadline && !stop.getAsBoolean());
      sink.await();
    } catch (SQLException e) {
      sink.settle();
      String table = t == null ? "" : " (copying " + t.database + "." + t.table + ")";
      FerryException f = Jdbc.classify(e, job.destination(), "destination", job.id());
      throw new FerryException(f.code(), f.getMessage() + table, f.remedy(), f.retriable(), e);
    } catch (RuntimeException e) {
      sink.settle();
      throw e;
    }
  }

  /**
   * Whether a table missing at the source has been missing since a position the stream has passed:
   * only then is it dropped (or renamed out of the job). Before that, the DDL that took it away is still
   * ahead in the stream, and a rename there moves the copy on to the new name.
   */
  private boolean goneLongEnough(CopyStore.TableProgress t, BinlogPosition at) throws SQLException {
    if (missingSince == null) {
      missingSince = SourceQueries.currentPosition(source);
      LOG.info("job {}: source table {}.{} is missing; the copy waits for the stream to pass {}", job.id(),
          t.database, t.table, missingSince);
      return false;
    }
    return at.compareTo(missingSince) >= 0;
  }

  private TablePlan plan(CopyStore.TableProgress t) throws SQLException {
    TablePlan plan = plans.get(t.ordinal);
    if (plan == null) {
      plan = TablePlan.read(source, t.database, t.table, job.destinationDatabase(t.database));
      if (plan != null && !plan.hasKey()) {
        throw FerryException.fatal("COPY_NO_KEY", "job " + job.id() + ": source table " + plan.sourceName()
            + " lost its primary key during the initial copy", "Give it a primary key again, then restart the job.");
      }
      if (plan != null) {
        plans.put(t.ordinal, plan);
      }
    }
    return plan;
  }

  /**
   * Whether the destination table has the source's shape. A source DDL the stream has not applied yet
   * makes them differ for a while: the copy waits until the stream passes the source's position of that
   * moment, and only then calls a remaining difference an error.
   */
  private boolean destinationReady(Connection dest, CopyStore.TableProgress t, TablePlan plan, BinlogPosition at)
      throws SQLException {
    TableDef have = destDefs.get(t.ordinal);
    if (have == null) {
      have = SchemaReader.read(dest, plan.destDatabase, t.table);
      if (have != null) {
        destDefs.put(t.ordinal, have);
      }
    }
    String diff = have == null ? "it does not exist" : DestinationPreflight.difference(plan.def, have);
    if (diff == null) {
      waitingForDdlUntil = null;
      return true;
    }
    if (waitingForDdlUntil == null) {
      waitingForDdlUntil = SourceQueries.currentPosition(source);
      LOG.info("job {}: destination table {}.{} differs from the source ({}); the copy waits for the stream to pass {}",
          job.id(), plan.destDatabase, t.table, diff, waitingForDdlUntil);
      destDefs.remove(t.ordinal);
      return false;
    }
    if (at.compareTo(waitingForDdlUntil) < 0) {
      destDefs.remove(t.ordinal);
      return false;
    }
    throw FerryException.fatal("DESTINATION_SHAPE", "job " + job.id() + ": destination table " + plan.destDatabase + "."
        + t.table + " on " + job.destination().describe() + " differs from source " + plan.sourceName() + ": " + diff,
        "Give the destination table the source's definition (the job's DDL policy is " + job.ddl().name()
            .toLowerCase() + "), then restart the job; the copy goes on from its last chunk.");
  }

  /** Reads the next chunk at a snapshot not behind {@code at}, or null to try again later. */
  private ChunkReader.Chunk read(TablePlan plan, CopyStore.TableProgress t, BinlogPosition at) throws SQLException {
    for (int attempt = 0; attempt < BEHIND_ATTEMPTS; attempt++) {
      ChunkReader.Chunk chunk;
      try {
        chunk = reader.read(plan, t.lastKey, options.chunkRows(), StartPosition.Snapshot.CHUNK_BYTES);
      } catch (SQLException e) {
        if (e.getErrorCode() == 1146 || e.getErrorCode() == 1054 || e.getErrorCode() == 1412) {
          plans.remove(t.ordinal); // dropped, altered, or rebuilt since the plan: plan again
          return null;
        }
        FerryException f = Jdbc.classify(e, job.source(), "source", job.id());
        throw new FerryException(f.code(), f.getMessage() + " (reading " + plan.sourceName() + " for the initial copy)",
            f.remedy(), f.retriable(), e);
      }
      if (chunk == null) {
        return null;
      }
      if (!plan.def.equals(SchemaReader.read(source, t.database, t.table))) {
        plans.remove(t.ordinal); // the definition changed around the read: plan again
        return null;
      }
      if (at.file().isEmpty() || chunk.at().compareTo(at) >= 0) {
        return chunk;
      }
      // The binlog already shows a transaction whose engine commit the snapshot did not see yet.
      LockSupport.parkNanos(5_000_000L);
    }
    throw FerryException.retriable("COPY_SNAPSHOT_BEHIND", "job " + job.id() + ": the source's snapshots of "
        + plan.sourceName() + " stayed behind binlog position " + at, "Ferry retries; check the source for stalled commits.",
        null);
  }

  private CopyStore.TableProgress current() {
    for (CopyStore.TableProgress t : tables) {
      if (!t.done) {
        return t;
      }
    }
    return null;
  }

  private static boolean hasRows(Connection dest, String db, String table) throws SQLException {
    if (SchemaReader.read(dest, db, table) == null) {
      return false;
    }
    try (Statement s = dest.createStatement();
         ResultSet rs = s.executeQuery("SELECT 1 FROM " + Jdbc.quote(db, table) + " LIMIT 1")) {
      return rs.next();
    }
  }

  private static long estimate(Connection source, String db, String table) throws SQLException {
    try (PreparedStatement ps = source.prepareStatement("SELECT TABLE_ROWS FROM information_schema.TABLES"
        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
      ps.setString(1, db);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  @Override
  public void close() {
    sink.close();
    reader.close();
  }
}
