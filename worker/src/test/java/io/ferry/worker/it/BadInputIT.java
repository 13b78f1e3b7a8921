package io.ferry.worker.it;

import static io.ferry.worker.it.BadInputFixture.DESTINATION_PASSWORD;
import static io.ferry.worker.it.BadInputFixture.SOURCE_PASSWORD;
import static io.ferry.worker.it.BadInputFixture.WRONG_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import io.ferry.worker.JobRunner;
import io.ferry.worker.JobState;
import io.ferry.worker.config.ConnectionConfig;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.StartPosition;
import io.ferry.worker.error.FerryException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad inputs on real servers: each one stops the job with an error that names the job, the server
 * ({@code user@host:port}, never the password) and a remedy, changes nothing at the destination and
 * keeps the last good checkpoint; afterwards the good job resumes and nothing written meanwhile is lost.
 *
 * <p>Two servers: a SOURCE, and a PLAIN one (no binlog) that is every job's destination and the source
 * of the "binlog off" case. Settings are changed with SET GLOBAL and restored. PARTIAL_JSON cannot be
 * produced here: MariaDB has no {@code binlog_row_value_options}.
 */
class BadInputIT {
  private static MariaDbServer source;
  private static MariaDbServer plain;

  @BeforeAll
  static void servers() {
    source = ItSupport.startSource(b -> b);
    plain = MariaDbServer.start(MariaDbConfig.builder().role(MariaDbConfig.Role.PLAIN).build());
  }

  @AfterAll
  static void close() {
    if (plain != null) {
      plain.close();
    }
    if (source != null) {
      source.close();
    }
  }

  @Test
  void wrongPasswordsAndUnreachableServers() throws Exception {
    BadInputFixture f = new BadInputFixture(source, plain, "login");
    f.insert(5);
    BadInputFixture.Snapshot before = f.snapshot();

    ConnectionConfig src = BadInputFixture.connection(source, f.good.source().user(), WRONG_PASSWORD);
    f.expectError(f.withSource(src), "SOURCE_AUTH_FAILED", src, "source");
    ConnectionConfig dst = BadInputFixture.connection(plain, f.good.destination().user(), WRONG_PASSWORD);
    f.expectError(f.withDestination(dst), "DESTINATION_AUTH_FAILED", dst, "destination");

    ConnectionConfig nowhere = BadInputFixture.connection("127.0.0.1", closedPort(), f.good.source().user(),
        SOURCE_PASSWORD);
    f.expectRetrying(f.withSource(nowhere), "SOURCE_UNREACHABLE", nowhere);
    ConnectionConfig nowhereDst = BadInputFixture.connection("127.0.0.1", closedPort(), f.good.destination().user(),
        DESTINATION_PASSWORD);
    f.expectRetrying(f.withDestination(nowhereDst), "DESTINATION_UNREACHABLE", nowhereDst);

    assertThat(f.snapshot()).isEqualTo(before);
    f.resumeAndExpect("4,5");
  }

  @Test
  void binlogOffOrNotRowBasedWithFullImages() throws Exception {
    BadInputFixture f = new BadInputFixture(source, plain, "binlog");
    f.insert(5); // logged as ROW before the settings change below
    BadInputFixture.Snapshot before = f.snapshot();

    plain.createUser("src_off", SOURCE_PASSWORD, "REPLICATION SLAVE, BINLOG MONITOR ON *.*", "SELECT ON `" + f.db + "`.*");
    ConnectionConfig off = BadInputFixture.connection(plain, "src_off", SOURCE_PASSWORD);
    f.expectError(f.withSource(off), "BINLOG_DISABLED", off, "log_bin=OFF");

    for (String format : new String[] {"STATEMENT", "MIXED"}) {
      try {
        source.execute("SET GLOBAL binlog_format = " + format);
        f.expectError(f.good, "BINLOG_FORMAT", f.good.source(), "binlog_format=" + format);
      } finally {
        source.execute("SET GLOBAL binlog_format = ROW");
      }
    }
    for (String image : new String[] {"MINIMAL", "NOBLOB"}) {
      try {
        source.execute("SET GLOBAL binlog_row_image = " + image);
        f.expectError(f.good, "ROW_IMAGE", f.good.source(), "binlog_row_image=" + image);
      } finally {
        source.execute("SET GLOBAL binlog_row_image = FULL");
      }
    }

    assertThat(f.snapshot()).isEqualTo(before);
    f.resumeAndExpect("4,5");
  }

