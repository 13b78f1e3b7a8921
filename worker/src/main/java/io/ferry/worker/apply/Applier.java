package io.ferry.worker.apply;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import io.ferry.worker.binlog.ChangeEvent;
import io.ferry.worker.binlog.PreparedRows;
import io.ferry.worker.checkpoint.CheckpointStore;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.jdbc.Jdbc;
import io.ferry.worker.position.BinlogPosition;
import io.ferry.worker.schema.SchemaHistory;
import java.io.Serializable;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies row changes to the destination inside one open destination transaction and commits that
 * transaction together with the checkpoint row. The caller decides where batches end, always at a
 * source transaction boundary, so a source transaction is never half-applied.
 *
 * <p>Consecutive changes that use the same statement are sent together: upserts as multi-row statements
 * and updates of changed columns as one {@code UPDATE … JOIN} of many rows, whose text the applier writes
 * itself ({@link StatementText}) and hands to a {@link StatementPipe}, so the next statement is built
 * while the destination executes this one; deletes and keyless updates as JDBC batches (rewritten by the
 * driver into multi-row statements). Order across statements is kept, so unique secondary keys see the
 * same sequence as on the source. Owned by the job's applier thread.
 */
public final class Applier implements AutoCloseable {

  /** Connector/J options of the applier connection. */
  public static final String CONNECTION_OPTIONS = "rewriteBatchedStatements=true&useServerPrepStmts=false"
      + "&cachePrepStmts=true&prepStmtCacheSize=500&prepStmtCacheSqlLimit=65535&useLocalSessionState=true"
      + "&elideSetAutoCommits=true&maintainTimeStats=false";

  /**
   * A JVM system property that, when {@code true}, has the applier send the rows of an update of changed
   * columns as {@code UNION ALL SELECT}s to MariaDB too (the form MySQL gets; tests run it on MariaDB).
   */
  public static final String UNION_ALL_SELECT_PROPERTY = "ferry.apply.unionAllSelect";

  private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");

  /** The applier session's sql_mode. */
  public static final String SQL_MODE = "STRICT_ALL_TABLES,ALLOW_INVALID_DATES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION";
  /** For the rare row only a non-strict session can write (an ENUM's error value). */
  public static final String LENIENT_SQL_MODE = "ALLOW_INVALID_DATES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION";

  private final JobConfig job;
  private final Connection connection;
  private final CheckpointStore checkpoints;
  private final long epoch;
  private final TableResolver resolver;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final ChangeBuffer buffer = new ChangeBuffer();
  private final StatementPipe pipe;
  private final StatementText text;
  private long rowsInTransaction;
  private long bufferedBytes;
  /** Changes buffered before they are sent: the job's {@code tuning.batchMaxRows}. */
  private final int flushRows;
  /**
   * Binlog bytes of rows buffered before they are sent, whatever their number (a batch of megabyte BLOBs would not
   * fit a small heap): twice {@code tuning.queueMaxBytes}, so that one setting bounds the rows a job holds decoded,
   * queued and buffered alike.
   */
  private final long flushBytes;
  private boolean open;

  public Applier(JobConfig job, Connection connection, CheckpointStore checkpoints, long epoch,
                 SourceSchema sourceNow, SchemaHistory history) throws SQLException {
    this.job = job;
    this.connection = connection;
    this.checkpoints = checkpoints;
    this.epoch = epoch;
    this.resolver = new TableResolver(job, connection, sourceNow, history);
    this.flushRows = job.tuning().batchMaxRows();
    this.flushBytes = 2 * job.tuning().queueMaxBytes();
    prepareSession(connection);
    this.pipe = new StatementPipe(connection, job.id(), (e, w) -> failure(e, w.sourceName, w.destName));
    try (Statement s = connection.createStatement();
         java.sql.ResultSet rs = s.executeQuery("SELECT @@max_allowed_packet, VERSION()")) {
      rs.next();
      boolean tableValues = readsTableValues(rs.getString(2)) && !Boolean.getBoolean(UNION_ALL_SELECT_PROPERTY);
      this.text = new StatementText(pipe, rs.getLong(1), tableValues);
      if (tableValues) {
        // An update that names its key range finds each row's new values through the derived table's own index.
        s.execute("SET SESSION optimizer_switch = 'derived_with_keys=on'");
      }
    }
  }

