package io.ferry.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.mariadb.MariaDbServer;
import io.ferry.worker.JobOptions;
import io.ferry.worker.JobRunner;
import io.ferry.worker.JobState;
import io.ferry.worker.config.DdlPolicy;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.TableFilter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Filters, the rename map, a table without a primary key, and ALTER TABLE mid-load under each DDL
 * policy, including a restart that replays events from before the ALTER — with column names from the
 * table map (binlog_row_metadata=FULL) and from the job's schema history (MINIMAL).
 */
class FiltersAndDdlIT {
  private static MariaDbServer full;
  private static MariaDbServer minimal;
  private static MariaDbServer destination;

  @BeforeAll
  static void servers() {
    full = ItSupport.startSource(b -> b);
    minimal = ItSupport.startSource(b -> b.serverId(3).binlogRowMetadata("MINIMAL"));
    destination = ItSupport.startDestination(b -> b);
  }

  @AfterAll
  static void close() {
    destination.close();
    minimal.close();
    full.close();
  }

  private static MariaDbServer source(String metadata) {
    return metadata.equals("FULL") ? full : minimal;
  }

  private static void createShop(MariaDbServer s, String db) {
    s.execute("CREATE DATABASE " + db + " CHARACTER SET utf8mb4",
        "CREATE TABLE " + db + ".orders (id INT PRIMARY KEY, sku VARCHAR(20), qty INT)",
        "CREATE TABLE " + db + ".nokey (a INT, b VARCHAR(10), c DOUBLE)",
        "CREATE TABLE " + db + ".skipme (id INT PRIMARY KEY, v INT)");
  }