  @Test
  void sourceUserWithoutReplicationOrSelectPrivileges() throws Exception {
    BadInputFixture f = new BadInputFixture(source, plain, "srcpriv");
    f.insert(5);
    BadInputFixture.Snapshot before = f.snapshot();
    String select = "SELECT ON `" + f.db + "`.*";

    ConnectionConfig noSlave = f.sourceUser("noslave_" + f.label, "BINLOG MONITOR ON *.*", select);
    f.expectError(f.withSource(noSlave), "SOURCE_PRIVILEGES", noSlave, "lacks REPLICATION SLAVE");
    ConnectionConfig noClient = f.sourceUser("noclient_" + f.label, "REPLICATION SLAVE ON *.*", select);
    f.expectError(f.withSource(noClient), "SOURCE_PRIVILEGES", noClient, "lacks REPLICATION CLIENT", "BINLOG MONITOR");
    ConnectionConfig noSelect = f.sourceUser("noselect_" + f.label, "REPLICATION SLAVE, BINLOG MONITOR ON *.*");
    f.expectError(f.withSource(noSelect), "SOURCE_PRIVILEGES", noSelect,
        "lacks SELECT on " + f.db);
    // SUPER never allows the binlog dump; from MariaDB 11.0 it no longer allows SHOW BINLOG STATUS either.
    ConnectionConfig superOnly = f.sourceUser("super_" + f.label, "SUPER ON *.*", select);
    FerryException e = f.expectError(f.withSource(superOnly), "SOURCE_PRIVILEGES", superOnly, "lacks REPLICATION SLAVE");
    if (Integer.parseInt(source.version().substring(0, source.version().indexOf('.'))) >= 11) {
      assertThat(e.getMessage()).contains("lacks REPLICATION CLIENT");
    }

    assertThat(f.snapshot()).isEqualTo(before);
    f.resumeAndExpect("4,5");
  }