  /**
   * Whether a server of this {@code VERSION()} reads a table value constructor ({@code VALUES (…), (…)}) as
   * part of a derived table: MariaDB 10.3.3 and later (MySQL 8.0.19 spells it {@code VALUES ROW(…)}; Ferry
   * sends MySQL the {@code UNION ALL SELECT} form every version reads).
   */
  static boolean readsTableValues(String version) {
    Matcher m = VERSION.matcher(version);
    if (!m.find() || !version.toLowerCase(Locale.ROOT).contains("mariadb")) {
      return false;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    int patch = Integer.parseInt(m.group(3));
    return major > 10 || major == 10 && (minor > 3 || minor == 3 && patch >= 3);
  }

  /** Pins the session as a native replica's applier does. */
  public static void prepareSession(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      // Strict, so a value that does not fit a destination column of another type is an error rather
      // than a silent truncation; zero and invalid dates the source stored are still accepted.
      s.execute("SET SESSION time_zone = '+00:00', foreign_key_checks = 0, unique_checks = 1,"
          + " sql_mode = '" + SQL_MODE + "'");
      s.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    }
    c.setAutoCommit(false);
  }

  /** Applies one rows event inside the open transaction. */
  public void apply(ChangeEvent.Rows rows) {
    try {
      open = true;
      TableWriter writer = resolver.writerFor(rows.table());
      writer.plan(rows, this::addStep);
      rowsInTransaction += rows.rowCount();
      bufferedBytes += rows.binlogBytes();
      if (bufferedBytes >= flushBytes) {
        flush();
      }
    } catch (SQLException e) {
      TableMapEventData t = rows.table();
      throw failure(e, t.getDatabase() + "." + t.getTable(), job.destinationDatabase(t.getDatabase()) + "." + t.getTable());
    }
  }

  private void addStep(TableWriter writer, TableWriter.Op op, Serializable[] row, int[] index, Serializable[] old,
                       int[] oldIndex, BitSet changed) throws SQLException {
    buffer.add(new ChangeBuffer.Step(writer, op, row, index, old, oldIndex, changed));
    if (buffer.size() >= flushRows) {
      flush();
    }
  }

  /** Sends the buffered changes (still inside the open transaction). */
  public void flush() throws SQLException {
    bufferedBytes = 0;
    buffer.drain(this::send);
  }

  /**
   * Sends steps of one op as JDBC batches (multi-row statements), in order. A row with an ENUM's error
   * value, which no strict session can write, goes alone in a lenient session.
   */
  private void send(TableWriter.Op op, List<ChangeBuffer.Step> steps) throws SQLException {
    if (op == TableWriter.Op.UPSERT) {
      sendUpserts(steps);
      return;
    }
    if (op == TableWriter.Op.UPDATE) {
      sendUpdates(steps);
      return;
    }
    PreparedStatement ps = null;
    TableWriter writer = null;
    for (ChangeBuffer.Step s : steps) {
      if (s.writer() != writer) {
        execute(ps, writer);
        writer = s.writer();
        ps = statement(writer.sql(op));
      }
      boolean lenient = op != TableWriter.Op.DELETE && writer.hasEnumErrorValue(s.row(), s.index());
      if (lenient) {
        execute(ps, writer); // what came before goes strictly
      }
      writer.bind(ps, op, s.row(), s.index(), s.old(), s.oldIndex());
      ps.addBatch();
      if (lenient) {
        executeLeniently(ps, writer);
      }
    }
    execute(ps, writer);
  }

  /**
   * Upserts as multi-row statement text through the pipe. A row with an ENUM's error value goes alone in a
   * lenient session, a row too long for one statement alone as a parameter (its bytes need no hex there).
   */
  private void sendUpserts(List<ChangeBuffer.Step> steps) throws SQLException {
    for (ChangeBuffer.Step s : steps) {
      TableWriter writer = s.writer();
      boolean lenient = writer.hasEnumErrorValue(s.row(), s.index());
      if (!lenient && text.appendUpsert(s)) {
        continue;
      }
      text.shipUpserts(); // what came before goes first
      PreparedStatement ps = statement(writer.sql(TableWriter.Op.UPSERT));
      writer.bind(ps, TableWriter.Op.UPSERT, s.row(), s.index(), null, null);
      ps.addBatch();
      if (lenient) {
        executeLeniently(ps, writer);
      } else {
        execute(ps, writer);
      }
    }
    text.shipUpserts();
  }

