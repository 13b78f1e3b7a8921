package io.ferry.app;

import io.ferry.mariadb.MariaDbServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A record, kept by the destination itself, of every committed write of a job's checkpoint row: a trigger
 * on {@code _ferry.checkpoint} inserts the row's job, epoch and owner session together with the session
 * that wrote it into an InnoDB table, in the writer's own transaction, so only what was committed stays.
 * Every apply transaction moves the checkpoint, so this is the list of transactions each owner committed,
 * in the order the checkpoint row's lock gave them. Install it once the job has created the table.
 */
final class CommitLog {
  /** One committed write: its order, the job, the epoch written, the session the row names, the writing session. */
  record Commit(long id, String job, long epoch, Long owner, long session) {}

  private static final String TABLE = "ferry_test_commits.checkpoint_commits";

  private final MariaDbServer destination;

  private CommitLog(MariaDbServer destination) {
    this.destination = destination;
  }

  static CommitLog install(MariaDbServer destination) {
    destination.execute("CREATE DATABASE IF NOT EXISTS ferry_test_commits",
        "CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, job_id VARCHAR(64) NOT NULL,"
            + " epoch BIGINT NOT NULL, owner_connection BIGINT NULL, session BIGINT NOT NULL) ENGINE=InnoDB",
        "CREATE TRIGGER IF NOT EXISTS _ferry.ferry_test_commit_log AFTER UPDATE ON _ferry.checkpoint FOR EACH ROW"
            + " INSERT INTO " + TABLE + " (job_id, epoch, owner_connection, session)"
            + " VALUES (NEW.job_id, NEW.epoch, NEW.owner_connection, CONNECTION_ID())");
    return new CommitLog(destination);
  }

  /** The id of the last commit recorded so far (0 when none). */
  long mark() {
    return Long.parseLong(destination.queryString("SELECT COALESCE(MAX(id), 0) FROM " + TABLE));
  }

  /** How many commits each epoch's sessions made before and after {@code mark}, for the test's output. */
  static String summary(List<Commit> commits, long mark) {
    java.util.Map<String, int[]> counts = new java.util.TreeMap<>();
    for (Commit c : commits) {
      counts.computeIfAbsent("epoch " + c.epoch() + " session " + c.session(), k -> new int[2])[c.id() > mark ? 1 : 0]++;
    }
    StringBuilder out = new StringBuilder();
    counts.forEach((k, v) -> out.append(k).append(": ").append(v[0]).append(" before, ").append(v[1]).append(" after; "));
    return out.toString();
  }

  /** The job's commits in the order they were made. */
  List<Commit> of(String job) throws SQLException {
    List<Commit> out = new ArrayList<>();
    try (Connection c = destination.rootConnection();
         PreparedStatement p = c.prepareStatement("SELECT id, job_id, epoch, owner_connection, session FROM " + TABLE
             + " WHERE job_id = ? ORDER BY id")) {
      p.setString(1, job);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          long owner = rs.getLong(4);
          out.add(new Commit(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.wasNull() ? null : owner, rs.getLong(5)));
        }
      }
    }
    return out;
  }
}