  @Test
  void startPositionPurgedAlsoWhileTheJobWasStopped() throws Exception {
    BadInputFixture f = new BadInputFixture(source, plain, "purged");
    BadInputFixture.Snapshot before = f.snapshot();
    String checkpointFile = before.position().substring(0, before.position().indexOf(':'));
    source.execute("FLUSH BINARY LOGS");
    f.insert(5);
    String current = source.queryString("SHOW BINLOG STATUS");
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
      source.execute("PURGE BINARY LOGS TO '" + current + "'");
      assertThat(source.queryString("SHOW BINARY LOGS")).isEqualTo(current);
    });

    // Purged while the job was stopped: the resume position is gone.
    FerryException e = f.expectError(f.good, "BINLOG_PURGED", f.good.source(), checkpointFile);
    assertThat(e.remedy()).contains("re-copy needed");
    BadInputFixture.Snapshot after = f.snapshot();
    assertThat(after.tables()).isEqualTo(before.tables());
    assertThat(after.position()).as("checkpoint position").isEqualTo(before.position());

    // A new job told to start in a purged file.
    JobConfig oldStart = f.asNewJob(f.good.id() + "-old", new StartPosition.File(checkpointFile, 4));
    e = f.expectError(oldStart, "BINLOG_PURGED", oldStart.source(), checkpointFile);
    assertThat(e.remedy()).contains("re-copy needed");
    assertThat(f.snapshot().tables()).isEqualTo(before.tables());
    assertThat(f.snapshot(oldStart.id()).position()).as("the new job has no position").isEqualTo("null:null gtid null");
  }

  @Test
  void destinationReadOnlyOrWithoutPrivileges() throws Exception {
    BadInputFixture f = new BadInputFixture(source, plain, "dstpriv");
    f.insert(5);
    BadInputFixture.Snapshot before = f.snapshot();

    try {
      plain.execute("SET GLOBAL read_only = ON");
      f.expectError(f.good, "DESTINATION_READ_ONLY", f.good.destination(), "read-only");
    } finally {
      plain.execute("SET GLOBAL read_only = OFF");
    }
    String ferry = "ALL ON `_ferry`.*";
    ConnectionConfig noInsert = f.destinationUser("noins_" + f.label, "SELECT ON `" + f.copy + "`.*", ferry);
    f.expectError(f.withDestination(noInsert), "DESTINATION_PRIVILEGES", noInsert, "lacks INSERT on " + f.copy);
    ConnectionConfig noCheckpoint = f.destinationUser("nockp_" + f.label, "ALL ON `" + f.copy + "`.*",
        "CREATE, INSERT, UPDATE ON `_ferry`.*");
    f.expectError(f.withDestination(noCheckpoint), "DESTINATION_PRIVILEGES", noCheckpoint, "_ferry");
    assertThat(f.snapshot()).isEqualTo(before);

    // A table created at the source while the job was stopped arrives with the stream's CREATE TABLE, which
    // needs the CREATE privilege at the destination.
    source.execute("CREATE TABLE " + f.db + ".more (id INT PRIMARY KEY)");
    ConnectionConfig noCreate = f.destinationUser("nocreate_" + f.label,
        "SELECT, INSERT, UPDATE, DELETE ON `" + f.copy + "`.*", ferry);
    f.expectError(f.withDestination(noCreate), "DESTINATION_PRIVILEGES", noCreate, "CREATE TABLE " + f.db + ".more",
        "CREATE command denied");
    // The transactions before the statement were applied (and checkpointed); the statement was not.
    assertThat(plain.queryString("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + f.copy
        + "' AND TABLE_NAME = 'more'")).isEqualTo("0");

    f.resumeAndExpect("4,5");

    // Read-only while running: the failing batch is rolled back and the checkpoint stays.
    before = f.snapshot();
    JobRunner runner = ItSupport.start(f.good);
    try {
      assertThat(runner.state()).isEqualTo(JobState.RUNNING);
      plain.execute("SET GLOBAL read_only = ON");
      f.insert(6);
      assertThat(runner.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      assertThat(runner.state()).isEqualTo(JobState.ERROR);
      BadInputFixture.assertReported(runner.error(), "DESTINATION_READ_ONLY", f.good, f.good.destination(),
          "read-only");
    } finally {
      plain.execute("SET GLOBAL read_only = OFF");
      ItSupport.stop(runner);
    }
    BadInputFixture.Snapshot after = f.snapshot();
    assertThat(after.tables()).isEqualTo(before.tables());
    assertThat(after.position()).isEqualTo(before.position());
    f.resumeAndExpect("4,5,6");
  }

  @Test
  void destinationTableOfAnotherShape() throws Exception {
    BadInputFixture f = new BadInputFixture(source, plain, "shape");
    f.insert(5);
    String table = f.copy + ".items";
    // A new job compares every existing destination table with the source before it starts.
    JobConfig fresh = f.asNewJob(f.good.id() + "-new", new StartPosition.Current());
    String[][] cases = {
        {"ADD COLUMN extra DATETIME NULL", "DROP COLUMN extra", "column extra exists only on the destination"},
        {"DROP COLUMN note", "ADD COLUMN note TEXT NULL", "column note is missing"},
        {"MODIFY note INT NULL", "MODIFY note TEXT NULL", "column note is text on the source but int(11)"},
    };
    for (String[] c : cases) {
      plain.execute("ALTER TABLE " + table + " " + c[0]);
      BadInputFixture.Snapshot before = f.snapshot();
      try {
        f.expectError(fresh, "DESTINATION_SHAPE", fresh.destination(), "destination table " + table, c[2]);
        assertThat(f.snapshot()).isEqualTo(before);
        assertThat(f.snapshot(fresh.id()).position()).as("the new job has no position").isEqualTo("null:null gtid null");
      } finally {
        plain.execute("ALTER TABLE " + table + " " + c[1]);
      }
    }

    // A resumed job does not compare up front (its destination may legitimately be ahead of or behind the
    // resume point); a column it must write is checked when the table's first row arrives.
    plain.execute("ALTER TABLE " + table + " DROP COLUMN note");
    BadInputFixture.Snapshot before = f.snapshot();
    try {
      JobRunner runner = ItSupport.start(f.good);
      try {
        assertThat(runner.awaitTermination(30, TimeUnit.SECONDS)).as("runner thread ended").isTrue();
        assertThat(runner.state()).isEqualTo(JobState.ERROR);
        FerryException e = runner.error();
        assertThat(e.code()).as(e.describe()).isEqualTo("DESTINATION_SHAPE");
        assertThat(e.getMessage()).contains("job " + f.good.id(), table, "no column note",
            f.good.destination().describe());
        assertThat(e.remedy()).isNotBlank();
      } finally {
        ItSupport.stop(runner);
      }
      BadInputFixture.Snapshot after = f.snapshot();
      assertThat(after.tables()).isEqualTo(before.tables());
      assertThat(after.position()).isEqualTo(before.position());
    } finally {
      plain.execute("ALTER TABLE " + table + " ADD COLUMN note TEXT NULL");
    }
    f.resumeAndExpect("4,5");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
