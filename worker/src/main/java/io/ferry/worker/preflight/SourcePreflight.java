package io.ferry.worker.preflight;

import io.ferry.worker.config.JobConfig;
import io.ferry.worker.jdbc.SourceQueries;
import io.ferry.worker.position.BinlogPosition;
import io.ferry.worker.position.GtidTracker;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks that a source can be replicated from: binlog on, ROW format, FULL row image, no partial JSON,
 * a server id, the replication privileges and SELECT on the included databases. Every problem is
 * reported, not just the first.
 */
public final class SourcePreflight {
  private final JobConfig job;

  public SourcePreflight(JobConfig job) {
    this.job = job;
  }

  public List<Problem> check(Connection c) throws SQLException {
    List<Problem> problems = new ArrayList<>();
    String who = "job " + job.id() + ": source " + job.source().describe();
    String logBin = SourceQueries.variable(c, "log_bin");
    if (!"ON".equalsIgnoreCase(logBin) && !"1".equals(logBin)) {
      problems.add(new Problem("BINLOG_DISABLED", who + " has binary logging off (log_bin=" + logBin + ")",
          "Start the server with log_bin (e.g. log-bin=mysql-bin) and a server_id, then restart the job."));
    }
    String format = SourceQueries.variable(c, "binlog_format");
    if (format != null && !"ROW".equalsIgnoreCase(format)) {
      problems.add(new Problem("BINLOG_FORMAT", who + " logs binlog_format=" + format + "; Ferry reads row events only",
          "SET GLOBAL binlog_format=ROW (and in the server's config); sessions already open keep the old format "
          + "until they reconnect."));
    }
    String image = SourceQueries.variable(c, "binlog_row_image");
    if (image != null && !"FULL".equalsIgnoreCase(image)) {
      problems.add(new Problem("ROW_IMAGE", who + " logs binlog_row_image=" + image + "; Ferry needs FULL row images",
          "SET GLOBAL binlog_row_image=FULL (and in the server's config), then reconnect the application's sessions."));
    }
    String valueOptions = SourceQueries.variable(c, "binlog_row_value_options");
    if (valueOptions != null && valueOptions.toUpperCase(Locale.ROOT).contains("PARTIAL_JSON")) {
      problems.add(new Problem("PARTIAL_JSON", who + " logs partial JSON updates (binlog_row_value_options=PARTIAL_JSON)",
          "SET GLOBAL binlog_row_value_options='' so updates carry whole JSON values."));
    }
    if ("ON".equalsIgnoreCase(SourceQueries.variable(c, "log_bin_compress"))) {
      problems.add(new Problem("BINLOG_COMPRESSED", who + " compresses binlog events (MariaDB log_bin_compress=ON), "
          + "which the binlog reader cannot decode", "SET GLOBAL log_bin_compress=OFF on the source."));
    }
    String serverId = SourceQueries.variable(c, "server_id");
    if ("0".equals(serverId)) {
      problems.add(new Problem("SERVER_ID", who + " has server_id=0, which cannot serve a binlog stream",
          "Set server_id to a unique non-zero number on the source."));
    }
    privileges(c, who, problems);
    return problems;
  }

  private void privileges(Connection c, String who, List<Problem> problems) throws SQLException {
    Grants grants = Grants.of(c);
    String user = job.source().user();
    // SUPER does not include REPLICATION SLAVE (neither MySQL nor MariaDB lets it request a binlog dump).
    if (!grants.has("*", "REPLICATION SLAVE", "REPLICATION REPLICA")) {
      problems.add(new Problem("SOURCE_PRIVILEGES", who + ": user " + user + " lacks REPLICATION SLAVE",
          "GRANT REPLICATION SLAVE ON *.* TO " + user + " (MariaDB: REPLICATION REPLICA also works)."));
    }
    if (!canReadBinlogStatus(c)) {
      problems.add(new Problem("SOURCE_PRIVILEGES", who + ": user " + user + " lacks REPLICATION CLIENT "
          + "(MariaDB 10.5+: BINLOG MONITOR), needed to read the binlog position",
          "GRANT REPLICATION CLIENT ON *.* TO " + user + " (MariaDB 10.5+: GRANT BINLOG MONITOR ON *.*)."));
    }
    for (String db : job.tables().literalDatabases()) {
      if (!grants.has(db, "SELECT")) {
        problems.add(new Problem("SOURCE_PRIVILEGES", who + ": user " + user + " lacks SELECT on " + db,
            "GRANT SELECT ON `" + db + "`.* TO " + user + " (Ferry reads table definitions and copies rows)."));
      }
    }
  }

  /**
   * Asks the server for its binlog position, as the job will: which privilege allows that differs by
   * server (MariaDB 11 no longer lets SUPER do it, SLAVE MONITOR never did), so try rather than parse grants.
   */
  private static boolean canReadBinlogStatus(Connection c) throws SQLException {
    try {
      SourceQueries.currentPosition(c);
      return true;
    } catch (SQLException e) {
      if (e.getErrorCode() == 1227 || e.getErrorCode() == 1044 || e.getErrorCode() == 1142) {
        return false; // access denied
      }
      throw e;
    }
  }

  /** Fails when the server no longer has the binlog file a job would read from. */
  public static Problem checkAvailable(Connection c, JobConfig job, BinlogPosition position) throws SQLException {
    String missing = GtidTracker.missingFrom(position.gtidSet(), SourceQueries.executedGtids(c));
    if (missing != null) {
      return new Problem("SOURCE_HISTORY_RESET", "job " + job.id() + ": source " + job.source().describe()
          + " has not executed what the job already applied (" + missing + "): its binlog history was reset"
          + " (RESET MASTER) or it is another server",
          "The job's position means nothing on this history: re-copy needed (start: snapshot into empty tables).");
    }
    List<String> files = SourceQueries.binaryLogs(c);
    if (files.contains(position.file())) {
      return null;
    }
    return new Problem("BINLOG_PURGED", "job " + job.id() + ": source " + job.source().describe()
        + " no longer has binlog " + position.file() + " (position " + position + "); its oldest is "
        + (files.isEmpty() ? "none" : files.get(0)),
        "The changes since then are gone from the source: re-copy needed (start: snapshot into empty tables), "
        + "or start from a position the server still has.");
  }
}