  /**
   * Updates of changed columns, one {@code UPDATE … JOIN} per table and statement size ({@link StatementText});
   * a row whose values alone are too long for a statement is written whole, as an upsert.
   */
  private void sendUpdates(List<ChangeBuffer.Step> steps) throws SQLException {
    List<ChangeBuffer.Step> whole = new ArrayList<>();
    int from = 0;
    for (int i = 1; i <= steps.size(); i++) {
      if (i == steps.size() || steps.get(i).writer() != steps.get(from).writer()) {
        text.sendUpdates(steps.get(from).writer(), steps.subList(from, i), whole);
        from = i;
      }
    }
    if (!whole.isEmpty()) {
      sendUpserts(whole);
    }
  }

  private PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  private void executeLeniently(PreparedStatement ps, TableWriter writer) throws SQLException {
    pipe.quiesce();
    try (Statement s = connection.createStatement()) {
      s.execute("SET SESSION sql_mode = '" + LENIENT_SQL_MODE + "'");
      try {
        execute(ps, writer);
      } finally {
        s.execute("SET SESSION sql_mode = '" + SQL_MODE + "'");
      }
    }
  }

  private void execute(PreparedStatement ps, TableWriter writer) {
    if (ps == null) {
      return;
    }
    pipe.quiesce();
    try {
      ps.executeBatch();
    } catch (SQLException e) {
      SQLException cause = e instanceof BatchUpdateException && e.getNextException() != null ? e.getNextException() : e;
      throw failure(cause, writer.sourceName, writer.destName);
    }
  }

  /**
   * Commits everything applied since the last commit together with {@code position} (where the next
   * source transaction begins).
   *
   * @throws FerryException {@code FENCED} when another owner took the job (rolled back)
   */
  public void commit(BinlogPosition position) {
    try {
      flush();
      pipe.quiesce();
      checkpoints.advance(connection, epoch, position);
      connection.commit();
      open = false;
      rowsInTransaction = 0;
    } catch (SQLException e) {
      rollback();
      throw Jdbc.classify(e, job.destination(), "destination", job.id());
    } catch (FerryException e) {
      rollback();
      throw e;
    }
  }

  /**
   * Keeps the rows of a prepared XA transaction in the destination, in the open transaction, until its
   * outcome arrives ({@link #takeXa}).
   */
  public void holdXa(String xid, List<ChangeEvent.Rows> rows) {
    try {
      open = true;
      pipe.quiesce();
      checkpoints.holdXa(connection, xid, PreparedRows.encode(rows));
    } catch (SQLException e) {
      throw Jdbc.classify(e, job.destination(), "destination", job.id());
    }
  }

  /**
   * The rows a prepared XA transaction left with {@link #holdXa}, removed in the open transaction (the
   * caller applies them there when the XA committed); null when the job never saw that XA prepared.
   */
  public List<ChangeEvent.Rows> takeXa(String xid) {
    try {
      open = true;
      pipe.quiesce();
      byte[] rows = checkpoints.takeXa(connection, xid);
      return rows == null ? null : PreparedRows.decode(rows);
    } catch (SQLException e) {
      throw Jdbc.classify(e, job.destination(), "destination", job.id());
    } catch (java.io.IOException e) {
      throw FerryException.fatal("XA_ROWS_UNREADABLE", "job " + job.id() + ": the rows kept for the prepared XA"
          + " transaction " + xid + " in " + job.tuning().ferrySchema() + ".xa_pending cannot be read: " + e.getMessage(),
          "Re-copy the job's tables (start: snapshot); the job stays before the XA transaction's outcome.");
    }
  }

  /** Rows applied in the open transaction (not yet committed). */
  public long rowsInTransaction() {
    return rowsInTransaction;
  }

  public boolean isOpen() {
    return open;
  }

  public void rollback() {
    try {
      buffer.clear();
      bufferedBytes = 0;
      text.clear();
      pipe.quiesceQuietly();
      for (PreparedStatement ps : statements.values()) {
        ps.clearBatch();
      }
      connection.rollback();
    } catch (SQLException e) {
      // The connection is likely gone; the server rolls back on disconnect.
    }
    open = false;
    rowsInTransaction = 0;
  }

  /** Drops cached table shapes after a DDL. */
  public void invalidateTables() {
    resolver.invalidate();
  }

  public Connection connection() {
    pipe.quiesce();
    return connection;
  }

  private FerryException failure(SQLException e, String source, String destination) {
    FerryException classified = Jdbc.classify(e, job.destination(), "destination", job.id());
    return new FerryException(classified.code(), classified.getMessage() + " (applying " + source + " to "
        + destination.replace("`", "") + ")", classified.remedy(), classified.retriable(), e);
  }

  @Override
  public void close() {
    pipe.close();
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException e) {
        // closing anyway
      }
    }
    statements.clear();
  }
}
