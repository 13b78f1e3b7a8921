package io.ferry.worker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.worker.JobRunner;
import io.ferry.worker.config.DdlPolicy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Invariant 1 and 4 on real servers: a concurrent mixed load and a 200,000-row transaction arrive whole. */
class MixedLoadIT extends SourceAndDestination {
  @Test
  void mixedConcurrentLoadAndAHugeTransactionEndEqual() throws Exception {
    String db = ItSupport.uniqueDb("mixed");
    String copy = db + "_copy";
    MixedLoad.createTables(source, db);
    JobRunner runner = ItSupport.start(ItSupport.job("mixed", source, destination, List.of(db + ".*"),
        Map.of(db, copy), DdlPolicy.EXEC));
    try {
      MixedLoad.run(source, db, 4, 400);
      try (Connection c = source.rootConnection(); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        s.execute("INSERT INTO " + db + ".items (account_id, qty, label, payload)"
            + " SELECT seq % 500, seq, CONCAT('bulk', seq), NULL FROM " + db + ".seq_1_to_200000");
        s.execute("UPDATE " + db + ".accounts SET name = 'after bulk'");
        c.commit();
      }
      MixedLoad.run(source, db, 2, 100);
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, copy, "accounts", "items", "journal");
      assertThat(runner.stats().rowsApplied()).isGreaterThan(200_000);
    } finally {
      ItSupport.stop(runner);
    }
  }

  /**
   * Changes reduced to the last image per key within a batch: unique values swapped between rows, a
   * key deleted and inserted again, a key changed back and forth — all inside few transactions, so
   * they land in one destination batch.
   */
  @Test
  void reducedBatchesKeepUniqueSwapsAndKeyChangesRight() throws Exception {
    String db = ItSupport.uniqueDb("swap");
    String copy = db + "_copy";
    source.execute("CREATE DATABASE " + db, "CREATE TABLE " + db + ".u (id INT PRIMARY KEY, code VARCHAR(10) NOT NULL"
        + " UNIQUE, v INT)", "INSERT INTO " + db + ".u VALUES (1, 'a', 1), (2, 'b', 2), (3, 'c', 3), (4, 'd', 4)");
    JobRunner runner = ItSupport.start(ItSupport.job("swap", source, destination, List.of(db + ".*"),
        Map.of(db, copy), DdlPolicy.EXEC));
    try {
      ItSupport.awaitCaughtUp(runner, source);
      for (int round = 0; round < 50; round++) {
        source.execute("BEGIN",
            "UPDATE " + db + ".u SET code = 'tmp' WHERE id = 1",
            "UPDATE " + db + ".u SET code = 'a' WHERE id = 2",
            "UPDATE " + db + ".u SET code = 'b' WHERE id = 1",
            "COMMIT",
            "BEGIN",
            "DELETE FROM " + db + ".u WHERE id = 3",
            "INSERT INTO " + db + ".u VALUES (3, 'c', " + round + ")",
            "UPDATE " + db + ".u SET id = 40 WHERE id = 4",
            "UPDATE " + db + ".u SET id = 4, v = v + 1 WHERE id = 40",
            "COMMIT",
            "UPDATE " + db + ".u SET code = CONCAT(code, '') , v = v + 1 WHERE id IN (1, 2)");
      }
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, copy, "u");
    } finally {
      ItSupport.stop(runner);
    }
  }

  /**
   * Updates that keep the key and leave unique keys alone are sent as updates of the columns they changed.
   * {@code e} shows it: a column only the destination has keeps the value set there (a full-row REPLACE would
   * reset it to its default). Rows deleted on the destination behind Ferry's back are not found by the update,
   * so its statement's rows are then written whole, as the REPLACE of every update did before (in {@code e}
   * that resets the extra column of the statement's rows, in {@code w} the rows are back). {@code w}: a 3,000-row
   * update (two flushes), a second update of some of its rows changing another column (the column sets
   * merge), an update of a row inserted in the same batch and moves of unique values (written whole).
   * {@code g}: a unique key over a generated column makes every update of its table whole (two rows swap
   * the generated value within one batch; as updates of k the first would meet the other's value). The
   * last update of {@code e} names its key range and passes by the rows of it that it does not change.
   */
  @Test
  void updatesOfChangedColumnsMergeAndWriteMissingRowsWhole() throws Exception {
    String db = ItSupport.uniqueDb("cols");
    String copy = db + "_copy";
    source.execute("CREATE DATABASE " + db,
        "CREATE TABLE " + db + ".w (id INT PRIMARY KEY, code VARCHAR(10) NULL UNIQUE, k INT NOT NULL, note TEXT, KEY (k))",
        "CREATE TABLE " + db + ".g (id INT PRIMARY KEY, k INT NOT NULL, g INT AS (k * 10) PERSISTENT, UNIQUE KEY (g))",
        "CREATE TABLE " + db + ".e (id INT PRIMARY KEY, k INT NOT NULL)");
    JobRunner runner = ItSupport.start(ItSupport.job("cols", source, destination, List.of(db + ".*"),
        Map.of(db, copy), DdlPolicy.EXEC));
    try {
      source.execute("INSERT INTO " + db + ".w SELECT seq, CONCAT('c', seq), seq % 7,"
          + " IF(seq % 3 = 0, NULL, REPEAT('n', seq % 50)) FROM " + db + ".seq_1_to_3000",
          "INSERT INTO " + db + ".g (id, k) VALUES (1, 1), (2, 2)",
          "INSERT INTO " + db + ".e SELECT seq, seq FROM " + db + ".seq_1_to_100");
      ItSupport.awaitCaughtUp(runner, source);
      destination.execute("ALTER TABLE " + copy + ".e ADD COLUMN extra INT NOT NULL DEFAULT 0",
          "UPDATE " + copy + ".e SET extra = 5",
          "DELETE FROM " + copy + ".w WHERE id IN (5, 1500, 2999)");
      source.execute("BEGIN",
          "UPDATE " + db + ".w SET k = k + 1",
          "UPDATE " + db + ".w SET note = CONCAT('changed ', id) WHERE id % 100 = 0 OR id = 1500",
          "INSERT INTO " + db + ".w VALUES (5000, 'new', 1, 'new')",
          "UPDATE " + db + ".w SET k = 2, note = NULL WHERE id = 5000",
          "UPDATE " + db + ".w SET code = NULL WHERE id = 1",
          "UPDATE " + db + ".w SET code = 'c1', k = k + 10 WHERE id = 2",
          "UPDATE " + db + ".w SET code = 'c2' WHERE id = 3",
          "UPDATE " + db + ".g SET k = 3 WHERE id = 1",
          "UPDATE " + db + ".g SET k = 1 WHERE id = 2",
          "UPDATE " + db + ".g SET k = 2 WHERE id = 1",
          "UPDATE " + db + ".e SET k = k * 2 WHERE id <= 50",
          "COMMIT");
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, copy, "w", "g");
      assertThat(ItSupport.strings(destination, "SELECT COUNT(*) FROM " + copy + ".w WHERE id IN (5, 1500, 2999)"))
          .containsExactly("3");
      String e = "SELECT CONCAT(COUNT(*), ' ', SUM(k), ' ', SUM(extra = 5), ' ', IFNULL(GROUP_CONCAT(IF(extra = 5, NULL, id)"
          + " ORDER BY id), '-')) FROM " + copy + ".e";
      assertThat(ItSupport.strings(destination, e)).as("rows, sum of k, rows that kept extra, the others")
          .containsExactly("100 6325 100 -");

      destination.execute("DELETE FROM " + copy + ".e WHERE id IN (7, 8)");
      source.execute("UPDATE " + db + ".e SET k = k + 1 WHERE id IN (7, 8, 9)");
      ItSupport.awaitCaughtUp(runner, source);
      assertThat(ItSupport.strings(destination, e)).containsExactly("100 6328 97 7,8,9");

      // 36 keys in 61..99 fill that range enough for the update to name it (TableWriter.updateText): the rows of
      // the range it does not change (70, 80, 90) are read and left alone.
      source.execute("UPDATE " + db + ".e SET k = k + 1000 WHERE id > 60 AND id % 10 <> 0");
      ItSupport.awaitCaughtUp(runner, source);
      assertThat(ItSupport.strings(destination, e)).containsExactly("100 42328 97 7,8,9");
      String ks = "SELECT GROUP_CONCAT(k ORDER BY id) FROM ";
      assertThat(ItSupport.strings(destination, ks + copy + ".e")).isEqualTo(ItSupport.strings(source, ks + db + ".e"));
    } finally {
      ItSupport.stop(runner);
    }
  }
}
