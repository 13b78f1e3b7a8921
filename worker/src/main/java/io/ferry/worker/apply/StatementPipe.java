package io.ferry.worker.apply;

import io.ferry.worker.error.FerryException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes the applier's statement text on its destination session in a thread of its own, so that the
 * applier builds the next statement while the destination executes this one: one statement in flight at
 * most, in order, all inside the open transaction. Everything else the applier does on the session
 * (prepared statements, the checkpoint, commit, rollback) first {@link #quiesce waits} until nothing is in
 * flight, so the session is only ever used by one thread at a time. A failed statement is thrown by the
 * next call (the transaction cannot commit past it). An update of changed columns that found fewer rows
 * than it has (rows the destination lacks) is followed, on the same thread, by a REPLACE of those rows'
 * whole after-images, as a full-row upsert would have written them. Owned by the applier thread.
 */
final class StatementPipe implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatementPipe.class);

  /** What a failed statement becomes, knowing the table it wrote. */
  interface Failure {
    FerryException of(SQLException e, TableWriter writer);
  }

  private final Connection connection;
  private final Failure failure;
  private final ExecutorService thread;
  private Statement statement;
  private Future<?> inflight;
  private TableWriter inflightWriter;

  StatementPipe(Connection connection, String jobId, Failure failure) {
    this.connection = connection;
    this.failure = failure;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "ferry-apply-" + jobId);
      t.setDaemon(true);
      return t;
    });
  }

  /** Waits for the statement in flight (throwing its failure), then starts {@code sql}, which writes {@code writer}'s table. */
  void send(String sql, TableWriter writer) {
    send(sql, writer, null);
  }

  /**
   * As {@link #send(String, TableWriter)} for an {@link TableWriter.Op#UPDATE} of {@code rows} (each key
   * once): when it finds fewer rows than that, all of them are then written whole.
   */
  void send(String sql, TableWriter writer, List<ChangeBuffer.Step> rows) {
    quiesce();
    if (statement == null) {
      try {
        statement = connection.createStatement();
        statement.setEscapeProcessing(false); // the text has no JDBC escapes; scanning megabytes for them costs
      } catch (SQLException e) {
        throw failure.of(e, writer);
      }
    }
    Statement s = statement;
    inflightWriter = writer;
    inflight = thread.submit(() -> {
      s.execute(sql);
      if (rows != null && s.getUpdateCount() != rows.size()) {
        writeWhole(writer, rows, s.getUpdateCount());
      }
      return null;
    });
  }

  /**
   * REPLACEs rows whose update found fewer rows than it had: those already updated are written again with
   * the same values, the missing ones inserted (the driver packs the batch into multi-row statements).
   */
  private void writeWhole(TableWriter writer, List<ChangeBuffer.Step> rows, int found) throws SQLException {
    LOG.debug("an update of {} found {} of its {} rows; writing them whole", writer.destName, found, rows.size());
    try (PreparedStatement ps = connection.prepareStatement(writer.sql(TableWriter.Op.UPSERT))) {
      for (ChangeBuffer.Step r : rows) {
        writer.bind(ps, TableWriter.Op.UPSERT, r.row(), r.index(), null, null);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Returns when nothing is in flight; throws the failure of the statement that was. */
  void quiesce() {
    Future<?> f = inflight;
    if (f == null) {
      return;
    }
    inflight = null;
    boolean interrupted = false;
    try {
      while (true) {
        try {
          f.get();
          return;
        } catch (InterruptedException e) {
          // As a JDBC call on this thread would: the session's own timeouts and the watchdog end a stuck call.
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof SQLException sql) {
            throw failure.of(sql, inflightWriter);
          }
          if (cause instanceof RuntimeException r) {
            throw r;
          }
          throw new IllegalStateException(cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits for the statement in flight, ignoring its failure (before a rollback). */
  void quiesceQuietly() {
    try {
      quiesce();
    } catch (RuntimeException e) {
      // the transaction is being rolled back anyway
    }
  }

  @Override
  public void close() {
    quiesceQuietly();
    thread.shutdownNow();
    if (statement != null) {
      try {
        statement.close();
      } catch (SQLException e) {
        // closing anyway
      }
      statement = null;
    }
  }
}
