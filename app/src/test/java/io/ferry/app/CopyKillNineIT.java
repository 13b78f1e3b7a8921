package io.ferry.app;

import static io.ferry.app.ChildJobSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.worker.position.BinlogPosition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The initial copy survives {@code kill -9} of its process (a real child JVM), three times, while the
 * source takes writes: the big table is copied in four key ranges by parallel lanes, and each restart
 * goes on from each range's last committed chunk — every range's committed progress never goes back,
 * the ranges together always equal the rows the destination holds, and at the end each range's rows
 * copied equal the source's rows in that range exactly (no row read twice: nothing re-read after a kill
 * but the chunks that had not committed) — and the destination ends equal to the source.
 */
class CopyKillNineIT extends ChildJobBase {
  private static final int ROWS = 300_000;
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void killNineMidCopyThreeTimesResumesFromTheLastChunk() throws Exception {
    String db = "copykill_src";
    String copy = "copykill_copy";
    String job = "copykill";
    LedgerLoad.createTables(source, db);
    // big's secondary key is added once it is copied (deferred): the fourth run is killed while it builds
    source.execute("CREATE TABLE " + db + ".big (id INT PRIMARY KEY, v VARCHAR(40), pad CHAR(100), KEY v_pad (v, pad))",
        "INSERT INTO " + db + ".big SELECT seq, CONCAT('row ', seq), REPEAT('p', 100) FROM " + db + ".seq_1_to_" + ROWS,
        "INSERT INTO " + db + ".accounts SELECT seq, CONCAT('c', seq), 0, 'seed', NOW(6) FROM " + db
            + ".seq_0_to_999");
    // The ledger tables have no key: the copy takes the keyed ones, which the load also writes.
    Path config = ChildJobSupport.writeJob(dir, job, source, destination, db, copy, "{snapshot: {chunkRows: 2000}}",
        "\"" + db + ".ledger\", \"" + db + ".bulk\"");
    load = new LedgerLoad(source, db, 7, 200);
    load.start();
    Supplier<String> context = () -> load.describe();
    List<String> history = new ArrayList<>();
    try (Connection d = destination.rootConnection()) {
      long committed = 0;
      Map<Integer, Long> ranges = Map.of();
      for (int kill = 0; kill < 3; kill++) {
        FerryProcess child = start();
        long from = committed;
        await("run " + kill + " copies 30,000 more rows", WAIT, child, load, context,
            () -> bigCopied(d, job) >= from + 30_000);
        assertThat(child.kill9()).as("killed by SIGKILL%s", child.tail()).isEqualTo(137);
        long now = bigCopied(d, job);
        history.add(kill + ": " + from + " -> " + now);
        assertThat(now).as("committed progress never goes back (%s)", history).isGreaterThanOrEqualTo(from + 30_000);
        assertThat(now).as("the copy was still going (%s)", history).isLessThan(ROWS);
        assertThat(rows(d, copy + ".big")).as("the destination holds exactly the committed chunks (%s)", history)
            .isEqualTo(now);
        Map<Integer, Long> after = rangesCopied(d, job);
        assertThat(after).as("the big table is copied in four key ranges").hasSize(4);
        for (Map.Entry<Integer, Long> r : ranges.entrySet()) {
          assertThat(after.get(r.getKey())).as("range %d's committed progress never goes back (%s)", r.getKey(), history)
              .isGreaterThanOrEqualTo(r.getValue());
        }
        history.add("  ranges " + after);
        ranges = after;
        committed = now;
      }
      FerryProcess building = start();
      await("the copy ends and big's deferred key is being added", Duration.ofSeconds(180), building, load, context,
          () -> count(d, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'ALTER TABLE%big%ADD KEY%'")
              > 0);
      assertThat(building.kill9()).as("killed by SIGKILL%s", building.tail()).isEqualTo(137);
      history.add("killed while the destination added big's key");
      FerryProcess last = start();
      load.stop();
      BinlogPosition end = ChildJobSupport.sourceEnd(source);
      await("the copy ends and the stream catches up to " + end, Duration.ofSeconds(180), last, load, context, () -> {
        BinlogPosition cp = ChildJobSupport.checkpoint(d, job);
        return bigCopied(d, job) == ROWS && cp != null && cp.compareTo(end) >= 0
            && count(d, "SELECT COUNT(*) FROM _ferry.copy_deferred_keys WHERE job_id = '" + job + "'") == 0;
      });
      last.sigterm();
      assertThat(last.awaitExit(30)).as("exit code after SIGTERM%s", last.tail()).isZero();
      assertThat(bigCopied(d, job)).as("every row copied once (%s)", history).isEqualTo(ROWS);
      try (Connection s = source.rootConnection(); Statement st = d.createStatement();
           ResultSet rs = st.executeQuery("SELECT ordinal, last_key, range_end, rows_copied FROM _ferry.copy_state"
               + " WHERE job_id = '" + job + "' AND table_name = 'big' ORDER BY ordinal")) {
        String from = null;
        while (rs.next()) {
          String to = rs.getString(3) == null ? null : new io.vertx.core.json.JsonArray(rs.getString(3)).getString(0);
          long inRange = count(s, "SELECT COUNT(*) FROM " + db + ".big WHERE 1 = 1" + (from == null ? "" : " AND id > "
              + from) + (to == null ? "" : " AND id <= " + to));
          assertThat(rs.getLong(4)).as("range %d (after %s up to %s) copied each of its rows once: none re-read "
              + "after a kill (%s)", rs.getInt(1), from, to, history).isEqualTo(inRange);
          from = to;
        }
      }
      ChildJobSupport.assertSameData(source, db, destination, copy, "big", "accounts");
      try (Connection s = source.rootConnection()) {
        assertThat(keyParts(d, copy)).as("big's keys (%s)", history).isEqualTo(keyParts(s, db))
            .contains("v_pad 2 pad");
      }
    }
  }

  /** big's key parts: index name, position, column. */
  private static List<String> keyParts(Connection c, String db) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONCAT_WS(' ', INDEX_NAME,"
        + " SEQ_IN_INDEX, COLUMN_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '" + db + "'"
        + " AND TABLE_NAME = 'big' ORDER BY INDEX_NAME, SEQ_IN_INDEX")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /**
   * {@code keyless: copy} through two kill -9s: one while a keyless table is being read whole into the
   * destination (its transaction rolls back, and the next run reads it again from nothing), one right
   * after that copy committed, before the stream has passed its read's position (the next run replays the
   * stream from the checkpoint and must skip the table's changes the read already holds). Keyless rows are
   * not idempotent: a change applied twice shows as a doubled or missing row, so the checksums at the end
   * prove each change landed exactly once.
   */
  @Test
  void killNineDuringAndRightAfterAKeylessWholeTableCopyDoublesNothing() throws Exception {
    String db = "copykeyless_src";
    String copy = "copykeyless_copy";
    String job = "copykeyless";
    LedgerLoad.createTables(source, db);
    source.execute("CREATE TABLE " + db + ".heap (n INT, v VARCHAR(40), pad CHAR(100))",
        "INSERT INTO " + db + ".heap SELECT seq % 1000, CONCAT('row ', seq % 5000), REPEAT('p', 100) FROM " + db
            + ".seq_1_to_" + ROWS,
        "INSERT INTO " + db + ".accounts SELECT seq, CONCAT('c', seq), 0, 'seed', NOW(6) FROM " + db
            + ".seq_0_to_999");
    ChildJobSupport.writeJob(dir, job, source, destination, db, copy, "{snapshot: {chunkRows: 2000, keyless: copy}}",
        "");
    load = new LedgerLoad(source, db, 11, 100);
    load.start();
    java.util.concurrent.atomic.AtomicBoolean stopHeap = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.CompletableFuture<Void> heapChanges = java.util.concurrent.CompletableFuture.runAsync(() -> {
      for (int i = 0; !stopHeap.get(); i++) {
        source.execute("INSERT INTO " + db + ".heap VALUES (" + (i % 1000) + ", 'new', 'x'), (" + (i % 1000)
                + ", 'new', 'x')",
            "UPDATE " + db + ".heap SET v = 'upd " + i + "' WHERE n = " + (i * 7 % 1000) + " LIMIT 2",
            "DELETE FROM " + db + ".heap WHERE n = " + (i * 13 % 1000) + " LIMIT 1");
        java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
      }
    });
    Supplier<String> context = () -> load.describe();
    List<String> history = new ArrayList<>();
    try (Connection d = destination.rootConnection()) {
      FerryProcess first = start();
      await("heap is being read whole into the destination", WAIT, first, load, context, () -> wholeCopyLoading(d));
      assertThat(first.kill9()).as("killed by SIGKILL%s", first.tail()).isEqualTo(137);
      assertThat(heapState(d)[0]).as("heap's copy had not committed").isNull();
      assertThat(rows(d, copy + ".heap")).as("the killed whole-table copy left nothing behind").isZero();

      FerryProcess second = start();
      await("heap's whole-table copy commits", WAIT, second, load, context, () -> heapState(d)[0] != null);
      assertThat(second.kill9()).as("killed by SIGKILL%s", second.tail()).isEqualTo(137);
      BinlogPosition snapshot = heapState(d)[0];
      BinlogPosition checkpoint = ChildJobSupport.checkpoint(d, job);
      history.add("killed with heap read at " + snapshot + " and the checkpoint at " + checkpoint
          + (checkpoint.compareTo(snapshot) < 0 ? " (the restart replays changes the read holds)" : ""));

      FerryProcess last = start();
      stopHeap.set(true);
      heapChanges.get(60, java.util.concurrent.TimeUnit.SECONDS);
      load.stop();
      BinlogPosition end = ChildJobSupport.sourceEnd(source);
      await("the copy ends and the stream catches up to " + end, Duration.ofSeconds(180), last, load, context, () -> {
        BinlogPosition cp = ChildJobSupport.checkpoint(d, job);
        return cp != null && cp.compareTo(end) >= 0 && notDone(d, job) == 0;
      });
      last.sigterm();
      assertThat(last.awaitExit(30)).as("exit code after SIGTERM%s", last.tail()).isZero();
      System.out.println("CopyKillNineIT keyless: " + history);
      ChildJobSupport.assertSameData(source, db, destination, copy, "heap", "ledger", "bulk", "accounts");
    } finally {
      stopHeap.set(true);
    }
  }

  /** Whether a destination session is loading rows of heap's whole-table read. */
  private static boolean wholeCopyLoading(Connection d) throws SQLException {
    try (Statement s = d.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM"
        + " information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND INFO LIKE '%LOAD DATA%heap%'")) {
      rs.next();
      return rs.getLong(1) > 0;
    }
  }

