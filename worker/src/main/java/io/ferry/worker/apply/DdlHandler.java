package io.ferry.worker.apply;

import io.ferry.worker.binlog.ChangeEvent;
import io.ferry.worker.checkpoint.CheckpointStore;
import io.ferry.worker.config.DdlPolicy;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.jdbc.Jdbc;
import io.ferry.worker.schema.SchemaHistory;
import io.ferry.worker.schema.SchemaReader;
import io.ferry.worker.schema.TableDef;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the job's DDL policy to a logged statement. DDL cannot share a transaction with the
 * checkpoint (it commits implicitly), so {@code exec} runs the statement and then checkpoints; a crash
 * between the two re-runs it, and the errors a re-run can meet (table exists, duplicate column, ...)
 * are taken as "already applied". After any table DDL the job's schema history records the table's new
 * definition at the statement's position. Owned by the applier thread.
 */
public final class DdlHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DdlHandler.class);
  /** Errors of a DDL that already ran: table exists/unknown, duplicate/unknown column or key. */
  private static final Set<Integer> ALREADY_APPLIED = Set.of(1050, 1051, 1060, 1061, 1091, 1146, 1054, 1176);
  /**
   * A rename (RENAME TABLE, ALTER TABLE … RENAME TO) that already ran finds its old name gone (1146); one
   * that meets an existing new name (1050) did not run, and the rows of the old table would be stranded:
   * that is an error.
   */
  private static final Set<Integer> RENAME_ALREADY_APPLIED = Set.of(1146);
  /** Access denied for a statement, a database or a privilege. */
  private static final Set<Integer> PRIVILEGE_ERRORS = Set.of(1044, 1142, 1143, 1227, 1370);

  /** What the runner does next. */
  public enum Outcome { CONTINUE, STOP }

  /** What the initial copy, while it runs, hears of the DDL the handler applies. */
  public interface CopyHooks {
    /**
     * Tables a DDL renames, inside the DDL's destination transaction (the copy follows them). Each rename
     * is {@code {fromDb, fromTable, toDb, toTable}}.
     */
    void renamed(Connection dest, List<String[]> renames) throws SQLException;

    /**
     * Just before a DDL runs on the destination ({@code exec}): the copy adds the keys it deferred on these
     * source tables ({@code {db, table}}), so the statement meets the table as the source has it.
     */
    void beforeDdl(List<String[]> tables) throws SQLException;

    CopyHooks NONE = new CopyHooks() {
      @Override
      public void renamed(Connection dest, List<String[]> renames) { }

      @Override
      public void beforeDdl(List<String[]> tables) { }
    };
  }

  private final JobConfig job;
  private final Applier applier;
  private final CheckpointStore checkpoints;
  private final Connection source;
  private final SchemaHistory history;
  private final CopyHooks copy;

  public DdlHandler(JobConfig job, Applier applier, CheckpointStore checkpoints, Connection source,
                    SchemaHistory history, CopyHooks copy) {
    this.copy = copy;
    this.job = job;
    this.applier = applier;
    this.checkpoints = checkpoints;
    this.source = source;
    this.history = history;
  }

  /** True when the statement changes a table the job includes. */
  public boolean concernsJob(ChangeEvent.Ddl ddl) {
    DdlStatement st = DdlStatement.parse(ddl.sql(), ddl.database());
    return st.tables().stream().anyMatch(t -> job.tables().matches(t[0], t[1]));
  }

  /**
   * Handles a DDL under {@code policy}. The applier must have no open transaction. Returns
   * {@link Outcome#STOP} for the stop policy, with nothing applied or checkpointed.
   */
  public Outcome handle(ChangeEvent.Ddl ddl, DdlPolicy policy) {
    DdlStatement st = DdlStatement.parse(ddl.sql(), ddl.database());
    boolean relevant = st.tables().stream().anyMatch(t -> job.tables().matches(t[0], t[1]));
    if (!relevant) {
      applier.commit(ddl.position());
      return Outcome.CONTINUE;
    }
    if (policy == DdlPolicy.STOP) {
      return Outcome.STOP;
    }
    Connection dest = applier.connection();
    try {
      if (policy == DdlPolicy.EXEC) {
        copy.beforeDdl(st.tables());
      }
      if (!st.renames().isEmpty()) {
        copy.renamed(dest, st.renames()); // committed by the DDL's own implicit commit, or with the checkpoint
      }
      if (policy == DdlPolicy.EXEC) {
        execute(dest, st);
      } else {
        LOG.info("job {}: ignoring DDL at {} (policy ignore): {}", job.id(), ddl.start(), ddl.sql());
      }
      applier.invalidateTables();
      for (String[] t : st.tables()) {
        if (job.tables().matches(t[0], t[1])) {
          // exec: the destination now mirrors the source at this position; ignore: the source's own.
          TableDef def = policy == DdlPolicy.EXEC
              ? rename(SchemaReader.read(dest, job.destinationDatabase(t[0]), t[1]), t[0])
              : SchemaReader.read(source, t[0], t[1]);
          history.put(t[0], t[1], def);
          checkpoints.appendSchema(dest, ddl.position(), t[0], t[1], def);
        }
      }
      applier.commit(ddl.position());
      return Outcome.CONTINUE;
    } catch (SQLException e) {
      applier.rollback();
      if (PRIVILEGE_ERRORS.contains(e.getErrorCode())) {
        throw FerryException.fatal("DESTINATION_PRIVILEGES", "job " + job.id() + ": destination "
            + job.destination().describe() + " may not run the DDL at " + ddl.start() + " (error " + e.getErrorCode()
            + ": " + e.getMessage() + "): " + ddl.sql(), "Grant CREATE, ALTER, DROP, INDEX on the destination database"
            + " to " + job.destination().user() + ", then restart the job: it resumes before the statement.", e);
      }
      throw FerryException.fatal("DDL_FAILED", "job " + job.id() + ": DDL at " + ddl.start() + " failed on "
          + job.destination().describe() + " (error " + e.getErrorCode() + ": " + e.getMessage() + "): " + ddl.sql(),
          "Apply an equivalent change to the destination by hand and resume with the DDL skipped, or use ddl: ignore.", e);
    }
  }

  private void execute(Connection dest, DdlStatement st) throws SQLException {
    String sql = st.rewrite(job.databaseMap());
    String db = st.defaultDatabase() == null || st.defaultDatabase().isEmpty() ? null
        : job.destinationDatabase(st.defaultDatabase());
    try (Statement s = dest.createStatement()) {
      if (db != null) {
        try {
          s.execute("USE " + Jdbc.quote(db));
        } catch (SQLException e) {
          LOG.debug("default database {} not on destination", db);
        }
      }
      try {
        s.execute(sql);
        LOG.info("job {}: applied DDL: {}", job.id(), sql);
      } catch (SQLException e) {
        boolean rename = !st.renames().isEmpty();
        if (!(rename ? RENAME_ALREADY_APPLIED : ALREADY_APPLIED).contains(e.getErrorCode())) {
          throw e;
        }
        LOG.warn("job {}: DDL already applied (error {}: {}), continuing: {}", job.id(), e.getErrorCode(),
            e.getMessage(), sql);
      }
    }
  }

  private static TableDef rename(TableDef def, String sourceDb) {
    return def == null ? null : new TableDef(sourceDb, def.table(), def.columns(), def.primaryKey(), def.uniqueKeys());
  }
}
