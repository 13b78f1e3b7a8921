package io.ferry.worker;

import io.ferry.worker.apply.Applier;
import io.ferry.worker.apply.DdlHandler;
import io.ferry.worker.binlog.BinlogReader;
import io.ferry.worker.checkpoint.CheckpointStore;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.StartPosition;
import io.ferry.worker.copy.CopyPlanner;
import io.ferry.worker.copy.DeferredKeys;
import io.ferry.worker.copy.InitialCopy;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.jdbc.Jdbc;
import io.ferry.worker.jdbc.LocalFiles;
import io.ferry.worker.jdbc.SourceQueries;
import io.ferry.worker.position.BinlogFiles;
import io.ferry.worker.position.BinlogPosition;
import io.ferry.worker.preflight.DestinationPreflight;
import io.ferry.worker.preflight.Problem;
import io.ferry.worker.preflight.SourcePreflight;
import io.ferry.worker.schema.SchemaHistory;
import io.ferry.worker.schema.SchemaReader;
import io.ferry.worker.schema.TableDef;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one attempt of a job does before it streams: both servers' preflight, the checkpoint row claimed
 * with the attempt's epoch, the start position (stored, configured or the source's current one) checked
 * against the source's binlog files, the schema history, the destination tables of a new job and its copy
 * plan, then the applier, the DDL handler and a copy to resume — a {@link Pipeline.Session}.
 */
final class SessionSetup {
  private static final Logger LOG = LoggerFactory.getLogger(SessionSetup.class);

  private final JobConfig job;
  private final JobOptions options;
  private final AtomicLong binlogEvents;

  /** @param binlogEvents the runner's count of events read, carried over all its attempts */
  SessionSetup(JobConfig job, JobOptions options, AtomicLong binlogEvents) {
    this.job = job;
    this.options = options;
    this.binlogEvents = binlogEvents;
  }

  Pipeline.Session prepare(Connection source, Connection destination, LocalFiles files) throws SQLException {
    List<Problem> problems = new ArrayList<>(new SourcePreflight(job).check(source));
    DestinationPreflight destCheck = new DestinationPreflight(job);
    problems.addAll(destCheck.check(destination));
    failOn(problems);
    BinlogFiles binlogFiles = new BinlogFiles("job " + job.id() + ": source " + job.source().describe());
    CheckpointStore checkpoints = new CheckpointStore(job.tuning().ferrySchema(), job.id(), binlogFiles);
    try {
      checkpoints.ensureTables(destination);
    } catch (SQLException e) {
      throw Jdbc.classify(e, job.destination(), "destination", job.id());
    }
    CheckpointStore.Claim claim = checkpoints.claim(destination, options.epoch());
    boolean fresh = claim.position() == null;
    BinlogPosition start = fresh ? initialPosition(source) : claim.position();
    if (fresh && (job.start() instanceof StartPosition.Current || job.start() instanceof StartPosition.Snapshot)) {
      refuseXaInDoubt(source);
    }
    if (!start.file().isEmpty()) {
      Problem purged = SourcePreflight.checkAvailable(source, job, start);
      if (purged != null) {
        throw purged.toException();
      }
      checkFileCreated(claim, start, binlogFiles);
    }
    Map<String, TableDef> known = checkpoints.loadSchemas(destination, start);
    SchemaHistory history = new SchemaHistory(known);
    // Only a new job creates missing tables and compares shapes up front. A resumed one may legitimately
    // meet a destination whose shape is ahead of (replay from an older position) or behind (a DDL still in
    // the stream) the source's today — a table the source has now may not exist yet at the job's position
    // (a CREATE or RENAME ahead in the stream would then meet it). Its rows are matched by name, and a
    // real mismatch or a missing table stops it with a clear error.
    List<String[]> tables = SchemaReader.includedTables(source, job.tables());
    if (fresh) {
      // A table an initial copy fills gets its non-unique secondary keys once its rows are in.
      // (Adding them takes the ALTER privilege; without it the table is created whole.)
      DestinationPreflight.Creation creation = DestinationPreflight.Creation.AS_IS;
      if (job.start() instanceof StartPosition.Snapshot) {
        DeferredKeys deferred = new DeferredKeys(job.tuning().ferrySchema(), job.id());
        Predicate<String> mayAlter = destCheck.granted("ALTER");
        creation = (dest, db, table, ddl) -> mayAlter.test(job.destinationDatabase(db))
            ? deferred.createWithoutKeys(dest, db, table, ddl) : ddl;
      }
      failOn(destCheck.provisionTables(source, destination, tables, true, creation));
    }
    if (fresh && job.start() instanceof StartPosition.Snapshot) {
      failOn(CopyPlanner.plan(job, source, destination, tables));
    }
    Applier applier = new Applier(job, destination, checkpoints, claim.epoch(),
        (db, table) -> SchemaReader.read(source, db, table), history);
    recordUnknownTables(source, tables, checkpoints, destination, history, start);
    if (!start.file().isEmpty() && (fresh || claim.fileCreated() == null)) {
      // the job's first position, so a restart resumes from the same point; or an older version's
      // checkpoint, which gets its file's identity
      applier.commit(start);
    } else {
      destination.commit();
    }
    LOG.info("job {}: epoch {}, {} from {}", job.id(), claim.epoch(), fresh ? "starting" : "resuming", start);
    InitialCopy.Resumed resumed = InitialCopy.resume(job, source, destination, files, options.clock(), claim.epoch(),
        start);
    InitialCopy copy = resumed.copy();
    DdlHandler ddl = new DdlHandler(job, applier, checkpoints, source, history,
        copy == null ? DdlHandler.CopyHooks.NONE : copy);
    destination.commit();
    return new Pipeline.Session(claim.epoch(), start, applier, ddl, copy, binlogFiles, resumed.finished(),
        binlogEvents);
  }

