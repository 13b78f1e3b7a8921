package io.ferry.worker.binlog;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import io.ferry.worker.position.BinlogPosition;
import java.io.Serializable;
import java.util.BitSet;
import java.util.List;

/**
 * What the binlog reader hands the applier through the bounded queue: rows of included tables,
 * transaction ends with the restart position after them, DDL, and liveness ticks. Events of one
 * source transaction arrive between the previous {@link Commit} and its own.
 */
public sealed interface ChangeEvent {
  /** Source event time in epoch milliseconds (0 when unknown). */
  long timestamp();

  /** The kind of row change, as logged by the source. */
  enum Kind { INSERT, UPDATE, DELETE }

  /**
   * One rows event of an included table. For {@link Kind#UPDATE} the images alternate before, after;
   * otherwise each image is one row. {@code columns} says which table-map columns each image holds
   * ({@code columnsAfter} for the after images of an update). {@code binlogBytes} is the rows event's size in the
   * binlog, what the {@link EventQueue} counts (0 for rows read back from elsewhere).
   */
  record Rows(TableMapEventData table, Kind kind, BitSet columns, BitSet columnsAfter,
              List<Serializable[]> images, long timestamp, int binlogBytes) implements ChangeEvent {
    public int rowCount() {
      return kind == Kind.UPDATE ? images.size() / 2 : images.size();
    }
  }

  /** A source transaction ended; {@code position} is where the next one begins. */
  record Commit(BinlogPosition position, long timestamp) implements ChangeEvent {}

  /**
   * A statement outside any transaction (DDL) in {@code database} (the session's default database,
   * may be empty); {@code start} is where the statement begins, {@code position} where the next
   * event begins.
   */
  record Ddl(String database, String sql, BinlogPosition start, BinlogPosition position, long timestamp)
      implements ChangeEvent {}

  /**
   * The first half of a two-phase XA transaction ended ({@code XA PREPARE}): its rows of included tables
   * wait for the outcome, which the source logs later as a transaction of its own. {@code xid} is
   * {@link Xids#key canonical}; {@code position} is where the next transaction begins.
   */
  record XaPrepare(String xid, List<Rows> rows, BinlogPosition position, long timestamp) implements ChangeEvent {}

  /**
   * The outcome of a prepared XA transaction ({@code XA COMMIT} or {@code XA ROLLBACK} of its xid), a
   * source transaction of its own; {@code position} is where the next transaction begins.
   */
  record XaOutcome(String xid, boolean commit, BinlogPosition position, long timestamp) implements ChangeEvent {}

  /** The source is alive and has nothing more right now (a heartbeat or an idle stream). */
  record Heartbeat(long timestamp) implements ChangeEvent {}
}
