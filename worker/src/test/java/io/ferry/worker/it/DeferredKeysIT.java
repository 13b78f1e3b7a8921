package io.ferry.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.mariadb.MariaDbServer;
import io.ferry.worker.JobRunner;
import io.ferry.worker.config.JobConfig;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A table Ferry creates for an initial copy gets its plain secondary keys once its rows are copied
 * (see {@code DeferredKeys}): during the copy the destination has only the primary, unique and full-text
 * keys; at the end every key is there exactly as at the source, also after a stop mid-copy and after a
 * run that had added some of them; a DDL on such a table meets its keys first.
 */
class DeferredKeysIT extends SourceAndDestination {
  private static final int ROWS = 40_000;

  @Test
  void keysFollowTheCopyAndEndAsAtTheSource() throws Exception {
    String db = ItSupport.uniqueDb("defer_keys");
    String copy = db + "_copy";
    createTable(db);
    JobConfig job = InitialCopyIT.oneChunkPerStep(InitialCopyIT.snapshotJob("defer_keys", source, destination, db,
        copy, 500, false, null));
    JobRunner first = InitialCopyIT.start(job);
    ItSupport.awaitCopied(first, 2_000);
    assertThat(indexes(destination, copy)).as("during the copy").containsExactly("PRIMARY", "ft", "u");
    assertThat(destination.queryString("SELECT key_clauses FROM _ferry.copy_deferred_keys WHERE job_id = 'defer_keys'"))
        .contains("KEY `k_a` (`a`)", "KEY `k_bc` (`b`,`c`)", "KEY `k_prefix` (`c`(3))");
    ItSupport.stop(first);
    // as if an earlier run had added one key and stopped before it forgot it
    destination.execute("ALTER TABLE " + copy + ".t ADD KEY `k_bc` (`b`,`c`)");
    source.execute("UPDATE " + db + ".t SET b = b + 1 WHERE id % 100 = 0");
    JobRunner runner = InitialCopyIT.start(job);
    try {
      ItSupport.awaitCaughtUp(runner, source);
      await().atMost(Duration.ofSeconds(60)).until(() -> runner.stats().copy().done());
      ItSupport.assertSameData(source, db, destination, copy, "t");
      assertThat(keyColumns(destination, copy)).isEqualTo(keyColumns(source, db));
      assertThat(destination.queryString("SELECT COUNT(*) FROM _ferry.copy_deferred_keys WHERE job_id = 'defer_keys'"))
          .isEqualTo("0");
    } finally {
      ItSupport.stop(runner);
    }
  }

  @Test
  void aDdlOnATableWhoseKeysWaitMeetsThemFirst() throws Exception {
    String db = ItSupport.uniqueDb("defer_ddl");
    String copy = db + "_copy";
    createTable(db);
    JobRunner runner = InitialCopyIT.start(InitialCopyIT.oneChunkPerStep(InitialCopyIT.snapshotJob("defer_ddl", source,
        destination, db, copy, 500, false, null)));
    try {
      ItSupport.awaitCopied(runner, 2_000);
      // Without the keys first, DROP KEY k_a would fail at the destination (or be taken for applied) and
      // k_a come back at the end; dropping c takes it out of k_bc and drops k_prefix.
      source.execute("ALTER TABLE " + db + ".t DROP KEY k_a, ADD KEY k_d (d)",
          "ALTER TABLE " + db + ".t DROP COLUMN c",
          "UPDATE " + db + ".t SET d = 'after' WHERE id % 50 = 0");
      ItSupport.awaitCaughtUp(runner, source);
      await().atMost(Duration.ofSeconds(60)).until(() -> runner.stats().copy().done());
      assertThat(runner.stats().copy().rowsCopied()).isEqualTo(ROWS);
      ItSupport.assertSameData(source, db, destination, copy, "t");
      assertThat(keyColumns(destination, copy)).isEqualTo(keyColumns(source, db)).contains("k_d 1 d - 1 BTREE");
    } finally {
      ItSupport.stop(runner);
    }
  }

  private static void createTable(String db) {
    source.execute("CREATE DATABASE " + db,
        "CREATE TABLE " + db + ".t (id INT NOT NULL PRIMARY KEY, a INT NOT NULL, b INT, c VARCHAR(20), d VARCHAR(20),"
            + " u INT NOT NULL, note TEXT, KEY k_a (a), UNIQUE KEY u (u), KEY k_bc (b, c), FULLTEXT KEY ft (note),"
            + " KEY k_prefix (c(3)))",
        "INSERT INTO " + db + ".t SELECT seq, seq % 97, seq % 13, CONCAT('c', seq % 1000), 'd', seq,"
            + " CONCAT('note ', seq) FROM " + db + ".seq_1_to_" + ROWS);
  }

  private static List<String> indexes(MariaDbServer s, String db) throws SQLException {
    return ItSupport.strings(s, "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?"
        + " AND TABLE_NAME = 't' ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME", db);
  }

  /** Every key part: name, position, column, prefix length, uniqueness and type. */
  private static List<String> keyColumns(MariaDbServer s, String db) throws SQLException {
    return ItSupport.strings(s, "SELECT CONCAT_WS(' ', INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, IFNULL(SUB_PART, '-'),"
        + " NON_UNIQUE, INDEX_TYPE) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 't'"
        + " ORDER BY INDEX_NAME, SEQ_IN_INDEX", db);
  }
}