  /**
   * Compares when the source created the start position's binlog file with when the checkpoint says it
   * was created: a file of the same name made later (RESET MASTER, then a new history that grew past the
   * checkpoint in bytes and GTIDs) stops the job with {@code SOURCE_HISTORY_RESET} before anything is
   * applied. A checkpoint without that time (an older version wrote it) resumes and gets it.
   */
  private void checkFileCreated(CheckpointStore.Claim claim, BinlogPosition start, BinlogFiles files) {
    if (claim.position() != null && claim.fileCreated() != null) {
      files.record(start.file(), claim.fileCreated(), "the job's checkpoint");
    } else if (claim.position() != null) {
      LOG.info("job {}: the checkpoint does not say when {} was created (written by an older version); recording it",
          job.id(), start.file());
    }
    files.record(start.file(), BinlogReader.fileCreated(job, start.file()), "as the source has it now");
  }

  /** Tables the history does not know yet get their current source definition, valid from {@code at}. */
  private void recordUnknownTables(Connection source, List<String[]> tables, CheckpointStore checkpoints,
                                   Connection destination, SchemaHistory history, BinlogPosition at) throws SQLException {
    for (String[] t : tables) {
      if (!history.knows(t[0], t[1])) {
        TableDef def = SchemaReader.read(source, t[0], t[1]);
        history.put(t[0], t[1], def);
        if (!at.file().isEmpty()) {
          checkpoints.appendSchema(destination, at, t[0], t[1], def);
        }
      }
    }
  }

  private BinlogPosition initialPosition(Connection source) throws SQLException {
    StartPosition start = job.start();
    if (start instanceof StartPosition.File f) {
      return new BinlogPosition(f.file(), f.position(), "");
    }
    if (start instanceof StartPosition.Gtid g) {
      return new BinlogPosition("", 4, g.gtidSet());
    }
    BinlogPosition current = SourceQueries.currentPosition(source);
    if (current == null) {
      throw FerryException.fatal("BINLOG_DISABLED", "job " + job.id() + ": source " + job.source().describe()
          + " reports no binlog position", "Enable log_bin on the source.");
    }
    return current;
  }

  /**
   * A new job that starts at the source's current position must not start between an XA PREPARE and its
   * outcome: the prepared rows lie before its start, the commit after it. Checked right after the position
   * is taken; an XA that ends in between is caught when its outcome arrives ({@code XA_BEFORE_START}).
   * A source user that may not list XA transactions (MySQL's XA_RECOVER_ADMIN) is only warned about.
   */
  private void refuseXaInDoubt(Connection source) {
    int prepared = 0;
    try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery("XA RECOVER")) {
      while (rs.next()) {
        prepared++;
      }
    } catch (SQLException e) {
      LOG.warn("job {}: cannot list the source's prepared XA transactions ({}); if one is prepared now and commits"
          + " later, the job stops with XA_BEFORE_START", job.id(), e.getMessage());
      return;
    }
    if (prepared > 0) {
      throw FerryException.retriable("XA_IN_DOUBT", "job " + job.id() + ": the source " + job.source().describe()
          + " has " + prepared + " prepared XA transaction(s) (XA RECOVER); a new job cannot start between an XA"
          + " PREPARE and its outcome, whose rows it would miss", "Ferry retries until they end; end abandoned ones"
          + " with XA COMMIT or XA ROLLBACK on the source.", null);
    }
  }

  private static void failOn(List<Problem> problems) {
    if (problems.isEmpty()) {
      return;
    }
    if (problems.size() == 1) {
      throw problems.get(0).toException();
    }
    StringBuilder message = new StringBuilder(problems.size() + " problems: ");
    StringBuilder remedy = new StringBuilder();
    for (Problem p : problems) {
      message.append("[").append(p.code()).append("] ").append(p.message()).append("; ");
      remedy.append(p.remedy()).append(" ");
    }
    throw FerryException.fatal(problems.get(0).code(), message.toString().trim(), remedy.toString().trim());
  }
}
