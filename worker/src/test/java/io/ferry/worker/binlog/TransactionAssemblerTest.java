package io.ferry.worker.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.XAPrepareEventData;
import com.github.shyiko.mysql.binlog.event.XidEventData;
import io.ferry.worker.config.TableFilter;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.position.BinlogFiles;
import io.ferry.worker.position.BinlogPosition;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionAssemblerTest {
  private final List<ChangeEvent> out = new ArrayList<>();
  private final TransactionAssembler assembler = new TransactionAssembler(
      new TableFilter(List.of("shop.*"), List.of()), new BinlogPosition("bin.000001", 4, "0-1-10"), out::add);

  private static Event event(EventType type, long nextPosition, EventData data) {
    EventHeaderV4 h = new EventHeaderV4();
    h.setEventType(type);
    h.setNextPosition(nextPosition);
    h.setServerId(7);
    h.setTimestamp(1_700_000_000_000L);
    return new Event(h, data);
  }

  private static Event gtid(long seq, long next, boolean standalone) {
    MariadbGtidEventData g = new MariadbGtidEventData();
    g.setDomainId(0);
    g.setSequence(seq);
    g.setFlags(standalone ? MariadbGtidEventData.FL_STANDALONE : 0);
    return event(EventType.MARIADB_GTID, next, g);
  }

  private static Event tableMap(long id, String db, String table, long next) {
    TableMapEventData t = new TableMapEventData();
    t.setTableId(id);
    t.setDatabase(db);
    t.setTable(table);
    t.setColumnTypes(new byte[] {3});
    t.setColumnMetadata(new int[] {0});
    return event(EventType.TABLE_MAP, next, t);
  }

  private static Event insert(long tableId, long next, int value) {
    WriteRowsEventData w = new WriteRowsEventData();
    w.setTableId(tableId);
    BitSet cols = new BitSet();
    cols.set(0);
    w.setIncludedColumns(cols);
    List<Serializable[]> rows = new ArrayList<>();
    rows.add(new Serializable[] {value});
    w.setRows(rows);
    Event e = event(EventType.EXT_WRITE_ROWS, next, w);
    ((EventHeaderV4) e.getHeader()).setEventLength(37);
    return e;
  }

  private static Event xid(long next) {
    return event(EventType.XID, next, new XidEventData());
  }

  private static Event query(String sql, long next) {
    QueryEventData q = new QueryEventData();
    q.setSql(sql);
    q.setDatabase("shop");
    return event(EventType.QUERY, next, q);
  }

  @Test
  void aTransactionYieldsItsRowsThenACommitAtTheNextTransactionsStart() throws Exception {
    assembler.onEvent(gtid(11, 100, false));
    assembler.onEvent(tableMap(5, "shop", "orders", 150));
    assembler.onEvent(insert(5, 200, 42));
    assembler.onEvent(xid(231));
    assertThat(out).hasSize(2);
    assertThat(out.get(0)).isInstanceOf(ChangeEvent.Rows.class);
    assertThat(((ChangeEvent.Rows) out.get(0)).images().get(0)[0]).isEqualTo(42);
    assertThat(((ChangeEvent.Rows) out.get(0)).binlogBytes()).as("the rows event's size, what the queue counts")
        .isEqualTo(37);
    assertThat(out.get(1)).isEqualTo(new ChangeEvent.Commit(new BinlogPosition("bin.000001", 231, "0-7-11"),
        1_700_000_000_000L));
  }

  @Test
  void rowsOfOtherTablesAreFilteredButTheirCommitStillAdvancesThePosition() throws Exception {
    assembler.onEvent(gtid(11, 100, false));
    assembler.onEvent(tableMap(6, "crm", "users", 150));
    assembler.onEvent(insert(6, 200, 1));
    assembler.onEvent(xid(231));
    assertThat(out).containsExactly(new ChangeEvent.Commit(new BinlogPosition("bin.000001", 231, "0-7-11"),
        1_700_000_000_000L));
  }

  @Test
  void ddlOutsideATransactionCarriesWhereItStartsAndEnds() throws Exception {
    assembler.onEvent(gtid(12, 300, true));
    assembler.onEvent(query("ALTER TABLE orders ADD COLUMN x INT", 400));
    ChangeEvent.Ddl ddl = (ChangeEvent.Ddl) out.get(0);
    assertThat(ddl.start()).isEqualTo(new BinlogPosition("bin.000001", 4, "0-1-10"));
    assertThat(ddl.position()).isEqualTo(new BinlogPosition("bin.000001", 400, "0-7-12"));
    assertThat(ddl.database()).isEqualTo("shop");
  }

  @Test
  void beginAndCommitQueriesDelimitNonTransactionalChanges() throws Exception {
    assembler.onEvent(query("BEGIN", 100));
    assembler.onEvent(tableMap(5, "shop", "orders", 150));
    assembler.onEvent(insert(5, 200, 1));
    assembler.onEvent(query("COMMIT", 260));
    assertThat(out).hasSize(2);
    assertThat(((ChangeEvent.Commit) out.get(1)).position().position()).isEqualTo(260);
  }

  @Test
  void aRotateBetweenTransactionsMovesThePositionToTheNewFile() throws Exception {
    RotateEventData r = new RotateEventData();
    r.setBinlogFilename("bin.000002");
    r.setBinlogPosition(4);
    assembler.onEvent(event(EventType.ROTATE, 0, r));
    assertThat(out).as("the position in the new file waits for the file's identity").isEmpty();
    assembler.onEvent(formatDescription(1_700_000_100_000L));
    assertThat(out).containsExactly(new ChangeEvent.Commit(new BinlogPosition("bin.000002", 4, "0-1-10"),
        1_700_000_000_000L));
  }

  private static Event formatDescription(long headerTimestamp) {
    Event e = event(EventType.FORMAT_DESCRIPTION, 0, null);
    ((EventHeaderV4) e.getHeader()).setTimestamp(headerTimestamp);
    return e;
  }

  @Test
  void eachFilesCreationTimeIsRecordedBeforeAPositionInItIsHandedOn() throws Exception {
    BinlogFiles files = new BinlogFiles("job j");
    List<Long> seenAtCommit = new ArrayList<>();
    TransactionAssembler a = new TransactionAssembler(new TableFilter(List.of("shop.*"), List.of()),
        new BinlogPosition("bin.000001", 4, ""), e -> {
          if (e instanceof ChangeEvent.Commit c) {
            seenAtCommit.add(files.created(c.position().file()));
          }
        }, files);
    RotateEventData r = new RotateEventData();
    r.setBinlogFilename("bin.000007");
    r.setBinlogPosition(4);
    a.onEvent(event(EventType.ROTATE, 0, r));
    a.onEvent(formatDescription(1_700_000_123_000L));
    assertThat(seenAtCommit).containsExactly(1_700_000_123L);
  }

  @Test
  void aKnownFileMetAgainWithAnotherCreationTimeIsAResetHistory() throws Exception {
    BinlogFiles files = new BinlogFiles("job j");
    files.record("bin.000001", 1_700_000_000L, "the job's checkpoint");
    TransactionAssembler a = new TransactionAssembler(new TableFilter(List.of("shop.*"), List.of()),
        new BinlogPosition("bin.000001", 900, ""), out::add, files);
    RotateEventData r = new RotateEventData();
    r.setBinlogFilename("bin.000001");
    r.setBinlogPosition(900);
    a.onEvent(event(EventType.ROTATE, 0, r));
    assertThatThrownBy(() -> a.onEvent(formatDescription(1_700_000_500_000L)))
        .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo("SOURCE_HISTORY_RESET"))
        .hasMessageContaining("RESET MASTER");
    assertThat(out).as("nothing of the new history handed on").isEmpty();
  }

  @Test
  void aCompressedTransactionCommitsAtThePayloadsEnd() throws Exception {
    TransactionPayloadEventData p = new TransactionPayloadEventData();
    p.setUncompressedEvents(new ArrayList<>(List.of(query("BEGIN", 0), tableMap(5, "shop", "orders", 0),
        insert(5, 0, 9), xid(0))));
    assembler.onEvent(event(EventType.TRANSACTION_PAYLOAD, 900, p));
    assertThat(out).hasSize(2);
    assertThat(((ChangeEvent.Commit) out.get(1)).position().position()).isEqualTo(900);
  }

  @Test
  void rowsWithoutTheirTableMapAreAnErrorNotASkip() {
    assertThatThrownBy(() -> {
      assembler.onEvent(gtid(11, 100, false));
      assembler.onEvent(insert(99, 200, 1));
    }).isInstanceOf(FerryException.class).hasMessageContaining("without its table map");
  }

  @Test
  void rowsLoggedAsAStatementStopTheJobInsteadOfVanishing() {
    assertThatThrownBy(() -> {
      assembler.onEvent(query("BEGIN", 100));
      assembler.onEvent(query("insert into orders values (5)", 200));
    }).isInstanceOf(FerryException.class).hasMessageContaining("logged as a statement")
        .extracting(e -> ((FerryException) e).code()).isEqualTo("STATEMENT_LOGGED");
  }

  @Test
  void aHeartbeatBetweenTransactionsMovesThePositionPastNonTransactionEvents() throws Exception {
    assembler.onEvent(event(EventType.HEARTBEAT, 500, null));
    assertThat(out).containsExactly(new ChangeEvent.Commit(new BinlogPosition("bin.000001", 500, "0-1-10"), 0),
        out.get(1));
    assertThat(out.get(1)).isInstanceOf(ChangeEvent.Heartbeat.class);
    out.clear();
    assembler.onEvent(event(EventType.HEARTBEAT, 500, null)); // nothing new: no commit
    assembler.onEvent(gtid(11, 600, false));
    assembler.onEvent(event(EventType.HEARTBEAT, 650, null)); // inside a transaction: no commit
    assertThat(out).allMatch(e -> e instanceof ChangeEvent.Heartbeat);
  }

  private static Event xaPrepare(long next, boolean onePhase, String gtrid) {
    XAPrepareEventData x = new XAPrepareEventData();
    x.setOnePhase(onePhase);
    x.setFormatID(1);
    x.setGtridLength(gtrid.length());
    x.setBqualLength(0);
    x.setData(gtrid.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return event(EventType.XA_PREPARE, next, x);
  }

  @Test
  void aPreparedXaHoldsItsRowsUntilItsOutcomeWhichNamesTheSameXid() throws Exception {
    assembler.onEvent(gtid(11, 100, false));
    assembler.onEvent(query("XA START X'31',X'',1", 120));
    assembler.onEvent(tableMap(5, "shop", "orders", 150));
    assembler.onEvent(insert(5, 200, 1));
    assembler.onEvent(insert(5, 220, 2));
    assembler.onEvent(query("XA END X'31',X'',1", 250));
    assertThat(out).as("the rows wait for the prepare").isEmpty();
    assembler.onEvent(xaPrepare(300, false, "1"));
    assertThat(out).hasSize(1);
    ChangeEvent.XaPrepare prepared = (ChangeEvent.XaPrepare) out.get(0);
    assertThat(prepared.xid()).isEqualTo("1:31:");
    assertThat(prepared.rows()).hasSize(2);
    assertThat(prepared.position()).isEqualTo(new BinlogPosition("bin.000001", 300, "0-7-11"));
    out.clear();

    assembler.onEvent(gtid(12, 400, false)); // another transaction in between
    assembler.onEvent(tableMap(5, "shop", "orders", 450));
    assembler.onEvent(insert(5, 500, 3));
    assembler.onEvent(xid(550));
    assembler.onEvent(gtid(13, 600, false));
    assembler.onEvent(query("XA COMMIT X'31',X'',1", 650));
    assertThat(out).hasSize(3);
    assertThat(out.get(2)).isEqualTo(new ChangeEvent.XaOutcome("1:31:", true,
        new BinlogPosition("bin.000001", 650, "0-7-13"), 1_700_000_000_000L));
    out.clear();
    assembler.onEvent(gtid(14, 700, false));
    assembler.onEvent(query("XA ROLLBACK 'batch-7','b',3", 750));
    assertThat(out).containsExactly(new ChangeEvent.XaOutcome("3:62617463682d37:62", false,
        new BinlogPosition("bin.000001", 750, "0-7-14"), 1_700_000_000_000L));
  }

  @Test
  void onMariaDbTheGtidEventMarksAnXasFirstHalf() throws Exception {
    Event first = gtid(11, 100, false);
    ((MariadbGtidEventData) first.getData()).setFlags(TransactionAssembler.FL_PREPARED_XA);
    assembler.onEvent(first); // MariaDB logs no XA START statement
    assembler.onEvent(tableMap(5, "shop", "orders", 150));
    assembler.onEvent(insert(5, 200, 1));
    assembler.onEvent(query("XA END X'74776f',X'',1", 250));
    assertThat(out).isEmpty();
    assembler.onEvent(xaPrepare(300, false, "two"));
    assertThat(((ChangeEvent.XaPrepare) out.get(0)).rows()).hasSize(1);
    assertThat(((ChangeEvent.XaPrepare) out.get(0)).xid()).isEqualTo(Xids.outcome("XA COMMIT X'74776f',X'',1").xid());
  }

  @Test
  void aPreparedXaOfOtherTablesGoesOnWithoutRowsSoItsOutcomeIsKnown() throws Exception {
    assembler.onEvent(gtid(11, 100, false));
    assembler.onEvent(query("XA START X'32',X'',1", 120));
    assembler.onEvent(tableMap(6, "crm", "users", 150));
    assembler.onEvent(insert(6, 200, 1));
    assembler.onEvent(query("XA END X'32',X'',1", 250));
    assembler.onEvent(xaPrepare(300, false, "2"));
    assertThat(out).containsExactly(new ChangeEvent.XaPrepare("1:32:", List.of(),
        new BinlogPosition("bin.000001", 300, "0-7-11"), 1_700_000_000_000L));
  }

  @Test
  void oneXaPhaseIsAnOrdinaryTransactionWhetherLoggedAsAStatementOrAsAPrepareEvent() throws Exception {
    // MariaDB: XA COMMIT ... ONE PHASE in the XA's own group
    assembler.onEvent(gtid(11, 100, false));
    assembler.onEvent(query("XA START X'33',X'',1", 120));
    assembler.onEvent(tableMap(5, "shop", "orders", 150));
    assembler.onEvent(insert(5, 200, 1));
    assembler.onEvent(query("XA END X'33',X'',1", 250));
    assembler.onEvent(query("XA COMMIT X'33',X'',1 ONE PHASE", 300));
    assertThat(out).hasSize(2);
    assertThat(out.get(0)).isInstanceOf(ChangeEvent.Rows.class);
    assertThat(out.get(1)).isEqualTo(new ChangeEvent.Commit(new BinlogPosition("bin.000001", 300, "0-7-11"),
        1_700_000_000_000L));
    out.clear();
    // MySQL: an XA_PREPARE event with the one-phase flag ends the group
    assembler.onEvent(gtid(12, 400, false));
    assembler.onEvent(query("XA START X'34',X'',1", 420));
    assembler.onEvent(tableMap(5, "shop", "orders", 450));
    assembler.onEvent(insert(5, 500, 2));
    assembler.onEvent(query("XA END X'34',X'',1", 550));
    assembler.onEvent(xaPrepare(600, true, "4"));
    assertThat(out).hasSize(2);
    assertThat(out.get(0)).isInstanceOf(ChangeEvent.Rows.class);
    assertThat(out.get(1)).isEqualTo(new ChangeEvent.Commit(new BinlogPosition("bin.000001", 600, "0-7-12"),
        1_700_000_000_000L));
  }

  @Test
  void xidsReadTheSameFromThePrepareEventAndFromTheOutcomeStatement() {
    assertThat(Xids.outcome("XA COMMIT X'6f7264657273',X'',1")).isEqualTo(
        new Xids.Outcome(Xids.key(1, "orders".getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[0]), true,
            false));
    assertThat(Xids.outcome("xa rollback 'it''s'")).isEqualTo(new Xids.Outcome("1:69742773:", false, false));
    assertThat(Xids.outcome("XA COMMIT 'a', 'b', 7 ONE PHASE")).isEqualTo(new Xids.Outcome("7:61:62", true, true));
    assertThat(Xids.outcome("XA COMMITTED nothing")).isNull();
  }
}
