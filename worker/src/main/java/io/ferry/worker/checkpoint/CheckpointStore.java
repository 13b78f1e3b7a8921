package io.ferry.worker.checkpoint;

import io.ferry.worker.error.FerryException;
import io.ferry.worker.jdbc.Jdbc;
import io.ferry.worker.position.BinlogFiles;
import io.ferry.worker.position.BinlogPosition;
import io.ferry.worker.schema.TableDef;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The job's checkpoint row and schema history, kept in a Ferry-owned schema on the destination.
 *
 * <p>The checkpoint row is the single arbiter of ownership: a new owner raises its {@code epoch}
 * ({@link #claim}), and every apply transaction ends with {@link #advance}, which updates the row only
 * while the epoch is still the caller's. Zero rows updated means another owner took over: the caller
 * rolls back and stops. The row lock orders the old owner's last commit before or after a takeover,
 * never between. Used on the applier's thread with the applier's connection.
 */
public final class CheckpointStore {
  private final String schema;
  private final String jobId;
  private final BinlogFiles files;

  /** A store for claims and fencing; positions it records carry no file identity. */
  public CheckpointStore(String schema, String jobId) {
    this(schema, jobId, new BinlogFiles("job " + jobId));
  }

  /**
   * A store whose {@link #advance} records, with each position, when its binlog file was created, as
   * {@code files} knows it (filled by the binlog reader as files begin).
   */
  public CheckpointStore(String schema, String jobId, BinlogFiles files) {
    this.schema = schema;
    this.jobId = jobId;
    this.files = files;
  }

  /**
   * What a claim found: the epoch now owned, the stored position (null for a new job) and when the
   * source created the position's binlog file (seconds since the epoch; null when the checkpoint was
   * written by a version that did not record it).
   */
  public record Claim(long epoch, BinlogPosition position, Long fileCreated) {}

  public void ensureTables(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS " + Jdbc.quote(schema));
      s.execute("CREATE TABLE IF NOT EXISTS " + table("checkpoint") + " ("
          + " job_id VARCHAR(64) NOT NULL PRIMARY KEY,"
          + " epoch BIGINT NOT NULL,"
          + " binlog_file VARCHAR(255) NULL,"
          + " binlog_pos BIGINT NULL,"
          + " gtid_set TEXT NULL,"
          + " owner_connection BIGINT NULL,"
          + " binlog_file_created BIGINT NULL,"
          + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)"
          + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
      // Columns later versions added, for checkpoint tables an earlier version made (existing rows: NULL).
      addColumnIfMissing(c, "owner_connection", "BIGINT NULL AFTER gtid_set");
      addColumnIfMissing(c, "binlog_file_created", "BIGINT NULL AFTER owner_connection");
      s.execute("CREATE TABLE IF NOT EXISTS " + table("schema_history") + " ("
          + " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
          + " job_id VARCHAR(64) NOT NULL,"
          + " binlog_file VARCHAR(255) NOT NULL,"
          + " binlog_pos BIGINT NOT NULL,"
          + " table_schema VARCHAR(64) NOT NULL,"
          + " table_name VARCHAR(64) NOT NULL,"
          + " definition MEDIUMTEXT NULL,"
          + " KEY job_table (job_id, table_schema, table_name)"
          + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
      s.execute("CREATE TABLE IF NOT EXISTS " + table("xa_pending") + " ("
          + " job_id VARCHAR(64) NOT NULL,"
          + " xid VARCHAR(600) CHARACTER SET ascii NOT NULL,"
          + " rows_data LONGBLOB NOT NULL,"
          + " prepared_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
          + " PRIMARY KEY (job_id, xid)"
          + ") ENGINE=InnoDB");
    }
    if (!c.getAutoCommit()) {
      c.commit();
    }
  }

  /**
   * Takes ownership with an epoch above every earlier one ({@code requested}, or the stored epoch + 1
   * when {@code requested} is 0) and returns the stored position. The row is locked while it is read,
   * so the comparison and the raise are one step. A requested epoch equal to the stored one is the
   * same assignment claiming again after a retry. Commits its own transaction.
   */
  public Claim claim(Connection c, long requested) throws SQLException {
    return Takeover.claim(c, schema, jobId, requested, () -> claimOnce(c, requested),
        stored -> fenced(requested, stored));
  }

  private Claim claimOnce(Connection c, long requested) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (PreparedStatement ps = c.prepareStatement("INSERT IGNORE INTO " + table("checkpoint")
          + " (job_id, epoch) VALUES (?, 0)")) {
        ps.setString(1, jobId);
        ps.executeUpdate();
      }
      long stored;
      BinlogPosition position = null;
      Long fileCreated = null;
      try (PreparedStatement ps = c.prepareStatement("SELECT epoch, binlog_file, binlog_pos, gtid_set,"
          + " binlog_file_created FROM "
          + table("checkpoint") + " WHERE job_id = ? FOR UPDATE")) {
        ps.setString(1, jobId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          stored = rs.getLong(1);
          if (rs.getString(2) != null) {
            position = new BinlogPosition(rs.getString(2), rs.getLong(3), rs.getString(4));
            long created = rs.getLong(5);
            fileCreated = rs.wasNull() ? null : created;
          }
        }
      }
      long epoch = requested == 0 ? stored + 1 : requested;
      if (stored > epoch) {
        c.rollback();
        throw fenced(epoch, stored);
      }
      // stored == epoch: this assignment claimed the row before and retries after a failure (the
      // control plane never hands out one epoch twice, so nobody else can hold it). The session that
      // owns the job is recorded, so a later owner can end it if it hangs in an open transaction.
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + table("checkpoint")
          + " SET epoch = ?, owner_connection = CONNECTION_ID() WHERE job_id = ?")) {
        ps.setLong(1, epoch);
        ps.setString(2, jobId);
        ps.executeUpdate();
      }
      c.commit();
      return new Claim(epoch, position, fileCreated);
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /**
   * Records {@code position} inside the caller's open transaction, if {@code epoch} still owns the job,
   * together with when its binlog file was created (null when not known), which a resume compares with
   * the source's file of that name.
   *
   * @throws FerryException {@code FENCED} when a newer owner holds the job; the caller must roll back
   */
  public void advance(Connection c, long epoch, BinlogPosition position) throws SQLException {
    Long created = files.created(position.file());
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + table("checkpoint")
        + " SET binlog_file = ?, binlog_pos = ?, gtid_set = ?, binlog_file_created = ? WHERE job_id = ? AND epoch = ?")) {
      ps.setString(1, position.file());
      ps.setLong(2, position.position());
      ps.setString(3, position.gtidSet());
      if (created == null) {
        ps.setNull(4, Types.BIGINT);
      } else {
        ps.setLong(4, created);
      }
      ps.setString(5, jobId);
      ps.setLong(6, epoch);
      if (ps.executeUpdate() == 0) {
        throw fenced(epoch, -1);
      }
    }
    if (created != null) {
      files.forgetBefore(position.file());
    }
  }

  /**
   * Fences a transaction that writes for the job without moving its position (a copy lane's chunk),
   * called just before its commit: takes a shared lock on the checkpoint row, held until the caller's
   * transaction ends, and checks that {@code epoch} still owns the job. A takeover raises the epoch
   * under an exclusive lock on that row, so it waits for such a transaction to commit, and every one
   * fenced after it fails here.
   *
   * @throws FerryException {@code FENCED} when a newer owner holds the job; the caller must roll back
   */
  public void fence(Connection c, long epoch) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT epoch FROM " + table("checkpoint")
        + " WHERE job_id = ? LOCK IN SHARE MODE")) {
      ps.setString(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        long stored = rs.next() ? rs.getLong(1) : -1;
        if (stored != epoch) {
          throw fenced(epoch, stored);
        }
      }
    }
  }

  /**
   * Keeps the rows of a prepared XA transaction until its outcome arrives, in the caller's open
   * transaction (which commits them with the checkpoint past the XA PREPARE). A replay from before the
   * prepare writes the same row again.
   */
  public void holdXa(Connection c, String xid, byte[] rows) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("REPLACE INTO " + table("xa_pending")
        + " (job_id, xid, rows_data) VALUES (?, ?, ?)")) {
      p.setString(1, jobId);
      p.setString(2, xid);
      p.setBytes(3, rows);
      p.executeUpdate();
    }
  }

  /**
   * Takes the held rows of a prepared XA transaction out (deleted in the caller's open transaction);
   * null when none were held (the XA changed no included table).
   */
  public byte[] takeXa(Connection c, String xid) throws SQLException {
    byte[] rows = null;
    try (PreparedStatement p = c.prepareStatement("SELECT rows_data FROM " + table("xa_pending")
        + " WHERE job_id = ? AND xid = ? FOR UPDATE")) {
      p.setString(1, jobId);
      p.setString(2, xid);
      try (ResultSet rs = p.executeQuery()) {
        if (rs.next()) {
          rows = rs.getBytes(1);
        }
      }
    }
    if (rows != null) {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table("xa_pending")
          + " WHERE job_id = ? AND xid = ?")) {
        p.setString(1, jobId);
        p.setString(2, xid);
        p.executeUpdate();
      }
    }
    return rows;
  }

  /** Forgets the job's position and history (used by a re-copy; the epoch stays). */
  public void reset(Connection c) throws SQLException {
    try (PreparedStatement a = c.prepareStatement("UPDATE " + table("checkpoint")
        + " SET binlog_file = NULL, binlog_pos = NULL, gtid_set = NULL, binlog_file_created = NULL WHERE job_id = ?");
         PreparedStatement b = c.prepareStatement("DELETE FROM " + table("schema_history") + " WHERE job_id = ?");
         PreparedStatement x = c.prepareStatement("DELETE FROM " + table("xa_pending") + " WHERE job_id = ?")) {
      a.setString(1, jobId);
      a.executeUpdate();
      b.setString(1, jobId);
      b.executeUpdate();
      x.setString(1, jobId);
      x.executeUpdate();
    }
  }

  /** Appends a table definition valid from {@code at} on (null definition: the table was dropped). */
  public void appendSchema(Connection c, BinlogPosition at, String database, String table, TableDef def)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table("schema_history")
        + " (job_id, binlog_file, binlog_pos, table_schema, table_name, definition) VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, jobId);
      ps.setString(2, at.file());
      ps.setLong(3, at.position());
      ps.setString(4, database);
      ps.setString(5, table);
      ps.setString(6, def == null ? null : def.toJson().encode());
      ps.executeUpdate();
    }
  }

  /**
   * The latest definition of every table recorded at or before {@code upTo}, keyed {@code db.table}
   * (a dropped table maps to null).
   */
  public Map<String, TableDef> loadSchemas(Connection c, BinlogPosition upTo) throws SQLException {
    Map<String, TableDef> out = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT binlog_file, binlog_pos, table_schema, table_name, definition"
        + " FROM " + table("schema_history") + " WHERE job_id = ? ORDER BY id")) {
      ps.setString(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          BinlogPosition at = new BinlogPosition(rs.getString(1), rs.getLong(2), "");
          if (!at.isAfter(upTo)) {
            String def = rs.getString(5);
            out.put(rs.getString(3) + "." + rs.getString(4), def == null ? null : TableDef.fromJson(new JsonObject(def)));
          }
        }
      }
    }
    return out;
  }

  /** Adds {@code column} to the checkpoint table unless it has it. */
  private void addColumnIfMissing(Connection c, String column, String definition) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM information_schema.COLUMNS"
        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'checkpoint' AND COLUMN_NAME = ?")) {
      ps.setString(1, schema);
      ps.setString(2, column);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getLong(1) > 0) {
          return;
        }
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute("ALTER TABLE " + table("checkpoint") + " ADD COLUMN " + column + " " + definition);
    }
  }

  private FerryException fenced(long epoch, long stored) {
    return FerryException.fatal("FENCED", "job " + jobId + ": epoch " + epoch + " no longer owns the job"
        + (stored >= 0 ? " (stored epoch " + stored + ")" : "") + "; another runner took it over",
        "Nothing to do if the job was moved on purpose; otherwise make sure only one runner has the job.");
  }

  private String table(String name) {
    return Jdbc.quote(schema, name);
  }
}
