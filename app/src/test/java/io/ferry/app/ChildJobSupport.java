package io.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import io.ferry.mariadb.check.TableChecksum;
import io.ferry.worker.jdbc.SourceQueries;
import io.ferry.worker.position.BinlogPosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Shared pieces of the tests that run {@code ferry replicate} as a child process against real servers in the test
 * JVM: the job file, reading the destination's checkpoint and ledger state in one snapshot, waiting with deadlines
 * (failing at once, with the child's log, when the child dies), and the exactness and equality assertions.
 */
final class ChildJobSupport {
  private ChildJobSupport() {}

  static MariaDbServer startSource() {
    return MariaDbServer.start(MariaDbConfig.builder().role(MariaDbConfig.Role.SOURCE).serverId(1).build());
  }

  static MariaDbServer startDestination() {
    return MariaDbServer.start(MariaDbConfig.builder().role(MariaDbConfig.Role.DESTINATION).serverId(2).build());
  }

  /** Writes the job file: admin users of both servers, {@code db.*} renamed to {@code copy}. */
  static Path writeJob(Path dir, String id, MariaDbServer source, MariaDbServer destination, String db, String copy)
      throws IOException {
    return writeJob(dir, id, source, destination, db, copy, "current", "");
  }

  /** A job file with the given {@code start} (YAML) and excluded tables ({@code ""} or a YAML list's items). */
  static Path writeJob(Path dir, String id, MariaDbServer source, MariaDbServer destination, String db, String copy,
                       String start, String exclude) throws IOException {
    String yaml = "id: " + id + "\n"
        + "source: " + connection(source) + "\n"
        + "destination: " + connection(destination) + "\n"
        + "tables: {include: [\"" + db + ".*\"], exclude: [" + exclude + "]}\n"
        + "databaseMap: {" + db + ": " + copy + "}\n"
        + "start: " + start + "\n"
        + "ddl: exec\n";
    return Files.writeString(dir.resolve("job.yaml"), yaml, StandardCharsets.UTF_8);
  }

  private static String connection(MariaDbServer s) {
    return "{host: \"" + s.host() + "\", port: " + s.port() + ", user: \"" + s.adminUser() + "\", password: \""
        + s.adminPassword() + "\", tls: disabled}";
  }

  /** The job's stored position, or null when the job has none yet. */
  static BinlogPosition checkpoint(Connection destination, String jobId) throws SQLException {
    try (PreparedStatement ps = destination.prepareStatement(
        "SELECT binlog_file, binlog_pos, gtid_set FROM _ferry.checkpoint WHERE job_id = ?")) {
      ps.setString(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getString(1) != null
            ? new BinlogPosition(rs.getString(1), rs.getLong(2), rs.getString(3)) : null;
      } catch (SQLException e) {
        if (e.getErrorCode() == 1146 || e.getErrorCode() == 1049) { // not created yet
          return null;
        }
        throw e;
      }
    }
  }

  /** The destination's checkpoint and keyless tables, read in one consistent snapshot. */
  record DestState(BinlogPosition checkpoint, long rows, long distinct, long min, long max, long bulkRows,
                   long bulkDistinct) {
    @Override
    public String toString() {
      return "checkpoint " + checkpoint + ", ledger COUNT(*) " + rows + " COUNT(DISTINCT n) " + distinct + " MIN(n) "
          + min + " MAX(n) " + max + ", bulk COUNT(*) " + bulkRows + " COUNT(DISTINCT n,k) " + bulkDistinct;
    }
  }

  static DestState destState(Connection d, String copy, String jobId) throws SQLException {
    boolean auto = d.getAutoCommit();
    d.setAutoCommit(false);
    try (Statement s = d.createStatement()) {
      s.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
      BinlogPosition cp = checkpoint(d, jobId);
      long rows;
      long distinct;
      long min;
      long max;
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT n), COALESCE(MIN(n), 0), COALESCE(MAX(n), 0)"
          + " FROM " + copy + ".ledger")) {
        rs.next();
        rows = rs.getLong(1);
        distinct = rs.getLong(2);
        min = rs.getLong(3);
        max = rs.getLong(4);
      }
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT n, k) FROM " + copy + ".bulk")) {
        rs.next();
        return new DestState(cp, rows, distinct, min, max, rs.getLong(1), rs.getLong(2));
      }
    } finally {
      d.commit();
      d.setAutoCommit(auto);
    }
  }

  /** Rows in the destination's ledger (committed), 0 while the table does not exist yet. */
  static long ledgerRows(Connection d, String copy) throws SQLException {
    try (Statement s = d.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + copy + ".ledger")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      if (e.getErrorCode() == 1146 || e.getErrorCode() == 1049) {
        return 0;
      }
      throw e;
    }
  }

  /** The highest transaction number in the destination's ledger (committed), 0 when none. */
  static long ledgerMax(Connection d, String copy) throws SQLException {
    try (Statement s = d.createStatement();
         ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(n), 0) FROM " + copy + ".ledger")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Rows in the destination's {@code bulk} table including the applier's uncommitted ones: {@code dirty} must be a
   * connection in READ UNCOMMITTED. (information_schema.INNODB_TRX cannot tell: its cache is refreshed only when it
   * was not read for 100 ms, so frequent polling keeps seeing the same stale numbers.)
   */
  static long bulkRowsIncludingUncommitted(Connection dirty, String copy) throws SQLException {
    try (Statement s = dirty.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + copy + ".bulk")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      if (e.getErrorCode() == 1146 || e.getErrorCode() == 1049) {
        return 0;
      }
      throw e;
    }
  }

  /** A destination connection that sees uncommitted rows. */
  static Connection readUncommitted(MariaDbServer destination) throws SQLException {
    Connection c = destination.rootConnection();
    c.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
    return c;
  }

  /**
   * Asserts that the destination holds exactly transactions 1..k of the load, each once, and that the checkpoint is
   * exactly the source position right after transaction k: nothing doubled, nothing lost, nothing half applied.
   */
  static void assertExactPrefix(DestState s, LedgerLoad load, String context) {
    long k = s.max();
    load.awaitRecorded(k, 0);
    String why = context + ": " + s + "; " + load.describe();
    assertThat(s.rows()).as("ledger rows = distinct numbers = highest number (%s)", why).isEqualTo(k);
    assertThat(s.distinct()).as("no duplicate in the keyless ledger (%s)", why).isEqualTo(k);
    assertThat(s.min()).as("ledger starts at 1 (%s)", why).isEqualTo(k == 0 ? 0 : 1);
    assertThat(k).as("never ahead of the source (%s)", why).isLessThanOrEqualTo(load.committed());
    assertThat(s.bulkRows()).as("bulk rows of the big transactions up to %d (%s)", k, why)
        .isEqualTo(load.bulkRowsUpTo(k));
    assertThat(s.bulkDistinct()).as("no duplicate in the keyless bulk table (%s)", why).isEqualTo(s.bulkRows());
    assertThat(s.checkpoint()).as("checkpoint stored (%s)", why).isNotNull();
    BinlogPosition expected = load.endOf(k);
    assertThat(s.checkpoint().file() + ":" + s.checkpoint().position())
        .as("the checkpoint is exactly the position after transaction %d (%s)", k, why)
        .isEqualTo(expected.file() + ":" + expected.position());
  }

  /** Each table has the same rows on both sides (row count and ordered row digest). */
  static void assertSameData(MariaDbServer source, String db, MariaDbServer destination, String copy,
                             String... tables) throws SQLException {
    try (Connection s = source.rootConnection(); Connection d = destination.rootConnection()) {
      for (String table : tables) {
        TableChecksum a = TableChecksum.compute(s, db, table);
        TableChecksum b = TableChecksum.compute(d, copy, table);
        assertThat(b.rowCount()).as("rows of %s.%s vs %s.%s", copy, table, db, table).isEqualTo(a.rowCount());
        assertThat(b.rowDigest()).as("row digest of %s.%s vs %s.%s", copy, table, db, table).isEqualTo(a.rowDigest());
      }
    }
  }

  /** The source's end of binlog (SHOW BINLOG STATUS). */
  static BinlogPosition sourceEnd(MariaDbServer source) throws SQLException {
    try (Connection c = source.rootConnection()) {
      return SourceQueries.currentPosition(c);
    }
  }

  /**
   * Waits until {@code condition} holds; fails at once if the child exits, and on timeout, with {@code context} and
   * the child's log tail in the message.
   */
  static void await(String what, Duration atMost, FerryProcess child, Supplier<String> context,
                    Callable<Boolean> condition) {
    await(what, atMost, child, null, context, condition);
  }

  /** As above, also failing at once when the load has failed. */
  static void await(String what, Duration atMost, FerryProcess child, LedgerLoad load, Supplier<String> context,
                    Callable<Boolean> condition) {
    try {
      Awaitility.await(what).atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
          .until(() -> {
            if (condition.call()) {
              return true;
            }
            if (load != null && load.failure() != null) {
              throw new AssertionError("the load failed while waiting for: " + what + "; " + context.get()
                  + (child == null ? "" : child.tail()), load.failure());
            }
            if (child != null && !child.isAlive()) {
              throw new AssertionError("ferry exited with " + child.exitCode() + " while waiting for: " + what
                  + "; " + context.get() + child.tail());
            }
            return false;
          });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("timed out after " + atMost + " waiting for: " + what + "; " + context.get()
          + (child == null ? "" : child.tail()), e);
    }
  }
}
