package io.ferry.worker.binlog;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.XAPrepareEventData;
import io.ferry.worker.config.TableFilter;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.position.BinlogFiles;
import io.ferry.worker.position.BinlogPosition;
import io.ferry.worker.position.GtidTracker;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Turns the raw event stream into {@link ChangeEvent}s: keeps the current file and offset, the GTID
 * set, the table maps, and whether a transaction is open; filters rows by table; emits a
 * {@link ChangeEvent.Commit} with the restart position at each transaction end (also for transactions
 * that touched no included table, so an idle job's position still advances).
 *
 * <p>Owned by the binlog client's thread. Events are routed through an {@link EnumMap} of handlers.
 */
final class TransactionAssembler {
  /** Where assembled events go; may block (that is the backpressure). */
  interface Sink {
    void accept(ChangeEvent event) throws InterruptedException;
  }

  /** Statements that change rows; in a row-based stream they mean rows were logged as a statement. */
  private static final Pattern STATEMENT_DML = Pattern.compile(
      "(?:/\\*.*?\\*/\\s*)*(?:INSERT|REPLACE|UPDATE|DELETE|LOAD\\s+DATA|LOAD\\s+XML)\\b",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  /** MariaDB's GTID flag of an XA transaction's first half (the binlog client names only the older flags). */
  static final int FL_PREPARED_XA = 64;

  private final TableFilter filter;
  private final Sink sink;
  private final GtidTracker gtids;
  private final Map<EventType, BiConsumer<Event, Long>> handlers = new EnumMap<>(EventType.class);
  private final Map<Long, TableMapEventData> tableMaps = new HashMap<>();
  /**
   * Whether the filter includes a table map's table, by map (identity): the deserializer hands back the same
   * map object while the source repeats its bytes, so the patterns run once per table, not once per rows event.
   */
  private final Map<TableMapEventData, Boolean> included = new IdentityHashMap<>();
  private String file;
  private long transactionStart;
  private boolean inTransaction;
  private boolean includedRows; // the open transaction has rows of an included table
  /**
   * Rows of an XA transaction since its XA START, held back until its first half ends: applied at a
   * one-phase commit, handed on with {@link ChangeEvent.XaPrepare} at XA PREPARE. Null outside XA.
   */
  private List<ChangeEvent.Rows> xaRows;
  private String pendingGtid;
  private MariadbGtidEventData pendingMariaGtid;
  private long pendingMariaServerId; // the GTID's server id is the event header's, not in the event body
  private InterruptedException interrupted;
  private final BinlogFiles files;
  /**
   * A rotation's commit (its header timestamp) waiting for the new file's format description event,
   * which the server sends next: a position in a file is handed on only once the file's creation time
   * is recorded, so the checkpoint that stores it can store that too. Null when none waits.
   */
  private Long rotationCommit;

  TransactionAssembler(TableFilter filter, BinlogPosition start, Sink sink) {
    this(filter, start, sink, new BinlogFiles("the binlog stream"));
  }

  TransactionAssembler(TableFilter filter, BinlogPosition start, Sink sink, BinlogFiles files) {
    this.filter = filter;
    this.sink = sink;
    this.files = files;
    this.gtids = new GtidTracker(start.gtidSet());
    this.file = start.file();
    this.transactionStart = start.position();
    handlers.put(EventType.ROTATE, this::onRotate);
    handlers.put(EventType.FORMAT_DESCRIPTION, this::onFormatDescription);
    handlers.put(EventType.GTID, this::onMySqlGtid);
    handlers.put(EventType.GTID_TAGGED, this::onMySqlGtid);
    handlers.put(EventType.MARIADB_GTID, this::onMariaDbGtid);
    handlers.put(EventType.QUERY, this::onQuery);
    handlers.put(EventType.TABLE_MAP, this::onTableMap);
    handlers.put(EventType.XID, (e, next) -> endTransaction(e, next));
    handlers.put(EventType.XA_PREPARE, this::onXaPrepare);
    handlers.put(EventType.TRANSACTION_PAYLOAD, this::onPayload);
    handlers.put(EventType.HEARTBEAT, this::onHeartbeat);
    handlers.put(EventType.HEARTBEAT_V2, this::onHeartbeat);
    for (EventType t : List.of(EventType.WRITE_ROWS, EventType.EXT_WRITE_ROWS, EventType.PRE_GA_WRITE_ROWS)) {
      handlers.put(t, (e, next) -> onRows(e, ChangeEvent.Kind.INSERT));
    }
    for (EventType t : List.of(EventType.UPDATE_ROWS, EventType.EXT_UPDATE_ROWS, EventType.PRE_GA_UPDATE_ROWS)) {
      handlers.put(t, (e, next) -> onRows(e, ChangeEvent.Kind.UPDATE));
    }
    for (EventType t : List.of(EventType.DELETE_ROWS, EventType.EXT_DELETE_ROWS, EventType.PRE_GA_DELETE_ROWS)) {
      handlers.put(t, (e, next) -> onRows(e, ChangeEvent.Kind.DELETE));
    }
    handlers.put(EventType.PARTIAL_UPDATE_ROWS_EVENT, (e, next) -> {
 throw FerryException.fatal("PARTIAL_JSON", "The source logs partial JSON updates (PARTIAL_UPDATE_ROWS)"
          + " at " + file + ":" + transactionStart + "; Ferry needs whole row images",
          "Set binlog_row_value_options='' on the source, then restart the job from before this transaction.");
    });
  }

  /** Handles one event; throws {@link InterruptedException} when the sink was interrupted. */
  void onEvent(Event event) throws InterruptedException {
    long next = event.getHeader() instanceof EventHeaderV4 h ? h.getNextPosition() : 0;
    dispatch(event, next);
    if (interrupted != null) {
      InterruptedException e = interrupted;
      interrupted = null;
      throw e;
    }
  }

  String currentFile() {
    return file;
  }

  private void dispatch(Event event, long nextPosition) {
    if (rotationCommit != null && event.getHeader().getEventType() != EventType.FORMAT_DESCRIPTION) {
      emitRotation(); // no format description event after the rotation (not seen from servers): go on as before
    }
    BiConsumer<Event, Long> handler = handlers.get(event.getHeader().getEventType());
    if (handler != null) {
      handler.accept(event, nextPosition);
    }
  }

  private void onRotate(Event event, long next) {
    RotateEventData data = event.getData();
    file = data.getBinlogFilename();
    if (!inTransaction) {
      transactionStart = data.getBinlogPosition();
      rotationCommit = event.getHeader().getTimestamp();
    }
  }

  /**
   * The first event of every file, sent also when reading starts in the middle of one: its header
   * timestamp is when the source created the file. Recorded before any position in the file is handed
   * on; a file already known with another time means the source's history was reset.
   */
  private void onFormatDescription(Event event, long next) {
    files.record(file, event.getHeader().getTimestamp() / 1000, "its format description event in the stream");
    if (rotationCommit != null) {
      emitRotation();
    }
  }

  private void emitRotation() {
    long timestamp = rotationCommit;
    rotationCommit = null;
    emit(new ChangeEvent.Commit(position(transactionStart), timestamp));
  }

  /**
   * The server sends a heartbeat when it has sent everything; its header's position is the end of what
   * it sent. Outside a transaction that is a restart position, past events that are no transaction
   * (MariaDB's binlog checkpoint events, written after rotations), so an idle job's checkpoint reaches
   * the end of the binlog.
   */
  private void onHeartbeat(Event event, long next) {
    if (!inTransaction && next > transactionStart && !file.isEmpty()) {
      transactionStart = next;
      emit(new ChangeEvent.Commit(position(next), 0));
    }
    emit(new ChangeEvent.Heartbeat(System.currentTimeMillis()));
  }

  private void onMySqlGtid(Event event, long next) {
    GtidEventData data = event.getData();
    pendingGtid = data.getMySqlGtid().toString();
  }

  private void onMariaDbGtid(Event event, long next) {
    MariadbGtidEventData data = event.getData();
    pendingMariaGtid = data;
    pendingMariaServerId = event.getHeader().getServerId();
    if ((data.getFlags() & MariadbGtidEventData.FL_STANDALONE) == 0) {
      inTransaction = true; // a MariaDB GTID event is the BEGIN of a transaction unless standalone
    }
    if ((data.getFlags() & FL_PREPARED_XA) != 0) {
      xaRows = new ArrayList<>(); // MariaDB logs no XA START: the GTID event says the group is an XA's first half
    }
  }

  private void onQuery(Event event, long next) {
    QueryEventData data = event.getData();
    String sql = data.getSql().trim();
    String upper = sql.length() > 16 ? sql.substring(0, 16).toUpperCase(Locale.ROOT) : sql.toUpperCase(Locale.ROOT);
    if (upper.equals("BEGIN")) {
      inTransaction = true;
    } else if (upper.startsWith("XA START")) {
      inTransaction = true;
      xaRows = new ArrayList<>();
    } else if (upper.startsWith("XA COMMIT") || upper.startsWith("XA ROLLBACK")) {
      onXaOutcome(event, next, sql);
    } else if (upper.equals("COMMIT") || upper.equals("ROLLBACK")) {
      // A logged ROLLBACK ends a transaction whose non-transactional changes the source kept.
      endTransaction(event, next);
    } else if (STATEMENT_DML.matcher(sql).lookingAt()) {
      // Rows logged as a statement (a session with binlog_format=STATEMENT/MIXED): skipping it would lose
      // them, and re-running the statement could compute other rows. Stop instead.
      throw FerryException.fatal("STATEMENT_LOGGED", "A change was logged as a statement, not as rows, at " + file
          + ":" + transactionStart + " (database " + data.getDatabase() + "): " + abbreviate(sql),
          "Make every session on the source use binlog_format=ROW (SET GLOBAL binlog_format=ROW and reconnect the "
          + "applications), then re-copy the affected tables; the job stays before this transaction.");
    } else if (!inTransaction) {
      BinlogPosition start = position(transactionStart);
      recordGtid();
      transactionStart = next;
      emit(new ChangeEvent.Ddl(data.getDatabase(), sql, start, position(next), event.getHeader().getTimestamp()));
    }
    // Otherwise SAVEPOINT, ROLLBACK TO, XA END/PREPARE inside a row-based transaction: they carry no rows.
  }

  /**
   * The end of the first half of an XA transaction. One-phase (MySQL logs {@code XA COMMIT ... ONE PHASE}
   * this way): a commit. Two-phase: the source logs the rows now and whether they commit or roll back
   * only later, as a transaction of its own, possibly after others; the rows go on held back
   * ({@link ChangeEvent.XaPrepare}) and the applier keeps them in the destination until the outcome.
   */
  private void onXaPrepare(Event event, long next) {
    XAPrepareEventData data = event.getData();
    if (data.isOnePhase()) {
      endTransaction(event, next); // with the rows the XA held back
      return;
    }
    // Also a prepared XA of other tables goes on (with no rows): its outcome must find it was seen.
    List<ChangeEvent.Rows> held = xaRows == null ? List.of() : xaRows;
    xaRows = null;
    byte[] ids = data.getData();
    byte[] gtrid = Arrays.copyOfRange(ids, 0, data.getGtridLength());
    byte[] bqual = Arrays.copyOfRange(ids, data.getGtridLength(), data.getGtridLength() + data.getBqualLength());
    closeGroup(next);
    emit(new ChangeEvent.XaPrepare(Xids.key(data.getFormatID(), gtrid, bqual), held, position(next),
        event.getHeader().getTimestamp()));
  }

  /**
   * {@code XA COMMIT}/{@code XA ROLLBACK}: with {@code ONE PHASE}, or right after the XA's own rows in the
   * same transaction, it ends that transaction; naming an XA prepared earlier, it is that XA's outcome.
   */
  private void onXaOutcome(Event event, long next, String sql) {
    Xids.Outcome outcome = Xids.outcome(sql);
    if (xaRows != null || outcome == null || outcome.onePhase()) {
      endTransaction(event, next); // with the rows the XA held back
      return;
    }
    closeGroup(next);
    emit(new ChangeEvent.XaOutcome(outcome.xid(), outcome.commit(), position(next), event.getHeader().getTimestamp()));
  }

  /** Hands on the rows an XA transaction held back, when it turned out not to be a prepared one. */
  private void releaseXaRows() {
    List<ChangeEvent.Rows> held = xaRows;
    xaRows = null;
    if (held != null) {
      held.forEach(this::emit);
    }
  }

  private static String abbreviate(String sql) {
    return sql.length() <= 200 ? sql : sql.substring(0, 200) + "...";
  }

  private void onTableMap(Event event, long next) {
    TableMapEventData data = event.getData();
    tableMaps.put(data.getTableId(), data);
  }

  private void onPayload(Event event, long next) {
    TransactionPayloadEventData data = event.getData();
    for (Event inner : data.getUncompressedEvents()) {
      dispatch(inner, next); // inner events carry no positions; the payload's end is the restart point
    }
  }

  private void onRows(Event event, ChangeEvent.Kind kind) {
    Object data = event.getData();
    long tableId;
    List<Serializable[]> images;
    java.util.BitSet columns;
    java.util.BitSet after = null;
    if (data instanceof WriteRowsEventData w) {
      tableId = w.getTableId();
      images = w.getRows();
      columns = w.getIncludedColumns();
    } else if (data instanceof DeleteRowsEventData d) {
      tableId = d.getTableId();
      images = d.getRows();
      columns = d.getIncludedColumns();
    } else {
      UpdateRowsEventData u = (UpdateRowsEventData) data;
      tableId = u.getTableId();
      columns = u.getIncludedColumnsBeforeUpdate();
      after = u.getIncludedColumns();
      images = new ArrayList<>(u.getRows().size() * 2);
      for (Map.Entry<Serializable[], Serializable[]> row : u.getRows()) {
        images.add(row.getKey());
        images.add(row.getValue());
      }
    }
    TableMapEventData table = tableMaps.get(tableId);
    if (table == null) {
      throw FerryException.fatal("TABLE_MAP_MISSING", "Rows event for table id " + tableId + " without its table map at "
          + file + ":" + transactionStart, "Restart the job from the start of a transaction (its checkpoint).");
    }
    if (included(table)) {
      includedRows = true;
      int bytes = event.getHeader() instanceof EventHeaderV4 h ? (int) h.getEventLength() : 0;
      ChangeEvent.Rows rows = new ChangeEvent.Rows(table, kind, columns, after, images, event.getHeader().getTimestamp(),
          bytes);
      if (xaRows != null) {
        xaRows.add(rows);
      } else {
        emit(rows);
      }
    }
  }

  private boolean included(TableMapEventData table) {
    Boolean known = included.get(table);
    if (known == null) {
      if (included.size() >= 1_000) {
        included.clear(); // maps decoded anew each time (changing tables) must not pile up
      }
      known = filter.matches(table.getDatabase(), table.getTable());
      included.put(table, known);
    }
    return known;
  }

  private void endTransaction(Event event, long next) {
    releaseXaRows();
    closeGroup(next);
    emit(new ChangeEvent.Commit(position(next), event.getHeader().getTimestamp()));
  }

  /** The open event group ended at {@code next}: its GTID counts, the next group starts there. */
  private void closeGroup(long next) {
    recordGtid();
    inTransaction = false;
    includedRows = false;
    tableMaps.clear();
    transactionStart = next;
  }

  private void recordGtid() {
    if (pendingMariaGtid != null) {
      gtids.addMariaDb(pendingMariaGtid.getDomainId(), pendingMariaServerId, pendingMariaGtid.getSequence());
    } else if (pendingGtid != null && !pendingGtid.isEmpty()) {
      gtids.addMySql(pendingGtid);
    }
    pendingMariaGtid = null;
    pendingGtid = null;
  }

  private BinlogPosition position(long offset) {
    return new BinlogPosition(file, offset, gtids.current());
  }

  private void emit(ChangeEvent event) {
    if (interrupted != null) {
      return;
    }
    try {
      sink.accept(event);
    } catch (InterruptedException e) {
      interrupted = e;
    }
  }
}
