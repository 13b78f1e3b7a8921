package io.ferry.worker.checkpoint;

import io.ferry.worker.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Taking a job over from an owner that hangs. A claim locks the checkpoint row; an old owner frozen
 * (SIGSTOP, a long GC pause, a partition between it and the control plane but not the destination)
 * inside an apply transaction holds that lock, and its session stays open for hours, so the new
 * owner would wait forever. Each claim therefore records its session ({@code owner_connection}); a
 * claim that waits longer than a few seconds reads the row as last committed (no lock needed), and
 * when it names an older epoch's session, ends that session with {@code KILL CONNECTION}: the hung
 * transaction rolls back (nothing of it was committed, so nothing is lost) and the claim goes through.
 * This needs the same destination user for both owners, or the CONNECTION ADMIN (MySQL) /
 * CONNECTION ADMIN, SUPER (MariaDB) privilege; without it the claim keeps waiting and says why.
 */
final class Takeover {
  private static final Logger LOG = LoggerFactory.getLogger(Takeover.class);
  /** How long one claim attempt waits for the row lock, in seconds. */
  static final int LOCK_WAIT_SECONDS = 3;
  private static final int ATTEMPTS = 40;
  private static final int LOCK_WAIT_TIMEOUT = 1205;

  /** One claim attempt. */
  interface Attempt {
    CheckpointStore.Claim run() throws SQLException;
  }

  private Takeover() {}

  /**
   * Runs {@code attempt} until it gets the row, ending a hung older owner's session in between.
   *
   * @param fenced the error for a newer owner holding the row, given the stored epoch
   */
  static CheckpointStore.Claim claim(Connection c, String schema, String jobId, long requested, Attempt attempt,
      LongFunction<RuntimeException> fenced) throws SQLException {
    long before = lockWait(c);
    setLockWait(c, LOCK_WAIT_SECONDS);
    try {
      for (int i = 1; ; i++) {
        try {
          return attempt.run();
        } catch (SQLException e) {
          if (e.getErrorCode() != LOCK_WAIT_TIMEOUT || i >= ATTEMPTS) {
            throw e;
          }
          long newer = evictStaleOwner(c, schema, jobId, requested);
          if (newer >= 0) {
            throw fenced.apply(newer);
          }
        }
      }
    } finally {
      setLockWait(c, before);
    }
  }

  /** Ends the hung session of an older owner; returns the stored epoch when a newer owner holds the row, else -1. */
  private static long evictStaleOwner(Connection c, String schema, String jobId, long requested) throws SQLException {
    long epoch;
    long owner;
    try (PreparedStatement ps = c.prepareStatement("SELECT epoch, owner_connection, CONNECTION_ID() FROM "
        + Jdbc.quote(schema, "checkpoint") + " WHERE job_id = ?")) {
      ps.setString(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getObject(2) == null || rs.getLong(2) == rs.getLong(3)) {
          LOG.warn("job {}: the checkpoint row is locked by a session that did not record itself; waiting", jobId);
          return -1;
        }
        epoch = rs.getLong(1);
        owner = rs.getLong(2);
      }
    }
    if (requested != 0 && epoch >= requested) {
      return epoch;
    }
    try (Statement s = c.createStatement()) {
      s.execute("KILL CONNECTION " + owner);
      LOG.warn("job {}: the previous owner (epoch {}) held the checkpoint row in a hung transaction; ended its"
          + " destination session {} (its uncommitted work rolls back)", jobId, epoch, owner);
    } catch (SQLException e) {
      LOG.warn("job {}: the previous owner (epoch {}) holds the checkpoint row and its session {} cannot be ended"
          + " ({}); waiting. Give both owners the same destination user, or grant CONNECTION ADMIN.",
          jobId, epoch, owner, e.getMessage());
    }
    return -1;
  }

  private static long lockWait(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@SESSION.innodb_lock_wait_timeout")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void setLockWait(Connection c, long seconds) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET SESSION innodb_lock_wait_timeout = " + seconds);
    }
  }
}
