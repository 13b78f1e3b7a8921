package io.ferry.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.worker.JobListener;
import io.ferry.worker.JobOptions;
import io.ferry.worker.JobRunner;
import io.ferry.worker.JobState;
import io.ferry.worker.config.DdlPolicy;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.StartPosition;
import io.ferry.worker.config.TableFilter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The initial copy ({@code start: snapshot}) on real servers: tables that already hold rows end equal to
 * the source while a write load runs, a stopped copy goes on from its last chunk, and tables the copy
 * cannot take are refused with the table named. That every type survives the copy is in
 * {@link TypeFidelityIT}.
 */
class InitialCopyIT extends SourceAndDestination {
  /** Rows of the table a stopped copy resumes: many chunks of 500, more than one copy step takes. */
  private static final int ROWS = 200_000;

  @Test
  void copiesWhileTheSourceTakesWritesAndEndsEqual() throws Exception {
    String db = ItSupport.uniqueDb("copy_load");
    String copy = db + "_copy";
    MixedLoad.createTables(source, db);
    source.execute("INSERT INTO " + db + ".items (account_id, qty, label, payload) SELECT seq % 500, seq,"
            + " CONCAT('item ', seq), UNHEX(SHA2(seq, 256)) FROM " + db + ".seq_1_to_60000",
        "INSERT INTO " + db + ".accounts SELECT seq, CONCAT('c', seq), seq / 3, CONCAT('acct ', seq), NOW(6)"
            + " FROM " + db + ".seq_0_to_499",
        // A composite key whose first column is case-insensitive: chunks must range it as the server orders it.
        "CREATE TABLE " + db + ".tags (name VARCHAR(20) COLLATE utf8mb4_general_ci NOT NULL, n INT NOT NULL,"
            + " note VARCHAR(10), PRIMARY KEY (name, n))",
        "INSERT INTO " + db + ".tags SELECT ELT(1 + seq % 6, 'a', 'B', 'ä', 'c', 'Ü', 'z'), seq, 'x' FROM " + db
            + ".seq_1_to_3000",
        // No primary key but a NOT NULL unique key, which the copy ranges instead.
        "CREATE TABLE " + db + ".uniq (code CHAR(8) NOT NULL, v INT, UNIQUE KEY (code))",
        "INSERT INTO " + db + ".uniq SELECT LPAD(seq, 8, '0'), seq FROM " + db + ".seq_1_to_2500");
    JobRunner runner = start(snapshotJob("copy_load", db, copy, 1_000, false, db + ".journal"));
    try {
      CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
        try {
          MixedLoad.run(source, db, 3, 300);
          source.execute("UPDATE " + db + ".tags SET note = 'late' WHERE n % 7 = 0",
              "DELETE FROM " + db + ".uniq WHERE v % 5 = 0");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      load.get(5, TimeUnit.MINUTES);
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, copy, "accounts", "items", "tags", "uniq");
      assertThat(runner.stats().copy().done()).isTrue();
      assertThat(runner.stats().copy().tablesTotal()).isEqualTo(4);
    } finally {
      ItSupport.stop(runner);
    }
  }