  private static void writeSome(MariaDbServer s, String db, int from, int to) {
    for (int i = from; i < to; i++) {
      s.execute("BEGIN",
          "INSERT INTO " + db + ".orders (id, sku, qty) VALUES (" + i + ", 'sku" + i + "', " + i + ")",
          "UPDATE " + db + ".orders SET qty = qty + 1 WHERE id = " + (i / 2),
          "INSERT INTO " + db + ".nokey (a, b, c) VALUES (" + (i % 3) + ", 'dup', 1.5), (" + (i % 3) + ", 'dup', 1.5)",
          "DELETE FROM " + db + ".nokey WHERE a = " + (i % 3) + " AND b = 'dup' LIMIT 1",
          "UPDATE " + db + ".nokey SET c = c + 1 WHERE a = " + ((i + 1) % 3) + " LIMIT 1",
          "INSERT INTO " + db + ".skipme VALUES (" + i + ", 1)",
          "COMMIT");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"FULL", "MINIMAL"})
  void filtersRenameKeylessAndAlterUnderExecWithRestartFromBeforeTheAlter(String metadata) throws Exception {
    MariaDbServer source = source(metadata);
    String db = ItSupport.uniqueDb("exec");
    String other = ItSupport.uniqueDb("other");
    String copy = db + "_copy";
    createShop(source, db);
    source.execute("CREATE DATABASE " + other, "CREATE TABLE " + other + ".t (id INT PRIMARY KEY)");
    JobConfig job = new JobConfig("exec-" + metadata, ItSupport.admin(source), ItSupport.admin(destination),
        new TableFilter(List.of(db + ".*"), List.of(db + ".skipme")), Map.of(db, copy), null, DdlPolicy.EXEC, null);
    JobRunner runner = ItSupport.start(job);
    try {
      writeSome(source, db, 0, 40);
      source.execute("INSERT INTO " + other + ".t VALUES (1)");
      ItSupport.awaitCaughtUp(runner, source);
      String beforeAlter = destination.queryString("SELECT CONCAT(binlog_file, ':', binlog_pos) FROM _ferry.checkpoint"
          + " WHERE job_id = '" + job.id() + "'");
      source.execute("ALTER TABLE " + db + ".orders ADD COLUMN note VARCHAR(30) DEFAULT 'n/a', DROP COLUMN sku");
      source.execute("ALTER TABLE " + db + ".nokey ADD COLUMN d INT FIRST");
      writeSome2(source, db, 40, 80);
      source.execute("CREATE TABLE " + db + ".later (id INT PRIMARY KEY, v VARCHAR(5))",
          "INSERT INTO " + db + ".later VALUES (1, 'a'), (2, 'b')");
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, copy, "orders", "nokey", "later");
      assertThat(destination.queryString("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
          + copy + "' AND TABLE_NAME = 'skipme'")).isEqualTo("0");
      assertThat(destination.queryString("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '"
          + other + "'")).isEqualTo("0");
      ItSupport.stop(runner);

      // Restart from before the ALTER: the old events are replayed with their old columns, the ALTER re-run.
      String[] at = beforeAlter.split(":");
      destination.execute("UPDATE _ferry.checkpoint SET binlog_file = '" + at[0] + "', binlog_pos = " + at[1]
          + " WHERE job_id = '" + job.id() + "'");
      writeSome2(source, db, 80, 90);
      runner = ItSupport.start(job);
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, copy, "orders", "later");
    } finally {
      ItSupport.stop(runner);
    }
  }

  private static void writeSome2(MariaDbServer s, String db, int from, int to) {
    for (int i = from; i < to; i++) {
      s.execute("BEGIN",
          "INSERT INTO " + db + ".orders (id, note, qty) VALUES (" + i + ", 'note" + i + "', " + i + ")",
          "UPDATE " + db + ".orders SET qty = qty + 1 WHERE id = " + (i / 2),
          "INSERT INTO " + db + ".nokey (d, a, b, c) VALUES (" + i + ", " + (i % 3) + ", 'new', 2.5)",
          "DELETE FROM " + db + ".orders WHERE id = " + (i - 30),
          "COMMIT");
    }
  }

  @Test
  void ignoreLeavesTheDestinationAloneAndAMissingColumnIsAClearError() throws Exception {
    String db = ItSupport.uniqueDb("ignore");
    String copy = db + "_copy";
    createShop(full, db);
    JobRunner runner = ItSupport.start(ItSupport.job("ignore", full, destination, List.of(db + ".orders"),
        Map.of(db, copy), DdlPolicy.IGNORE));
    try {
      writeSome(full, db, 0, 10);
      full.execute("ALTER TABLE " + db + ".orders ADD COLUMN extra INT NULL");
      ItSupport.awaitCaughtUp(runner, full);
      assertThat(destination.queryString("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
          + copy + "' AND COLUMN_NAME = 'extra'")).isEqualTo("0");
      String checkpoint = destination.queryString("SELECT binlog_pos FROM _ferry.checkpoint WHERE job_id = 'ignore'");
      full.execute("INSERT INTO " + db + ".orders VALUES (1000, 'x', 1, 7)");
      await().atMost(Duration.ofSeconds(30)).until(() -> runner.state() == JobState.ERROR);
      assertThat(runner.error().code()).isEqualTo("DESTINATION_SHAPE");
      assertThat(runner.error().getMessage()).contains(copy + ".orders").contains("extra");
      assertThat(destination.queryString("SELECT binlog_pos FROM _ferry.checkpoint WHERE job_id = 'ignore'"))
          .isEqualTo(checkpoint);

      // The operator applies the change to the destination; the job resumes and catches up.
      destination.execute("ALTER TABLE " + copy + ".orders ADD COLUMN extra INT NULL");
      JobRunner again = ItSupport.start(ItSupport.job("ignore", full, destination, List.of(db + ".orders"),
          Map.of(db, copy), DdlPolicy.IGNORE));
      try {
        ItSupport.awaitCaughtUp(again, full);
        ItSupport.assertSameData(full, db, destination, copy, "orders");
      } finally {
        ItSupport.stop(again);
      }
    } finally {
      ItSupport.stop(runner);
    }
  }

  @Test
  void stopPausesBeforeTheStatementAndResumesWithItExecuted() throws Exception {
    String db = ItSupport.uniqueDb("stop");
    String copy = db + "_copy";
    createShop(full, db);
    JobConfig job = ItSupport.job("stop", full, destination, List.of(db + ".orders"), Map.of(db, copy), DdlPolicy.STOP);
    JobRunner runner = ItSupport.start(job);
    try {
      writeSome(full, db, 0, 10);
      full.execute("ALTER TABLE " + db + ".orders ADD COLUMN extra INT NOT NULL DEFAULT 3");
      writeSome(full, db, 10, 15);
      await().atMost(Duration.ofSeconds(30)).until(() -> runner.state() == JobState.PAUSED);
      assertThat(runner.error().code()).isEqualTo("DDL_STOP");
      assertThat(runner.error().getMessage()).contains("ADD COLUMN extra");
      assertThat(destination.queryString("SELECT COUNT(*) FROM " + copy + ".orders")).isEqualTo("10");

      JobRunner resumed = ItSupport.start(job, JobOptions.DEFAULTS.withResumeDdl(JobOptions.ResumeDdl.EXEC));
      try {
        ItSupport.awaitCaughtUp(resumed, full);
        ItSupport.assertSameData(full, db, destination, copy, "orders");
      } finally {
        ItSupport.stop(resumed);
      }
    } finally {
      ItSupport.stop(runner);
    }
  }

  @Test
  void aResumedJobMeetingAColumnOfAnotherTypeStopsInsteadOfCorruptingIt() throws Exception {
    String db = ItSupport.uniqueDb("types");
    String copy = db + "_copy";
    createShop(full, db);
    JobConfig job = ItSupport.job("types", full, destination, List.of(db + ".orders"), Map.of(db, copy), DdlPolicy.EXEC);
    JobRunner runner = ItSupport.start(job);
    writeSome(full, db, 0, 5);
    // The NULLs are replicated before the stop: a change the resumed job could apply would move its
    // checkpoint in a batch of its own whenever the stream delivers it apart from the INSERT below.
    full.execute("UPDATE " + db + ".orders SET sku = NULL");
    ItSupport.awaitCaughtUp(runner, full);
    ItSupport.stop(runner);
    destination.execute("ALTER TABLE " + copy + ".orders MODIFY sku INT");
    String checkpoint = destination.queryString("SELECT binlog_pos FROM _ferry.checkpoint WHERE job_id = 'types'");
    full.execute("INSERT INTO " + db + ".orders VALUES (100, 'hello', 1)");
    JobRunner resumed = ItSupport.start(job);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> resumed.state() == JobState.ERROR);
      assertThat(resumed.error().code()).isEqualTo("DESTINATION_DATA");
      assertThat(resumed.error().getMessage()).contains(copy + ".orders");
      assertThat(destination.queryString("SELECT COUNT(*) FROM " + copy + ".orders WHERE id = 100")).isEqualTo("0");
      assertThat(destination.queryString("SELECT binlog_pos FROM _ferry.checkpoint WHERE job_id = 'types'"))
          .isEqualTo(checkpoint);
    } finally {
      ItSupport.stop(resumed);
    }
  }

  @Test
  void aNewJobCanStartAfterAGtidSetAndAnExplicitFilePosition() throws Exception {
    String db = ItSupport.uniqueDb("gtid");
    createShop(full, db);
    writeSome(full, db, 0, 3);
    String gtid = full.queryString("SELECT @@gtid_binlog_pos");
    String[] filePos = {full.queryString("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
        + " WHERE VARIABLE_NAME = 'BINLOG_SNAPSHOT_FILE'"), full.queryString("SELECT VARIABLE_VALUE FROM"
        + " information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'BINLOG_SNAPSHOT_POSITION'")};
    writeSome(full, db, 3, 6);
    // Both jobs start at the same point (after the first three transactions) and must apply the next three
    // only: rows 3-5 inserted, rows 1 and 2 updated (an update arrives as the whole row, so they appear too).
    JobConfig byGtid = new JobConfig("by-gtid", ItSupport.admin(full), ItSupport.admin(destination),
        new TableFilter(List.of(db + ".orders"), List.of()), Map.of(db, db + "_g"),
        new io.ferry.worker.config.StartPosition.Gtid(gtid), DdlPolicy.EXEC, null);
    JobConfig byFile = new JobConfig("by-file", ItSupport.admin(full), ItSupport.admin(destination),
        new TableFilter(List.of(db + ".orders"), List.of()), Map.of(db, db + "_f"),
        new io.ferry.worker.config.StartPosition.File(filePos[0], Long.parseLong(filePos[1])), DdlPolicy.EXEC, null);
    for (JobConfig job : List.of(byGtid, byFile)) {
      JobRunner runner = ItSupport.start(job);
      try {
        ItSupport.awaitCaughtUp(runner, full);
        String copy = job.destinationDatabase(db);
        assertThat(destination.queryString("SELECT GROUP_CONCAT(id ORDER BY id) FROM " + copy + ".orders"))
            .as(job.id()).isEqualTo("1,2,3,4,5");
        assertThat(runner.stats().position().gtidSet()).as(job.id()).isEqualTo(full.queryString("SELECT @@gtid_binlog_pos"));
      } finally {
        ItSupport.stop(runner);
      }
    }
  }
}
