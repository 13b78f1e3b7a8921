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
import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.EventType;
import io.ferry.mariadb.MariaDbServer;
import io.ferry.mariadb.check.TableChecksum;
import io.ferry.worker.binlog.BinlogReader;
import io.ferry.worker.jdbc.SourceQueries;
import io.ferry.worker.position.BinlogPosition;
import io.ferry.worker.preflight.SourcePreflight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Binlog edge cases on real servers: a rotation storm (max_binlog_size 4 KiB under load, with a restart
 * in the middle), several GTID domains, savepoints and rollbacks, one-phase and two-phase XA, temporary
 * tables, an idle job whose checkpoint follows rotations past purged files, a source that is itself a replica
 * (log_slave_updates) with binlog file numbers past .999999, and RESET MASTER. Each ends
 * equal by checksum or with a clear error that changed nothing. RESET MASTER runs last (it empties the
 * source's binlog for every job).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BinlogEdgeIT extends SourceAndDestination {

  private static JobConfig job(String id, String db, String copy) {
    return new JobConfig(id, ItSupport.admin(source), ItSupport.admin(destination),
        new TableFilter(List.of(db + ".*"), List.of()), Map.of(db, copy), new StartPosition.Current(), DdlPolicy.EXEC,
        new JobConfig.Tuning(5_000, 200, 2_048, 1, 0, "_ferry", JobConfig.Tuning.DEFAULT_QUEUE_MAX_BYTES));
  }

  private static int binlogFiles() throws Exception {
    try (Connection c = source.rootConnection(); Statement s = c.createStatement();
         var rs = s.executeQuery("SHOW BINARY LOGS")) {
      int n = 0;
      while (rs.next()) {
        n++;
      }
      return n;
    }
  }

  @Test
  @Order(1)
  void rotationStormUnderLoadWithARestartInTheMiddle() throws Exception {
    String db = ItSupport.uniqueDb("storm");
    String copy = db + "_copy";
    MixedLoad.createTables(source, db);
    JobConfig job = job("storm", db, copy);
    JobRunner runner = ItSupport.start(job);
    int before = binlogFiles();
    source.execute("SET GLOBAL max_binlog_size = 4096");
    try {
      CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
        try {
          MixedLoad.run(source, db, 3, 150);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      await("the storm is under way").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> binlogFiles() - before >= 5);
      ItSupport.stop(runner);
      runner = ItSupport.start(job);
      load.get(3, TimeUnit.MINUTES);
    } finally {
      source.execute("SET GLOBAL max_binlog_size = 1073741824");
    }
    try {
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, copy, "accounts", "items", "journal");
      assertThat(binlogFiles() - before).as("binlog files the storm made").isGreaterThan(20);
    } finally {
      ItSupport.stop(runner);
    }
  }

  @Test
  @Order(2)
  void gtidDomainsSavepointsRollbacksXaAndTemporaryTables() throws Exception {
    String db = ItSupport.uniqueDb("mdb");
    String copy = db + "_copy";
    source.execute("CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(40))");
    JobConfig job = job("mdb", db, copy);
    JobRunner runner = ItSupport.start(job);
    try {
      try (Connection c = source.rootConnection(); Statement s = c.createStatement()) {
        s.execute("USE " + db);
        s.execute("SET SESSION gtid_domain_id = 1");
        s.execute("INSERT INTO t VALUES (1, 'domain 1')");
        s.execute("SET SESSION gtid_domain_id = 2");
        s.execute("INSERT INTO t VALUES (2, 'domain 2')");
        s.execute("SET SESSION gtid_domain_id = 0");
        s.execute("INSERT INTO t VALUES (3, 'domain 0')");
        // savepoints: only what survives the ROLLBACK TO arrives
        s.execute("BEGIN");
        s.execute("INSERT INTO t VALUES (10, 'before savepoint')");
        s.execute("SAVEPOINT a");
        s.execute("INSERT INTO t VALUES (11, 'rolled back to a')");
        s.execute("UPDATE t SET v = 'changed then rolled back' WHERE id = 1");
        s.execute("ROLLBACK TO SAVEPOINT a");
        s.execute("INSERT INTO t VALUES (12, 'after savepoint')");
        s.execute("COMMIT");
        s.execute("BEGIN");
        s.execute("INSERT INTO t VALUES (20, 'rolled back')");
        s.execute("ROLLBACK");
        // one-phase XA
        s.execute("XA START 'one'");
        s.execute("INSERT INTO t VALUES (30, 'xa one phase')");
        s.execute("XA END 'one'");
        s.execute("XA COMMIT 'one' ONE PHASE");
        // temporary tables: their own changes are not logged in ROW format, what they feed is
        s.execute("CREATE TEMPORARY TABLE tmp (id INT PRIMARY KEY)");
        s.execute("INSERT INTO tmp VALUES (40), (41), (42)");
        s.execute("INSERT INTO t SELECT id, 'from a temporary table' FROM tmp");
        s.execute("UPDATE t JOIN tmp ON t.id = tmp.id + 1 SET t.v = 'joined with tmp'");
        s.execute("DROP TEMPORARY TABLE tmp");
        s.execute("CREATE TEMPORARY TABLE t (id INT)"); // shadows the real table in this session
        s.execute("INSERT INTO t VALUES (99)");
        s.execute("DROP TEMPORARY TABLE t");
      }
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, copy, "t");
      assertThat(runner.stats().position().gtidSet()).as("the checkpoint keeps every domain")
          .contains("0-1-", "1-1-", "2-1-");

      // a restart resumes with the multi-domain GTID position, and more writes in each domain arrive
      ItSupport.stop(runner);
      runner = ItSupport.start(job);
      try (Connection c = source.rootConnection(); Statement s = c.createStatement()) {
        for (int domain = 0; domain < 3; domain++) {
          s.execute("SET SESSION gtid_domain_id = " + domain);
          s.execute("INSERT INTO " + db + ".t VALUES (" + (100 + domain) + ", 'after restart')");
        }
      }
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, copy, "t");
    } finally {
      ItSupport.stop(runner);
    }
  }

  @Test
  @Order(3)
  void twoPhaseXaTransactionsApplyAtTheirOutcomeAcrossARestartAndANewJobWaitsForOnesInDoubt() throws Exception {
    String db = ItSupport.uniqueDb("xa");
    String copy = db + "_copy";
    source.execute("CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(40))",
        "CREATE DATABASE " + db + "_other");
    JobConfig job = job("xa", db, copy);
    JobRunner runner = ItSupport.start(job);
    try (Connection xa = source.rootConnection(); Statement x = xa.createStatement();
         Connection c = source.rootConnection(); Statement s = c.createStatement()) {
      ItSupport.awaitCaughtUp(runner, source);
      // a two-phase XA on a table the job does not replicate is just another transaction
      s.execute("CREATE TABLE " + db + "_other.t (id INT PRIMARY KEY)");
      s.execute("XA START 'elsewhere'");
      s.execute("INSERT INTO " + db + "_other.t VALUES (1)");
      s.execute("XA END 'elsewhere'");
      s.execute("XA PREPARE 'elsewhere'");
      s.execute("XA COMMIT 'elsewhere'");
      s.execute("INSERT INTO " + db + ".t VALUES (3, 'after the other XA')");
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, copy, "t");

      // prepared, other transactions commit meanwhile, the job restarts, then the XA commits
      x.execute("XA START 'two'");
      x.execute("INSERT INTO " + db + ".t VALUES (2, 'prepared, committed later')");
      x.execute("UPDATE " + db + ".t SET v = 'changed by the XA' WHERE id = 3");
      x.execute("XA END 'two'");
      x.execute("XA PREPARE 'two'");
      s.execute("INSERT INTO " + db + ".t VALUES (4, 'committed while two is prepared')");
      ItSupport.awaitCaughtUp(runner, source);
      assertThat(destination.queryString("SELECT GROUP_CONCAT(id ORDER BY id) FROM " + copy + ".t"))
          .as("the prepared rows wait for the outcome").isEqualTo("3,4");
      assertThat(destination.queryString("SELECT COUNT(*) FROM _ferry.xa_pending WHERE job_id = 'xa'")).isEqualTo("1");
      ItSupport.stop(runner);
      runner = ItSupport.start(job);
      ItSupport.awaitCaughtUp(runner, source);
      x.execute("XA COMMIT 'two'");
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, copy, "t");
      assertThat(destination.queryString("SELECT v FROM " + copy + ".t WHERE id = 3")).isEqualTo("changed by the XA");

      // prepared, then rolled back: its row never arrives
      x.execute("XA START 'three'");
      x.execute("INSERT INTO " + db + ".t VALUES (5, 'prepared, then rolled back')");
      x.execute("XA END 'three'");
      x.execute("XA PREPARE 'three'");
      ItSupport.awaitCaughtUp(runner, source);
      x.execute("XA ROLLBACK 'three'");
      s.execute("INSERT INTO " + db + ".t VALUES (6, 'after the rollback')");
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, copy, "t");
      assertThat(destination.queryString("SELECT GROUP_CONCAT(id ORDER BY id) FROM " + copy + ".t")).isEqualTo("2,3,4,6");
      assertThat(destination.queryString("SELECT COUNT(*) FROM _ferry.xa_pending WHERE job_id = 'xa'"))
          .as("nothing left held").isEqualTo("0");

      // a new job does not start while an XA is prepared (its rows would lie before the start, its commit after)
      x.execute("XA START 'four'");
      x.execute("INSERT INTO " + db + ".t VALUES (7, 'in doubt at the second job start')");
      x.execute("XA END 'four'");
      x.execute("XA PREPARE 'four'");
      JobRunner second = new JobRunner(job("xa2", db, db + "_copy2"), JobOptions.DEFAULTS, JobListener.NONE);
      second.start();
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> second.error() != null);
        assertThat(second.error().code()).isEqualTo("XA_IN_DOUBT");
        assertThat(second.error().getMessage()).contains("1 prepared XA transaction");
        x.execute("XA COMMIT 'four'");
        await().atMost(Duration.ofSeconds(60)).until(() -> second.state() == JobState.RUNNING);
        s.execute("INSERT INTO " + db + ".t VALUES (8, 'after the second job started')");
        ItSupport.awaitCaughtUp(second, source);
        assertThat(destination.queryString("SELECT GROUP_CONCAT(id) FROM " + db + "_copy2.t")).isEqualTo("8");
      } finally {
        ItSupport.stop(second);
      }
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, copy, "t");
    } finally {
      ItSupport.stop(runner);
      endPreparedXas(); // a failed run must not leave later tests' jobs waiting on an XA in doubt
    }
  }

  private static void endPreparedXas() throws Exception {
    try (Connection c = source.rootConnection(); Statement s = c.createStatement()) {
      List<String> xids = new java.util.ArrayList<>();
      try (var rs = s.executeQuery("XA RECOVER FORMAT='SQL'")) {
        while (rs.next()) {
          xids.add(rs.getString("data"));
        }
      }
      for (String xid : xids) {
        s.execute("XA ROLLBACK " + xid);
      }
    }
  }

  @Test
  @Order(3)
  void aQuietJobOnABusySourceStillAdvancesItsCheckpoint() throws Exception {
    String db = ItSupport.uniqueDb("quiet");
    String busy = db + "_busy";
    source.execute("CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)",
        "CREATE DATABASE " + busy, "CREATE TABLE " + busy + ".t (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
    JobRunner runner = ItSupport.start(job("quiet", db, db + "_copy"));
    java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
    CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
      try (Connection c = source.rootConnection(); Statement s = c.createStatement()) {
        while (writing.get()) {
          s.execute("INSERT INTO " + busy + ".t (v) VALUES (1)"); // back to back: the stream is never idle
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      ItSupport.awaitCaughtUp(runner, source);
      // the position taken next must lie well inside the busy stream, past where the job caught up
      String rows = "SELECT COUNT(*) FROM " + busy + ".t";
      long caughtUp = Long.parseLong(source.queryString(rows));
      await("the other database's load writes on").atMost(Duration.ofSeconds(20))
          .until(() -> Long.parseLong(source.queryString(rows)) >= caughtUp + 500);
      io.ferry.worker.position.BinlogPosition mid;
      try (Connection c = source.rootConnection()) {
        mid = io.ferry.worker.jdbc.SourceQueries.currentPosition(c);
      }
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        assertThat(load).as("the load still runs").isNotDone();
        assertThat(runner.stats().position().compareTo(mid)).as("checkpoint %s passes %s while the load runs",
            runner.stats().position(), mid).isGreaterThanOrEqualTo(0);
      });
    } finally {
      writing.set(false);
      load.join();
      ItSupport.stop(runner);
    }
  }

  @Test
  @Order(4)
  void anIdleJobFollowsRotationsSoPurgedFilesDoNotStrandIt() throws Exception {
    String db = ItSupport.uniqueDb("idle");
    String copy = db + "_copy";
    String other = ItSupport.uniqueDb("busy");
    source.execute("CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)",
        "CREATE DATABASE " + other, "CREATE TABLE " + other + ".t (id INT PRIMARY KEY)");
    JobConfig job = job("idle", db, copy);
    JobRunner runner = ItSupport.start(job);
    source.execute("INSERT INTO " + db + ".t VALUES (1)");
    ItSupport.awaitCaughtUp(runner, source);
    // Only rotations (a backup tool's FLUSH LOGS), then other databases' writes, then rotations again.
    source.execute("FLUSH BINARY LOGS", "FLUSH BINARY LOGS");
    for (int i = 0; i < 20; i++) {
      source.execute("INSERT INTO " + other + ".t VALUES (" + i + ")");
    }
    source.execute("FLUSH BINARY LOGS", "FLUSH BINARY LOGS");
    String current = source.queryString("SHOW BINLOG STATUS");
    await().atMost(Duration.ofSeconds(30)).until(() -> runner.stats().position().file().equals(current));
    ItSupport.stop(runner);
    source.execute("PURGE BINARY LOGS TO '" + current + "'");
    JobRunner again = ItSupport.start(job);
    try {
      assertThat(again.state()).as("error: %s", again.error()).isEqualTo(JobState.RUNNING);
      source.execute("INSERT INTO " + db + ".t VALUES (2)");
      ItSupport.awaitCaughtUp(again, source);
      ItSupport.assertSameData(source, db, destination, copy, "t");
    } finally {
      ItSupport.stop(again);
    }
  }

  @Test
  @Order(5)
  void aSourceThatIsAReplicaAndBinlogFileNumbersPast999999() throws Exception {
    try (MariaDbServer replica = ItSupport.startSource(b -> b.serverId(3))) {
      // A stopped server whose last binlog file is renamed to .999998 opens .999999 at its next start.
      replica.execute("FLUSH BINARY LOGS");
      replica.stop();
      Path dir = replica.dataDir();
      Path index = dir.resolve("mysql-bin.index");
      List<String> files = Files.readAllLines(index);
      String last = files.get(files.size() - 1);
      String renamed = last.substring(0, last.lastIndexOf('.')) + ".999998";
      Files.move(dir.resolve(last), dir.resolve(renamed));
      files.set(files.size() - 1, renamed);
      Files.write(index, files);
      replica.restart();
      assertThat(replica.queryString("SHOW BINLOG STATUS")).isEqualTo("mysql-bin.999999");

      String db = ItSupport.uniqueDb("replica");
      String copy = db + "_copy";
      replica.execute("SET GLOBAL gtid_slave_pos = '" + source.queryString("SELECT @@gtid_binlog_pos") + "'",
          "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = " + source.port() + ", MASTER_USER = '"
              + source.adminUser() + "', MASTER_PASSWORD = '" + source.adminPassword() + "', MASTER_SSL = 0, MASTER_USE_GTID = slave_pos",
          "START SLAVE");
      MixedLoad.createTables(source, db);
      awaitReplica(replica);
      JobConfig job = new JobConfig("replica", ItSupport.admin(replica), ItSupport.admin(destination),
          new TableFilter(List.of(db + ".*"), List.of()), Map.of(db, copy), new StartPosition.Current(), DdlPolicy.EXEC,
          new JobConfig.Tuning(5_000, 200, 2_048, 1, 0, "_ferry", JobConfig.Tuning.DEFAULT_QUEUE_MAX_BYTES));
      JobRunner runner = ItSupport.start(job);
      try {
        MixedLoad.run(source, db, 2, 50);
        awaitReplica(replica);
        ItSupport.awaitCaughtUp(runner, replica);
        assertThat(runner.stats().position().file()).isEqualTo("mysql-bin.999999");
        replica.execute("FLUSH BINARY LOGS");
        MixedLoad.run(source, db, 2, 50);
        awaitReplica(replica);
        ItSupport.awaitCaughtUp(runner, replica);
        assertThat(runner.stats().position().file()).isEqualTo("mysql-bin.1000000");
        ItSupport.stop(runner);
        runner = ItSupport.start(job);
        MixedLoad.run(source, db, 1, 30);
        awaitReplica(replica);
        ItSupport.awaitCaughtUp(runner, replica);
        ItSupport.assertSameData(source, db, destination, copy, "accounts", "items", "journal");
      } finally {
        ItSupport.stop(runner);
        replica.execute("STOP SLAVE");
      }
    }
  }

  /** Waits until the replica has applied everything the source has logged. */
  private static void awaitReplica(MariaDbServer replica) {
    String gtid = source.queryString("SELECT @@gtid_binlog_pos");
    assertThat(replica.queryString("SELECT MASTER_GTID_WAIT('" + gtid + "', 30)")).as("replica caught up (%s)",
        replicaErrors(replica)).isEqualTo("0");
  }

  private static String replicaErrors(MariaDbServer replica) {
    try (Connection c = replica.rootConnection(); Statement s = c.createStatement();
         var rs = s.executeQuery("SHOW SLAVE STATUS")) {
      return rs.next() ? "IO: " + rs.getString("Slave_IO_Running") + " " + rs.getString("Last_IO_Error") + "; SQL: "
          + rs.getString("Slave_SQL_Running") + " " + rs.getString("Last_SQL_Error") : "no replica status";
    } catch (java.sql.SQLException e) {
      return e.toString();
    }
  }

  @Test
  @Order(6)
  void resetMasterStopsTheJobWithAClearErrorInsteadOfRestartingAtTheFirstFile() throws Exception {
    String db = ItSupport.uniqueDb("reset");
    String copy = db + "_copy";
    source.execute("CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(200))");
    source.execute("RESET MASTER"); // the job's checkpoint lives in the first file, which a reset starts anew
    JobConfig job = job("reset", db, copy);
    JobRunner runner = ItSupport.start(job);
    try {
      for (int i = 0; i < 50; i++) {
        source.execute("INSERT INTO " + db + ".t VALUES (" + i + ", REPEAT('x', 150))");
      }
      ItSupport.awaitCaughtUp(runner, source);
      String checkpoint = runner.stats().position().toString();
      assertThat(runner.stats().position().file()).endsWith(".000001");
      source.execute("RESET MASTER");
      // New history: as many bytes as before land in the new first file, so a job that kept its file
      // name and offset would read from a valid-looking position in someone else's binlog.
      for (int i = 50; i < 120; i++) {
        source.execute("INSERT INTO " + db + ".t VALUES (" + i + ", REPEAT('y', 150))");
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> runner.state() == JobState.ERROR);
      // BINLOG_PURGED when the job reconnects before the new history reaches its offset, SOURCE_HISTORY_RESET
      // (the file's creation time differs) when it reconnects after
      assertThat(runner.error().code()).isIn("BINLOG_PURGED", "SOURCE_HISTORY_RESET");
      assertThat(runner.error().remedy()).contains("re-copy");
      assertThat(runner.stats().position().toString()).as("checkpoint kept").isEqualTo(checkpoint);
      assertThat(destination.queryString("SELECT COUNT(*) FROM " + copy + ".t")).isEqualTo("50");
    } finally {
      ItSupport.stop(runner);
    }
    // A reset followed by a shorter history: the source's GTIDs are behind the checkpoint's, which says
    // so at once, whatever the offsets.
    source.execute("RESET MASTER");
    source.execute("INSERT INTO " + db + ".t VALUES (500, 'after the second reset')");
    JobRunner again = new JobRunner(job, JobOptions.DEFAULTS, JobListener.NONE);
    again.start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> again.state() == JobState.ERROR);
      assertThat(again.error().code()).isEqualTo("SOURCE_HISTORY_RESET");
      assertThat(again.error().getMessage()).contains("RESET MASTER");
      assertThat(again.error().remedy()).contains("re-copy");
      assertThat(destination.queryString("SELECT COUNT(*) FROM " + copy + ".t")).isEqualTo("50");
    } finally {
      ItSupport.stop(again);
    }
  }

  /**
   * The checkpoint records when the source created its binlog file: streamed across a rotation it equals
   * what the file's first event says, and a checkpoint without it (an older version's) resumes and gets
   * it, reading its file from the middle (whose format description event must carry the same time, or
   * the resumed stream would stop).
   */
  @Test
  @Order(7)
  void theCheckpointRecordsWhenItsBinlogFileWasCreatedAndAnOlderCheckpointGetsIt() throws Exception {
    String db = ItSupport.uniqueDb("ident");
    String copy = db + "_copy";
    source.execute("CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(200))");
    JobConfig job = job("ident", db, copy);
    JobRunner runner = ItSupport.start(job);
    try {
      for (int i = 0; i < 10; i++) {
        source.execute("INSERT INTO " + db + ".t VALUES (" + i + ", 'before the rotation')");
      }
      source.execute("FLUSH BINARY LOGS");
      source.execute("INSERT INTO " + db + ".t VALUES (100, 'after the rotation')");
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.stop(runner);
      String file = checkpointColumn("ident", "binlog_file");
      try (Connection c = source.rootConnection()) {
        assertThat(file).as("the file begun by the rotation").isEqualTo(SourceQueries.currentPosition(c).file());
      }
      long created = BinlogReader.fileCreated(job, file);
      assertThat(checkpointColumn("ident", "binlog_file_created")).as("recorded from the stream after a rotation")
          .isEqualTo(Long.toString(created));
      long offset = Long.parseLong(checkpointColumn("ident", "binlog_pos"));
      assertThat(offset).as("the checkpoint lies inside the file").isGreaterThan(4);
      assertThat(firstFormatDescriptionTimestamp(file, offset)).as("the FDE a reader starting mid-file gets")
          .isEqualTo(created * 1000);

      destination.execute("UPDATE _ferry.checkpoint SET binlog_file_created = NULL WHERE job_id = 'ident'");
      runner = ItSupport.start(job);
      source.execute("INSERT INTO " + db + ".t VALUES (101, 'after the resume')");
      ItSupport.awaitCaughtUp(runner, source);
      assertThat(checkpointColumn("ident", "binlog_file_created")).as("filled in on resume")
          .isEqualTo(Long.toString(created));
      ItSupport.assertSameData(source, db, destination, copy, "t");
    } finally {
      ItSupport.stop(runner);
    }
  }

  /**
   * RESET MASTER, then the same transactions written again (values of the same length): the new
   * .000001 reaches the checkpoint's offset at an event boundary with the same GTIDs, so the checks on
   * GTIDs and on the file alone let the job resume there, inside someone else's history. The file's
   * creation time, kept in the checkpoint, tells the two files apart.
   */
  @Test
  @Order(8)
  void resetMasterWithANewHistoryAlignedPastTheCheckpointIsRefusedByTheFilesCreationTime() throws Exception {
    String db = ItSupport.uniqueDb("realign");
    String copy = db + "_copy";
    source.execute("CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(200))");
    source.execute("RESET MASTER");
    JobConfig job = job("realign", db, copy);
    JobRunner runner = ItSupport.start(job);
    try {
      for (int i = 0; i < 40; i++) {
        source.execute("INSERT INTO " + db + ".t VALUES (" + i + ", REPEAT('x', 150))");
      }
      ItSupport.awaitCaughtUp(runner, source);
    } finally {
      ItSupport.stop(runner);
    }
    BinlogPosition checkpoint = new BinlogPosition(checkpointColumn("realign", "binlog_file"),
        Long.parseLong(checkpointColumn("realign", "binlog_pos")), checkpointColumn("realign", "gtid_set"));
    long created = Long.parseLong(checkpointColumn("realign", "binlog_file_created"));
    assertThat(checkpoint.file()).endsWith(".000001");
    TableChecksum before = destinationChecksum(copy);
    assertThat(before.rowCount()).isEqualTo(40);

    // A new history: the table as it was at the reset (not logged), the reset a second later at least,
    // then the same statements until the source's position and GTIDs are at or past the checkpoint's.
    await().atMost(Duration.ofSeconds(3)).until(() -> Instant.now().getEpochSecond() > created);
    try (Connection c = source.rootConnection(); Statement s = c.createStatement()) {
      s.execute("SET sql_log_bin = 0");
      s.execute("DELETE FROM " + db + ".t");
      s.execute("SET sql_log_bin = 1");
      s.execute("RESET MASTER");
      BinlogPosition now = SourceQueries.currentPosition(c);
      for (int i = 0; i < 1_000 && (now.compareTo(checkpoint) < 0 || lastSeq(now) < lastSeq(checkpoint)); i++) {
        s.execute("INSERT INTO " + db + ".t VALUES (" + i + ", REPEAT('y', 150))");
        now = SourceQueries.currentPosition(c);
      }
      assertThat(now.file()).isEqualTo(checkpoint.file());
      assertThat(now.position()).as("new history past the checkpoint in bytes").isGreaterThanOrEqualTo(checkpoint.position());
      assertThat(lastSeq(now)).as("and in GTIDs").isGreaterThanOrEqualTo(lastSeq(checkpoint));
      for (int i = 1_000; i < 1_010; i++) {
        s.execute("INSERT INTO " + db + ".t VALUES (" + i + ", 'only in the new history')");
      }
      // The checks without the file's identity pass, and the offset is an event boundary in the new file:
      // a job that trusted them would read the new history's transactions from there on.
      assertThat(SourcePreflight.checkAvailable(c, job, checkpoint)).as("GTID and file checks").isNull();
      try (var rs = s.executeQuery("SHOW BINLOG EVENTS IN '" + checkpoint.file() + "' FROM " + checkpoint.position()
          + " LIMIT 1")) {
        assertThat(rs.next()).as("an event starts at the checkpoint's offset").isTrue();
        assertThat(rs.getString("Event_type")).isEqualTo("Gtid");
      }
    }
    assertThat(BinlogReader.fileCreated(job, checkpoint.file())).as("the new file's creation time").isNotEqualTo(created);

    JobRunner again = new JobRunner(job, JobOptions.DEFAULTS, JobListener.NONE);
    again.start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> again.state() == JobState.ERROR);
      assertThat(again.error().code()).isEqualTo("SOURCE_HISTORY_RESET");
      assertThat(again.error().getMessage()).contains(checkpoint.file()).contains("RESET MASTER")
          .contains(Instant.ofEpochSecond(created).toString());
      assertThat(again.error().remedy()).contains("re-copy");
    } finally {
      ItSupport.stop(again);
    }
    assertThat(checkpointColumn("realign", "binlog_pos")).as("checkpoint kept").isEqualTo(Long.toString(checkpoint.position()));
    assertThat(checkpointColumn("realign", "binlog_file_created")).isEqualTo(Long.toString(created));
    assertThat(destinationChecksum(copy)).as("destination unchanged").isEqualTo(before);
  }

  /** The header timestamp (ms) of the format description event a binlog client gets first when it starts at {@code file:offset}. */
  private static long firstFormatDescriptionTimestamp(String file, long offset) throws Exception {
    BinaryLogClient client = new BinaryLogClient(source.host(), source.port(), source.adminUser(),
        source.adminPassword());
    client.setServerId(4242);
    client.setBinlogFilename(file);
    client.setBinlogPosition(offset);
    CompletableFuture<Long> timestamp = new CompletableFuture<>();
    client.registerEventListener(e -> {
      if (e.getHeader().getEventType() == EventType.FORMAT_DESCRIPTION) {
        timestamp.complete(e.getHeader().getTimestamp());
      }
    });
    client.connect(10_000);
    try {
      return timestamp.get(10, TimeUnit.SECONDS);
    } finally {
      client.disconnect();
    }
  }

  private static String checkpointColumn(String jobId, String column) {
    return destination.queryString("SELECT " + column + " FROM _ferry.checkpoint WHERE job_id = '" + jobId + "'");
  }

  private static TableChecksum destinationChecksum(String db) throws Exception {
    try (Connection c = destination.rootConnection()) {
      return TableChecksum.compute(c, db, "t");
    }
  }

  /** The highest sequence number of domain 0 in a MariaDB GTID set (0 when none). */
  private static long lastSeq(BinlogPosition p) {
    long max = 0;
    for (String g : p.gtidSet().split(",")) {
      String[] parts = g.trim().split("-");
      if (parts.length == 3 && parts[0].equals("0")) {
        max = Math.max(max, Long.parseLong(parts[2]));
      }
    }
    return max;
  }
}