  @Test
  void aStoppedCopyGoesOnFromItsLastChunk() throws Exception {
    String db = ItSupport.uniqueDb("copy_resume");
    String copy = db + "_copy";
    source.execute("CREATE DATABASE " + db, "CREATE TABLE " + db + ".big (id INT PRIMARY KEY, v VARCHAR(40))",
        "INSERT INTO " + db + ".big SELECT seq, CONCAT('row ', seq) FROM " + db + ".seq_1_to_" + ROWS + "");
    JobConfig job = oneChunkPerStep(snapshotJob("copy_resume", db, copy, 500, false, null));
    long copiedBefore = 0;
    for (int round = 0; round < 3; round++) {
      JobRunner runner = start(job);
      long from = copiedBefore;
      ItSupport.awaitCopied(runner, from + 2_000);
      ItSupport.stop(runner);
      long copied = runner.stats().copy().rowsCopied();
      assertThat(copied).as("round %d went on from %d", round, copiedBefore).isGreaterThan(copiedBefore);
      assertThat(copied).isLessThan(ROWS);
      copiedBefore = copied;
      source.execute("UPDATE " + db + ".big SET v = 'changed while stopped' WHERE id % 1000 = " + round);
    }
    JobRunner runner = start(job);
    try {
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, copy, "big");
      // No chunk was copied twice: the rows copied add up to the table's rows exactly.
      assertThat(runner.stats().copy().rowsCopied()).isEqualTo(ROWS);
    } finally {
      ItSupport.stop(runner);
    }
    // A run after the copy finished still shows what the copy did (the job page draws it).
    JobRunner after = start(job);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> after.stats() != null && after.stats().copy() != null);
      assertThat(after.stats().copy().done()).isTrue();
      assertThat(after.stats().copy().rowsCopied()).isEqualTo(ROWS);
      assertThat(after.stats().copy().tables()).extracting(t -> t.table() + " " + t.rowsCopied() + " " + t.done())
          .containsExactly(db + ".big " + ROWS + " true");
    } finally {
      ItSupport.stop(after);
    }
  }

  @Test
  void aTableRenamedWhileItIsCopiedIsCopiedOnUnderItsNewName() throws Exception {
    String db = ItSupport.uniqueDb("copy_rename");
    String copy = db + "_copy";
    source.execute("CREATE DATABASE " + db, "CREATE TABLE " + db + ".big (id INT PRIMARY KEY, v VARCHAR(40))",
        "INSERT INTO " + db + ".big SELECT seq, CONCAT('row ', seq) FROM " + db + ".seq_1_to_" + ROWS + "");
    JobRunner runner = start(oneChunkPerStep(snapshotJob("copy_rename", db, copy, 500, false, null)));
    try {
      ItSupport.awaitCopied(runner, 2_000);
      // both forms of a rename, one after the other
      source.execute("RENAME TABLE " + db + ".big TO " + db + ".renamed",
          "UPDATE " + db + ".renamed SET v = 'after rename' WHERE id % 1000 = 0",
          "ALTER TABLE " + db + ".renamed RENAME TO " + db + ".again");
      ItSupport.awaitCaughtUp(runner, source);
      assertThat(runner.stats().copy().rowsCopied()).as("the copy went on after the renames").isEqualTo(ROWS);
      assertThat(destination.queryString("SELECT table_name FROM _ferry.copy_state WHERE job_id = 'copy_rename'"))
          .as("the renames came while the table was being copied").isEqualTo("again");
      ItSupport.assertSameData(source, db, destination, copy, "again");
    } finally {
      ItSupport.stop(runner);
    }
  }

  /**
   * {@code keyless: copy}: tables without any key, full of identical rows and changed all the time, are
   * read whole in one snapshot each while the stream runs; the stream skips what each snapshot holds (a
   * keyless row applied twice would be doubled), and every table ends equal to the source.
   */
  @Test
  void keylessTablesAreCopiedWholeInOneReadWhileTheSourceTakesWrites() throws Exception {
    String db = ItSupport.uniqueDb("copy_keyless");
    String copy = db + "_copy";
    MixedLoad.createTables(source, db);
    source.execute("INSERT INTO " + db + ".accounts SELECT seq, CONCAT('c', seq), seq / 3, CONCAT('acct ', seq),"
            + " NOW(6) FROM " + db + ".seq_0_to_499",
        "INSERT INTO " + db + ".items (account_id, qty, label, payload) SELECT seq % 500, seq, CONCAT('item ', seq),"
            + " NULL FROM " + db + ".seq_1_to_20000",
        // the journal (no key) holds many identical rows
        "INSERT INTO " + db + ".journal SELECT seq % 50, 1.50, 'same' FROM " + db + ".seq_1_to_30000",
        "CREATE TABLE " + db + ".loose (a INT, b VARCHAR(12))",
        "INSERT INTO " + db + ".loose SELECT seq % 100, 'x' FROM " + db + ".seq_1_to_20000");
    CompletableFuture<Void> keylessChanges = CompletableFuture.runAsync(() -> {
      try {
        for (int i = 0; i < 300; i++) {
          source.execute("UPDATE " + db + ".loose SET b = 'u" + i + "' WHERE a = " + (i % 100) + " LIMIT 3",
              "DELETE FROM " + db + ".loose WHERE a = " + (i * 7 % 100) + " LIMIT 2",
              "INSERT INTO " + db + ".loose VALUES (" + (i % 100) + ", 'x'), (" + (i % 100) + ", 'x')",
              "DELETE FROM " + db + ".journal WHERE account_id = " + (i % 50) + " LIMIT 1");
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
      try {
        MixedLoad.run(source, db, 2, 300);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    // the job starts with changes to the keyless tables in flight (and the mixed load's, started with them)
    await().atMost(Duration.ofSeconds(30)).until(() -> Integer.parseInt(source.queryString(
        "SELECT COUNT(*) FROM " + db + ".loose WHERE b LIKE 'u%'")) > 0);
    JobConfig base = snapshotJob("copy_keyless", db, copy, 1_000, false, null);
    JobRunner runner = start(new JobConfig(base.id(), base.source(), base.destination(), base.tables(),
        base.databaseMap(), new StartPosition.Snapshot(false, 1_000, 4, 64, StartPosition.Snapshot.Keyless.COPY),
        base.ddl(), null));
    try {
      load.get(120, TimeUnit.SECONDS);
      keylessChanges.get(120, TimeUnit.SECONDS);
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, copy, "journal", "loose", "accounts", "items");
      assertThat(runner.stats().copy().done()).isTrue();
      assertThat(destination.queryString("SELECT COUNT(*) FROM _ferry.copy_state WHERE job_id = 'copy_keyless'"
          + " AND whole AND done AND snapshot_file IS NOT NULL")).as("both keyless tables copied whole").isEqualTo("2");
    } finally {
      ItSupport.stop(runner);
    }
  }

  /**
   * A takeover (the epoch raised on the checkpoint row, as a new owner's claim does) while four lanes
   * copy key ranges: no lane commits a chunk after it — the raise waits for the lanes' fenced commits,
   * and every later one fails with FENCED — and the destination holds exactly the chunks recorded.
   */
  @Test
  void lanesStopCommittingOnceAnotherOwnerTakesTheJob() throws Exception {
    String db = ItSupport.uniqueDb("copy_fenced");
    String copy = db + "_copy";
    source.execute("CREATE DATABASE " + db, "CREATE TABLE " + db + ".big (id INT PRIMARY KEY, v VARCHAR(40))",
        "INSERT INTO " + db + ".big SELECT seq, CONCAT('row ', seq) FROM " + db + ".seq_1_to_" + ROWS);
    JobRunner runner = start(oneChunkPerStep(snapshotJob("copy_fenced", db, copy, 500, false, null)));
    String copied = "SELECT COALESCE(SUM(rows_copied), 0) FROM _ferry.copy_state WHERE job_id = 'copy_fenced'";
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() ->
          Long.parseLong(destination.queryString(copied)) >= 5_000);
      assertThat(destination.queryString("SELECT COUNT(*) FROM _ferry.copy_state WHERE job_id = 'copy_fenced'"))
          .as("key ranges").isEqualTo("4");
      destination.execute("UPDATE _ferry.checkpoint SET epoch = epoch + 1 WHERE job_id = 'copy_fenced'");
      String atTakeover = destination.queryString(copied);
      assertThat(runner.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      assertThat(runner.state()).isEqualTo(JobState.ERROR);
      assertThat(runner.error().code()).isEqualTo("FENCED");
      assertThat(destination.queryString(copied)).as("no chunk committed after the takeover").isEqualTo(atTakeover);
      assertThat(destination.queryString("SELECT COUNT(*) FROM " + copy + ".big")).as("rows held = rows recorded")
          .isEqualTo(atTakeover);
    } finally {
      runner.stop();
      runner.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void tablesTheCopyCannotTakeAreRefusedByName() throws Exception {
    String db = ItSupport.uniqueDb("copy_refuse");
    String copy = db + "_copy";
    source.execute("CREATE DATABASE " + db, "CREATE TABLE " + db + ".keyed (id INT PRIMARY KEY, v INT)",
        "CREATE TABLE " + db + ".loose (a INT, b INT)", "INSERT INTO " + db + ".keyed VALUES (1, 1), (2, 2)");
    JobRunner noKey = start(snapshotJob("copy_nokey", db, copy, 100, false, null));
    assertThat(noKey.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(noKey.state()).isEqualTo(JobState.ERROR);
    assertThat(noKey.error().code()).isEqualTo("COPY_NO_KEY");
    assertThat(noKey.error().getMessage()).contains(db + ".loose");

    destination.execute("INSERT INTO " + copy + ".keyed VALUES (7, 7)");
    JobRunner filled = start(snapshotJob("copy_filled", db, copy, 100, false, db + ".loose"));
    assertThat(filled.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(filled.error().code()).isEqualTo("COPY_DESTINATION_NOT_EMPTY");
    assertThat(filled.error().getMessage()).contains(copy + ".keyed");

    JobRunner overwrite = start(snapshotJob("copy_overwrite", db, copy, 100, true, db + ".loose"));
    try {
      ItSupport.awaitCaughtUp(overwrite, source);
      ItSupport.assertSameData(source, db, destination, copy, "keyed");
    } finally {
      ItSupport.stop(overwrite);
    }
  }

  private static JobConfig snapshotJob(String id, String db, String copy, int chunkRows, boolean overwrite,
                                       String exclude) {
    return snapshotJob(id, source, destination, db, copy, chunkRows, overwrite, exclude);
  }

  static JobConfig snapshotJob(String id, io.ferry.mariadb.MariaDbServer source,
                               io.ferry.mariadb.MariaDbServer destination, String db, String copy, int chunkRows,
                               boolean overwrite, String exclude) {
    return new JobConfig(id, ItSupport.admin(source), ItSupport.admin(destination),
        new TableFilter(List.of(db + ".*"), exclude == null ? List.of() : List.of(exclude)), Map.of(db, copy),
        new StartPosition.Snapshot(overwrite, chunkRows), DdlPolicy.EXEC, null);
  }

  /** batchMaxMillis 0: every copy step is one chunk, so progress shows (and a stop lands) chunk by chunk. */
  static JobConfig oneChunkPerStep(JobConfig base) {
    return new JobConfig(base.id(), base.source(), base.destination(), base.tables(), base.databaseMap(),
        base.start(), base.ddl(), new JobConfig.Tuning(JobConfig.Tuning.DEFAULT_BATCH_MAX_ROWS, 0,
            JobConfig.Tuning.DEFAULT_QUEUE_CAPACITY, JobConfig.Tuning.DEFAULT_HEARTBEAT_SECONDS, 0,
            JobConfig.Tuning.DEFAULT_FERRY_SCHEMA,
            JobConfig.Tuning.DEFAULT_QUEUE_MAX_BYTES));
  }

  static JobRunner start(JobConfig job) {
    JobRunner runner = new JobRunner(job, JobOptions.DEFAULTS, JobListener.NONE);
    runner.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> runner.state() != JobState.STARTING
        && runner.state() != JobState.CREATED);
    return runner;
  }
}
