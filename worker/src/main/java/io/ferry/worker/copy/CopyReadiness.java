package io.ferry.worker.copy;

import io.ferry.worker.config.JobConfig;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.jdbc.SourceQueries;
import io.ferry.worker.position.BinlogPosition;
import io.ferry.worker.preflight.DestinationPreflight;
import io.ferry.worker.schema.SchemaReader;
import io.ferry.worker.schema.TableDef;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of a copy's ranges the lanes may copy now. A range is ready when its source table has a plan
 * (read once, kept in {@code plans}, which the lanes share) and its destination table has the source's
 * shape. A DDL the stream has not applied yet makes a table missing at the source, or the two shapes
 * differ, for a while: the copy waits until the stream passes the source's position of that moment, and
 * only then ends the copy of a table gone from the source, or calls a remaining difference an error.
 * Used on the applier thread, between steps.
 */
final class CopyReadiness {
  private static final Logger LOG = LoggerFactory.getLogger(CopyReadiness.class);

  private final JobConfig job;
  private final Connection source;
  private final CopyStore store;
  private final List<CopyStore.TableProgress> tables;
  private final Map<String, TablePlan> plans;
  private final Map<String, TableDef> destDefs = new HashMap<>();
  private final Map<String, BinlogPosition> waitingForDdlUntil = new HashMap<>();
  private final Map<String, BinlogPosition> missingSince = new HashMap<>();

  CopyReadiness(JobConfig job, Connection source, CopyStore store, List<CopyStore.TableProgress> tables,
                Map<String, TablePlan> plans) {
    this.job = job;
    this.source = source;
    this.store = store;
    this.tables = tables;
    this.plans = plans;
  }

  /** Forgets what it knows of a table a RENAME moved away from {@code name}. */
  void forget(String name) {
    missingSince.remove(name);
    waitingForDdlUntil.remove(name);
    plans.remove(name);
    destDefs.remove(name);
  }

  /** Forgets the table shapes it knows (a DDL passed). */
  void schemaChanged() {
    plans.clear();
    destDefs.clear();
  }

  /**
   * The ranges the lanes may copy now, at most {@code parallel}, in copy order: their tables planned and
   * their destination tables in the source's shape. Ends the copy of tables gone from the source.
   */
  Deque<CopyStore.TableProgress> ready(Connection dest, BinlogPosition at, int parallel) throws SQLException {
    Deque<CopyStore.TableProgress> ready = new ArrayDeque<>();
    Map<String, Boolean> checked = new HashMap<>();
    for (CopyStore.TableProgress t : tables) {
      if (ready.size() >= parallel) {
        break;
      }
      if (t.done) {
        continue;
      }
      Boolean ok = checked.get(t.name());
      if (ok == null) {
        ok = tableReady(dest, t, at);
        checked.put(t.name(), ok);
      }
      if (ok && !t.done) {
        ready.add(t);
      }
    }
    return ready;
  }

  private boolean tableReady(Connection dest, CopyStore.TableProgress t, BinlogPosition at) throws SQLException {
    TablePlan plan = plan(t);
    if (plan == null) {
      if (!goneLongEnough(t, at)) {
        return false; // a DROP or RENAME the stream has not applied yet: renamed() may still follow it
      }
      LOG.warn("job {}: source table {} is gone; its copy ends (the stream carried its drop)", job.id(), t.name());
      for (CopyStore.TableProgress r : tables) {
        if (!r.done && r.name().equals(t.name())) {
          r.done = true;
          store.record(dest, r);
        }
      }
      return false;
    }
    missingSince.remove(t.name());
    return destinationReady(dest, t, plan, at);
  }

  /**
   * Whether a table missing at the source has been missing since a position the stream has passed:
   * only then is it dropped (or renamed out of the job). Before that, the DDL that took it away is still
   * ahead in the stream, and a rename there moves the copy on to the new name.
   */
  private boolean goneLongEnough(CopyStore.TableProgress t, BinlogPosition at) throws SQLException {
    BinlogPosition since = missingSince.get(t.name());
    if (since == null) {
      since = SourceQueries.currentPosition(source);
      missingSince.put(t.name(), since);
      LOG.info("job {}: source table {} is missing; the copy waits for the stream to pass {}", job.id(), t.name(), since);
      return false;
    }
    return at.compareTo(since) >= 0;
  }

  private TablePlan plan(CopyStore.TableProgress t) throws SQLException {
    TablePlan plan = plans.get(t.name());
    if (plan == null) {
      plan = TablePlan.read(source, t.database, t.table, job.destinationDatabase(t.database));
      if (plan != null && !plan.hasKey() && !t.whole) {
        throw FerryException.fatal("COPY_NO_KEY", "job " + job.id() + ": source table " + plan.sourceName()
            + " lost its primary key during the initial copy", "Give it a primary key again, then restart the job.");
      }
      if (plan != null) {
        plans.put(t.name(), plan);
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
    TableDef have = destDefs.get(t.name());
    if (have == null) {
      have = SchemaReader.read(dest, plan.destDatabase, t.table);
      if (have != null) {
        destDefs.put(t.name(), have);
      }
    }
    String diff = have == null ? "it does not exist" : DestinationPreflight.difference(plan.def, have);
    if (diff == null) {
      waitingForDdlUntil.remove(t.name());
      return true;
    }
    BinlogPosition until = waitingForDdlUntil.get(t.name());
    if (until == null) {
      until = SourceQueries.currentPosition(source);
      waitingForDdlUntil.put(t.name(), until);
      LOG.info("job {}: destination table {}.{} differs from the source ({}); the copy waits for the stream to pass {}",
          job.id(), plan.destDatabase, t.table, diff, until);
      destDefs.remove(t.name());
      return false;
    }
    if (at.compareTo(until) < 0) {
      destDefs.remove(t.name());
      return false;
    }
    throw FerryException.fatal("DESTINATION_SHAPE", "job " + job.id() + ": destination table " + plan.destDatabase + "."
        + t.table + " on " + job.destination().describe() + " differs from source " + plan.sourceName() + ": " + diff,
        "Give the destination table the source's definition (the job's DDL policy is " + job.ddl().name()
            .toLowerCase() + "), then restart the job; the copy goes on from its last chunk.");
  }
}
