package io.ferry.worker.copy;

import io.ferry.worker.error.FerryException;
import io.ferry.worker.position.BinlogPosition;
import io.ferry.worker.schema.SchemaReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copy of a table without a key ({@code keyless: copy}): in one destination transaction, fenced by the
 * job's epoch, the table is emptied, filled from one snapshot at {@code S} (not before the applier's
 * position {@code at}) a batch at a time, and its progress records {@code S}, which tells the stream where
 * the table's changes begin to count: a keyless row applied twice would be doubled, so the stream skips
 * the table's changes until this transaction has committed, and then those of every source transaction
 * before {@code S} (see {@link InitialCopy#skips}).
 */
final class WholeTableCopy {
  private static final Logger LOG = LoggerFactory.getLogger(WholeTableCopy.class);

  private WholeTableCopy() {}

  /**
   * Copies the keyless table of {@code t} on a lane's sessions: {@code reader} reads it, {@code writer}
   * writes it into {@code dest}, which must have no chunk in flight. Returns without a commit when a
   * lock was not granted or the table changed (its plan is forgotten then); the next step tries again.
   */
  static void copy(LaneContext ctx, ChunkReader reader, ChunkWriter writer, Connection dest, TablePlan plan,
                   CopyStore.TableProgress t, BinlogPosition at) throws SQLException {
    String job = ctx.job().id();
    for (int attempt = 0; attempt < CopyLane.BEHIND_ATTEMPTS; attempt++) {
      try (Statement s = dest.createStatement()) {
        s.executeUpdate("DELETE FROM " + plan.qualified(true));
      }
      ChunkReader.Whole whole;
      try {
        whole = reader.readWhole(plan, at, ctx.options().chunkBytes(), rows -> writer.write(dest, plan, rows));
      } catch (SQLException e) {
        rollback(dest);
        if (e.getErrorCode() == 1146 || e.getErrorCode() == 1054 || e.getErrorCode() == 1412) {
          ctx.plans().remove(t.name()); // dropped, altered, or rebuilt since the plan: plan again
          return;
        }
        throw e;
      }
      if (whole == null || !plan.def.equals(SchemaReader.read(reader.control(), t.database, t.table))) {
        rollback(dest); // a lock not granted, or the definition changed around the read: the next step tries again
        if (whole != null) {
          ctx.plans().remove(t.name());
        }
        return;
      }
      if (whole.rows() < 0) {
        rollback(dest); // the snapshot stands before the applier: read again a moment later
        LockSupport.parkNanos(5_000_000L);
        continue;
      }
      CopyStore.TableProgress progress = t.copy();
      progress.rowsCopied = whole.rows();
      progress.done = true;
      progress.snapshotAt = whole.at();
      ctx.store().record(dest, progress);
      ctx.checkpoints().fence(dest, ctx.epoch());
      dest.commit();
      t.rowsCopied = progress.rowsCopied;
      t.snapshotAt = progress.snapshotAt;
      t.done = true;
      ctx.rowsThisRun().addAndGet(whole.rows());
      LOG.info("job {}: copied {} whole in one read at {} ({} rows; it has no key)", job, t.name(), whole.at(),
          whole.rows());
      return;
    }
    throw FerryException.retriable("COPY_SNAPSHOT_BEHIND", "job " + job + ": the source's snapshots of "
        + plan.sourceName() + " stayed behind binlog position " + at, "Ferry retries; check the source for stalled"
        + " commits.", null);
  }

  private static void rollback(Connection dest) {
    try {
      dest.rollback();
    } catch (SQLException e) {
      // the session is failing anyway; an open transaction ends with it
    }
  }
}