  /** heap's copy: the position of the read that copied it (null before it committed). */
  private static BinlogPosition[] heapState(Connection d) throws SQLException {
    try (Statement s = d.createStatement(); ResultSet rs = s.executeQuery("SELECT snapshot_file, snapshot_pos FROM"
        + " _ferry.copy_state WHERE job_id = 'copykeyless' AND table_name = 'heap' AND done")) {
      return new BinlogPosition[] {rs.next() ? new BinlogPosition(rs.getString(1), rs.getLong(2), "") : null};
    } catch (SQLException e) {
      if (e.getErrorCode() == 1146) {
        return new BinlogPosition[] {null};
      }
      throw e;
    }
  }

  private static long notDone(Connection d, String job) throws SQLException {
    return count(d, "SELECT COUNT(*) FROM _ferry.copy_state WHERE job_id = '" + job + "' AND NOT done");
  }

  /** The committed rows copied of table {@code big}, from the copy's progress rows (one per key range). */
  private static long bigCopied(Connection d, String job) throws SQLException {
    try (Statement s = d.createStatement(); ResultSet rs = s.executeQuery("SELECT SUM(rows_copied) FROM"
        + " _ferry.copy_state WHERE job_id = '" + job + "' AND table_name = 'big'")) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      if (e.getErrorCode() == 1146) {
        return 0; // the first run has not created the table yet
      }
      throw e;
    }
  }

  /** Each key range's committed rows copied, by ordinal. */
  private static Map<Integer, Long> rangesCopied(Connection d, String job) throws SQLException {
    Map<Integer, Long> out = new java.util.TreeMap<>();
    try (Statement s = d.createStatement(); ResultSet rs = s.executeQuery("SELECT ordinal, rows_copied FROM"
        + " _ferry.copy_state WHERE job_id = '" + job + "' AND table_name = 'big'")) {
      while (rs.next()) {
        out.put(rs.getInt(1), rs.getLong(2));
      }
    }
    return out;
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long rows(Connection d, String table) throws SQLException {
    try (Statement s = d.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private FerryProcess start() throws Exception {
    FerryProcess p = FerryProcess.replicate(dir.resolve("job.yaml"), dir.resolve(String.format("run-%02d.log",
        children.size())));
    children.add(p);
    return p;
  }
}
