package io.ferry.app.bench;

import io.ferry.mariadb.MariaDbServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Times MariaDB's own replica draining the backlog: CHANGE MASTER TO the recorded position, START SLAVE, poll. */
final class NativeReplica {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");
  private static final long TIMEOUT_NANOS = 30L * 60 * 1_000_000_000L;

  private NativeReplica() {}

  /** Returns the phase's measurements; throws if replication stops with an error or takes over 30 minutes. */
  static PhaseResult drain(MariaDbServer replica, MariaDbServer source, String user, String password,
      BinlogCoordinates start, BinlogCoordinates end, int threads) throws SQLException, InterruptedException {
    try (Connection c = replica.rootConnection(); Statement s = c.createStatement()) {
      configure(s, source, user, password, start, threads);
      double sourceCpu0 = CpuMeter.processCpuSeconds(source.pid());
      double replicaCpu0 = CpuMeter.processCpuSeconds(replica.pid());
      long t0 = System.nanoTime();
      s.execute("START SLAVE");
      awaitReached(s, end, t0);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double replicaCpu = CpuMeter.processCpuSeconds(replica.pid()) - replicaCpu0;
      double sourceCpu = CpuMeter.processCpuSeconds(source.pid()) - sourceCpu0;
      s.execute("STOP SLAVE");
      return new PhaseResult(name(threads), seconds, Double.NaN, replicaCpu, sourceCpu, Double.NaN, java.util.Map.of(),
          "");
    }
  }

  static String name(int threads) {
    return threads == 0 ? "MariaDB replica" : "MariaDB replica, " + threads + " threads";
  }

  /** Points the replica at {@code start} and starts it (it follows the source until {@link #stop}). */
  static void follow(MariaDbServer replica, MariaDbServer source, String user, String password,
      BinlogCoordinates start, int threads) throws SQLException {
    try (Connection c = replica.rootConnection(); Statement s = c.createStatement()) {
      configure(s, source, user, password, start, threads);
      s.execute("START SLAVE");
    }
  }

  static void stop(MariaDbServer replica) throws SQLException {
    try (Connection c = replica.rootConnection(); Statement s = c.createStatement()) {
      s.execute("STOP SLAVE");
    }
  }

  /** Starts a stopped replica where it stopped and waits until it has executed {@code end}; then stops it. */
  static void resumeUntil(MariaDbServer replica, BinlogCoordinates end) throws SQLException, InterruptedException {
    try (Connection c = replica.rootConnection(); Statement s = c.createStatement()) {
      s.execute("START SLAVE");
      awaitReached(s, end, System.nanoTime());
      s.execute("STOP SLAVE");
    }
  }

  private static void configure(Statement s, MariaDbServer source, String user, String password,
      BinlogCoordinates start, int threads) throws SQLException {
    s.execute("STOP SLAVE");
    s.execute("SET GLOBAL slave_parallel_threads = " + threads);
    if (threads > 0) {
      s.execute("SET GLOBAL slave_parallel_mode = 'optimistic'");
    }
    s.execute("CHANGE MASTER TO MASTER_HOST = '" + source.host() + "', MASTER_PORT = " + source.port()
        + ", MASTER_USER = '" + user + "', MASTER_PASSWORD = '" + password + "', MASTER_LOG_FILE = '"
        + start.file() + "', MASTER_LOG_POS = " + start.position() + ", MASTER_USE_GTID = no, MASTER_SSL = 0");
  }

  /** Polls SHOW SLAVE STATUS every 20 ms until the replica has executed {@code end}; throws on a replication error. */
  private static void awaitReached(Statement s, BinlogCoordinates end, long t0) throws SQLException,
      InterruptedException {
    long lastLog = t0;
    while (true) {
      Status st = status(s);
      long now = System.nanoTime();
      if (st.sqlError != null && !st.sqlError.isEmpty()) {
        throw new SQLException("native replica stopped: " + st.sqlError);
      }
      if (st.ioError != null && !st.ioError.isEmpty() && now - t0 > 15_000_000_000L) {
        throw new SQLException("native replica cannot read the source: " + st.ioError);
      }
      if (end.reachedBy(st.file, st.pos)) {
        return;
      }
      if (now - t0 > TIMEOUT_NANOS) {
        throw new SQLException("native replica did not reach " + end + " in 30 minutes; at " + st.file + ":" + st.pos);
      }
      if (now - lastLog > 10_000_000_000L) {
        lastLog = now;
        CONSOLE.info("  ... native replica at {}:{} after {} s (io {}, sql {}{})", st.file, st.pos,
            WriteOnlyLoad.fmt((now - t0) / 1e9), st.io, st.sql,
            st.ioError == null || st.ioError.isEmpty() ? "" : ", io error: " + st.ioError);
      }
      Thread.sleep(20);
    }
  }

  private record Status(String file, long pos, String io, String sql, String sqlError, String ioError) {}

  private static Status status(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
      if (!rs.next()) {
        return new Status("", 0, "", "", null, null);
      }
      return new Status(rs.getString("Relay_Master_Log_File"), rs.getLong("Exec_Master_Log_Pos"),
          rs.getString("Slave_IO_Running"), rs.getString("Slave_SQL_Running"), rs.getString("Last_SQL_Error"),
          rs.getString("Last_IO_Error"));
    }
  }
}
