package io.ferry.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.mariadb.MariaDbServer;
import io.ferry.mariadb.check.TableChecksum;
import io.ferry.worker.JobOptions;
import io.ferry.worker.JobRunner;
import io.ferry.worker.JobState;
import io.ferry.worker.config.ConnectionConfig;
import io.ferry.worker.config.DdlPolicy;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.StartPosition;
import io.ferry.worker.config.TableFilter;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.schema.SchemaReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One job of {@link BadInputIT} that has already run well once: a source database with a table
 * {@code items}, least-privileged users with distinctive passwords on both sides, a destination copy
 * holding the replicated row 4 and a checkpoint. Bad inputs are then tried against it, and
 * {@link #resumeAndExpect} shows afterwards that the good job still picks up everything that was
 * written meanwhile, i.e. nothing was skipped.
 */
final class BadInputFixture {
  static final String SOURCE_PASSWORD = "pw-Secret-123";
  static final String DESTINATION_PASSWORD = "pw-Secret-456";
  static final String WRONG_PASSWORD = "pw-Wrong-789";
  static final List<String> PASSWORDS = List.of(SOURCE_PASSWORD, DESTINATION_PASSWORD, WRONG_PASSWORD);

  final MariaDbServer source;
  final MariaDbServer destination;
  final String label;
  final String db;
  final String copy;
  final JobConfig good;

  /** The destination's content and the job's checkpoint row at one moment. */
  record Snapshot(Map<String, String> tables, String position, long epoch) {}

  BadInputFixture(MariaDbServer source, MariaDbServer destination, String label) throws Exception {
    this.source = source;
    this.destination = destination;
    this.label = label;
    this.db = ItSupport.uniqueDb(label);
    this.copy = db + "_copy";
    source.execute("CREATE DATABASE " + db,
        "CREATE TABLE " + db + ".items (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, note TEXT NULL)",
        "INSERT INTO " + db + ".items VALUES (1, 'one', NULL), (2, 'two', NULL), (3, 'three', NULL)");
    source.createUser("src_" + label, SOURCE_PASSWORD, "REPLICATION SLAVE, BINLOG MONITOR ON *.*",
        "SELECT ON `" + db + "`.*");
    destination.createUser("dst_" + label, DESTINATION_PASSWORD, "ALL ON `" + copy + "`.*", "ALL ON `_ferry`.*");
    this.good = new JobConfig("bad-" + label, connection(source, "src_" + label, SOURCE_PASSWORD),
        connection(destination, "dst_" + label, DESTINATION_PASSWORD), new TableFilter(List.of(db + ".*"), List.of()),
        Map.of(db, copy), new StartPosition.Current(), DdlPolicy.EXEC, null);
    JobRunner runner = ItSupport.start(good);
    try {
      assertThat(runner.state()).as("good job (error: %s)", runner.error()).isEqualTo(JobState.RUNNING);
      insert(4);
      ItSupport.awaitCaughtUp(runner, source);
    } finally {
      ItSupport.stop(runner);
    }
    assertThat(destinationIds()).isEqualTo("4");
  }

  static ConnectionConfig connection(MariaDbServer server, String user, String password) {
    return new ConnectionConfig(server.host(), server.port(), user, password, ConnectionConfig.TlsMode.DISABLED);
  }

  static ConnectionConfig connection(String host, int port, String user, String password) {
    return new ConnectionConfig(host, port, user, password, ConnectionConfig.TlsMode.DISABLED);
  }

  JobConfig withSource(ConnectionConfig c) {
    return new JobConfig(good.id(), c, good.destination(), good.tables(), good.databaseMap(), good.start(), good.ddl(),
        good.tuning());
  }

  JobConfig withDestination(ConnectionConfig c) {
    return new JobConfig(good.id(), good.source(), c, good.tables(), good.databaseMap(), good.start(), good.ddl(),
        good.tuning());
  }

  JobConfig asNewJob(String id, StartPosition start) {
    return new JobConfig(id, good.source(), good.destination(), good.tables(), good.databaseMap(), start, good.ddl(),
        good.tuning());
  }

  /** A source user of this fixture's database with only the given grants. */
  ConnectionConfig sourceUser(String user, String... grants) {
    source.createUser(user, SOURCE_PASSWORD, grants);
    return connection(source, user, SOURCE_PASSWORD);
  }

  ConnectionConfig destinationUser(String user, String... grants) {
    destination.createUser(user, DESTINATION_PASSWORD, grants);
    return connection(destination, user, DESTINATION_PASSWORD);
  }

  /** A source write the job must not lose. */
  void insert(int id) {
    source.execute("INSERT INTO " + db + ".items VALUES (" + id + ", 'row " + id + "', NULL)");
  }

  String destinationIds() {
    return destination.queryString("SELECT GROUP_CONCAT(id ORDER BY id) FROM `" + copy + "`.items");
  }

  Snapshot snapshot() throws SQLException {
    return snapshot(good.id());
  }

  /** Every table of the destination copy (row count and digest) and the job's checkpoint row (or none). */
  Snapshot snapshot(String jobId) throws SQLException {
    Map<String, String> tables = new TreeMap<>();
    try (Connection c = destination.rootConnection()) {
      for (String table : SchemaReader.tables(c, copy)) {
        TableChecksum sum = TableChecksum.compute(c, copy, table);
        tables.put(table, sum.columns() + " " + sum.rowCount() + " " + sum.rowDigest());
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT binlog_file, binlog_pos, gtid_set, epoch"
          + " FROM _ferry.checkpoint WHERE job_id = ?")) {
        ps.setString(1, jobId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return new Snapshot(tables, "no row", -1);
          }
          return new Snapshot(tables, rs.getString(1) + ":" + rs.getString(2) + " gtid " + rs.getString(3), rs.getLong(4));
        }
      }
    }
  }

  /** Runs {@code job} and expects it to end in ERROR with {@code code}; returns the error. */
  FerryException expectError(JobConfig job, String code, ConnectionConfig server, String... mentions)
      throws InterruptedException {
    JobRunner runner = ItSupport.start(job);
    assertThat(runner.awaitTermination(30, TimeUnit.SECONDS)).as("runner thread ended").isTrue();
    assertThat(runner.state()).as("state of %s (error: %s)", job.id(),
        runner.error() == null ? null : runner.error().describe()).isEqualTo(JobState.ERROR);
    assertReported(runner.error(), code, job, server, mentions);
    return runner.error();
  }

  /**
   * Runs {@code job}, which keeps retrying, until it reports an error; asserts it while the job is
   * STARTING, then stops it.
   */
  FerryException expectRetrying(JobConfig job, String code, ConnectionConfig server, String... mentions)
      throws InterruptedException {
    JobRunner runner = new JobRunner(job, JobOptions.DEFAULTS, io.ferry.worker.JobListener.NONE);
    runner.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> runner.error() != null);
      assertThat(runner.state()).isEqualTo(JobState.STARTING);
      assertThat(runner.error().retriable()).as("retriable: %s", runner.error().describe()).isTrue();
      assertReported(runner.error(), code, job, server, mentions);
      return runner.error();
    } finally {
      ItSupport.stop(runner);
      assertThat(runner.state()).isEqualTo(JobState.STOPPED);
    }
  }

  static void assertReported(FerryException e, String code, JobConfig job, ConnectionConfig server,
                             String... mentions) {
    assertThat(e).as("the job's error").isNotNull();
    assertThat(e.code()).as("code of %s", e.describe()).isEqualTo(code);
    assertThat(e.getMessage()).as("message").contains("job " + job.id(), server.host() + ":" + server.port(),
        server.user());
    for (String mention : mentions) {
      assertThat(e.getMessage()).as("message").contains(mention);
    }
    assertThat(e.remedy()).as("remedy of %s", e.describe()).isNotBlank();
    for (Throwable t = e; t != null; t = t.getCause()) {
      for (String password : PASSWORDS) {
        assertThat(String.valueOf(t.getMessage())).as("message of %s", t.getClass().getSimpleName())
            .doesNotContain(password);
      }
    }
    assertThat(e.remedy()).doesNotContain(PASSWORDS);
  }

  /** Starts the good job again and waits until it has applied everything up to the source's end. */
  void resumeAndExpect(String ids) throws Exception {
    JobRunner runner = ItSupport.start(good);
    try {
      ItSupport.awaitCaughtUp(runner, source);
    } finally {
      ItSupport.stop(runner);
    }
    assertThat(destinationIds()).as("destination rows after resuming").isEqualTo(ids);
  }
}
