package io.ferry.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import io.ferry.mariadb.check.TableChecksum;
import io.ferry.worker.JobListener;
import io.ferry.worker.JobOptions;
import io.ferry.worker.JobRunner;
import io.ferry.worker.JobState;
import io.ferry.worker.config.ConnectionConfig;
import io.ferry.worker.config.DdlPolicy;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.StartPosition;
import io.ferry.worker.config.TableFilter;
import io.ferry.worker.jdbc.SourceQueries;
import io.ferry.worker.position.BinlogPosition;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shared pieces of the worker's integration tests: real MariaDB servers (the distribution named by
 * the system property {@code ferry.mariadb}, default the embedded one), unique database names, jobs
 * that log in as the servers' admin user, waiting until a job has caught up, and checksum equality.
 */
public final class ItSupport {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private ItSupport() {}

  /** A source server (log_bin, ROW, FULL image, binlog_row_metadata=FULL unless changed). */
  public static MariaDbServer startSource(java.util.function.UnaryOperator<MariaDbConfig.Builder> tweak) {
    return MariaDbServer.start(tweak.apply(MariaDbConfig.builder().role(MariaDbConfig.Role.SOURCE).serverId(1)).build());
  }

  public static MariaDbServer startDestination(java.util.function.UnaryOperator<MariaDbConfig.Builder> tweak) {
    return MariaDbServer.start(tweak.apply(MariaDbConfig.builder().role(MariaDbConfig.Role.DESTINATION).serverId(2))
        .build());
  }

  /** A database name no other test uses, e.g. {@code t3_mixed}. */
  public static String uniqueDb(String label) {
    return "t" + SEQUENCE.incrementAndGet() + "_" + Long.toString(System.nanoTime() % 100_000, 36) + "_" + label;
  }

  public static ConnectionConfig admin(MariaDbServer server) {
    return new ConnectionConfig(server.host(), server.port(), server.adminUser(), server.adminPassword(),
        ConnectionConfig.TlsMode.DISABLED);
  }

  public static JobConfig job(String id, MariaDbServer source, MariaDbServer destination, List<String> include,
                              Map<String, String> databaseMap, DdlPolicy ddl) {
    return new JobConfig(id, admin(source), admin(destination), new TableFilter(include, List.of()), databaseMap,
        new StartPosition.Current(), ddl, null);
  }

  public static JobRunner start(JobConfig job) {
    return start(job, JobOptions.DEFAULTS);
  }

  public static JobRunner start(JobConfig job, JobOptions options) {
    JobRunner runner = new JobRunner(job, options, JobListener.NONE);
    runner.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> runner.state() != JobState.STARTING
        && runner.state() != JobState.CREATED);
    return runner;
  }

  /** Waits until the job's committed position reaches the source's current end of binlog. */
  public static void awaitCaughtUp(JobRunner runner, MariaDbServer source) throws SQLException {
    BinlogPosition end;
    try (Connection c = source.rootConnection()) {
      end = SourceQueries.currentPosition(c);
    }
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      assertThat(runner.state()).as("job state (error: %s)", runner.error()).isEqualTo(JobState.RUNNING);
      assertThat(runner.stats()).isNotNull();
      assertThat(runner.stats().position().compareTo(end)).as("position %s reaches %s", runner.stats().position(), end)
          .isGreaterThanOrEqualTo(0);
    });
  }

  /**
   * Waits until the job's initial copy shows at least {@code rows} rows copied (its record's count, so
   * rows an earlier run copied count too); polls often, so a test can stop the job mid-copy.
   */
  public static void awaitCopied(JobRunner runner, long rows) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> runner.stats() != null
        && runner.stats().copy() != null && runner.stats().copy().rowsCopied() >= rows);
  }

  public static void stop(JobRunner runner) throws InterruptedException {
    runner.stop();
    assertThat(runner.awaitTermination(30, TimeUnit.SECONDS)).as("runner stopped").isTrue();
  }

  /** Asserts that each table has the same rows on both sides (ordered per-row digest and row count). */
  public static void assertSameData(MariaDbServer source, String sourceDb, MariaDbServer destination, String destDb,
                                    String... tables) throws SQLException {
    try (Connection s = source.rootConnection(); Connection d = destination.rootConnection()) {
      for (String table : tables) {
        TableChecksum a = TableChecksum.compute(s, sourceDb, table);
        TableChecksum b = TableChecksum.compute(d, destDb, table);
        assertThat(b.rowCount()).as("rows of %s.%s", destDb, table).isEqualTo(a.rowCount());
        assertThat(b.rowDigest()).as("row digest of %s.%s vs %s.%s", destDb, table, sourceDb, table)
            .isEqualTo(a.rowDigest());
      }
    }
  }

  /** The first column of a query's rows, as strings; {@code args} bind its parameters. */
  public static List<String> strings(MariaDbServer s, String sql, String... args) throws SQLException {
    List<String> out = new java.util.ArrayList<>();
    try (Connection c = s.rootConnection(); java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}
