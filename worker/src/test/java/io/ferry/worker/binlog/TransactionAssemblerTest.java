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
import com.github.shyiko.mysql.binlog.event.XidEventData;
import io.ferry.worker.config.TableFilter;
import io.ferry.worker.error.FerryException;
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
    return event(EventType.EXT_WRITE_ROWS, next, w);
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
    assertThat(out).containsExactly(new ChangeEvent.Commit(new BinlogPosition("bin.000002", 4, "0-1-10"),
        1_700_000_000_000L));
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

  @Test
  void aPreparedXaTransactionOfAnIncludedTableStopsTheJobOthersEndTheirGroup() throws Exception {
    assembler.onEvent(gtid(11, 100, false));
    assembler.onEvent(tableMap(6, "crm", "users", 150));
    assembler.onEvent(insert(6, 200, 1));
    assembler.onEvent(query("XA END X'31',X'',1", 250));
    assembler.onEvent(event(EventType.XA_PREPARE, 300, null));
    assertThat(out).containsExactly(new ChangeEvent.Commit(new BinlogPosition("bin.000001", 300, "0-7-11"),
        1_700_000_000_000L));
    assertThatThrownBy(() -> {
      assembler.onEvent(gtid(12, 400, false));
      assembler.onEvent(tableMap(5, "shop", "orders", 450));
      assembler.onEvent(insert(5, 500, 1));
      assembler.onEvent(query("XA END X'32',X'',1", 550));
      assembler.onEvent(event(EventType.XA_PREPARE, 600, null));
    }).isInstanceOf(FerryException.class).extracting(e -> ((FerryException) e).code()).isEqualTo("XA_PREPARED");
  }
}
