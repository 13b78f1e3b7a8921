package io.ferry.worker.copy;

import io.ferry.worker.jdbc.Jdbc;
import io.ferry.worker.jdbc.SourceQueries;
import io.ferry.worker.position.BinlogPosition;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one chunk of a table in a consistent snapshot and says at which binlog position that snapshot
 * stands, without holding a lock beyond a moment.
 *
 * <ul>
 *   <li>{@link Method#SNAPSHOT_STATUS} (MariaDB): {@code START TRANSACTION WITH CONSISTENT SNAPSHOT}, then
 *       the status variables {@code binlog_snapshot_file/position}, which MariaDB keeps exactly in step
 *       with the snapshot. No lock at all.
 *   <li>{@link Method#LOCK_TABLES} (MySQL, which has no such variables): a second session takes
 *       {@code LOCK TABLES t READ} (which waits for the table's running writers to finish), the snapshot
 *       starts, the position is read, and the lock is released at once. Writers of that one table wait
 *       for a moment; a lock not granted within a second is given up and tried again later.
 * </ul>
 *
 * <p>The copy session reads values as the server's own bytes ({@code character_set_results=binary}) and
 * runs at {@code time_zone='+00:00'}, the applier's zone. Rows stream from the server, and a chunk stops
 * at its row limit or its byte budget, whichever comes first. Owned by one copy lane.
 */
final class ChunkReader implements AutoCloseable {
  /** How the snapshot's binlog position is found. */
  enum Method { SNAPSHOT_STATUS, LOCK_TABLES }

  /** A chunk: rows as read (column values, then the numeric key values), and where the snapshot stood. */
  record Chunk(BinlogPosition at, List<byte[][]> rows, List<String> lastKey, long bytes, boolean endOfTable) {}

  private final Connection data;
  private final Connection control;
  private Method method;

  /**
   * @param data the copy's own source session (taken over: closed by {@link #close})
   * @param control another source session, used for LOCK TABLES and the binlog position (closed by
   *     {@link #close} too)
   * @param method how to find the snapshot's position, or null to pick by what the server offers
   */
  ChunkReader(Connection data, Connection control, Method method) throws SQLException {
    this.data = data;
    this.control = control;
    try (Statement s = data.createStatement()) {
      s.execute("SET SESSION time_zone = '+00:00', character_set_results = binary");
      s.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    }
    data.setAutoCommit(true);
    this.method = method;
  }

  /** Takes the rows of a table read whole, a batch at a time, inside the read's destination transaction. */
  interface Batches {
    void accept(List<byte[][]> rows) throws SQLException;
  }

  /** A whole-table read: the snapshot's position, and the rows read (-1: none, the snapshot was behind). */
  record Whole(BinlogPosition at, long rows) {}

  /**
   * Reads up to {@code maxRows} rows (or {@code maxBytes} of row data) after {@code lastKey} and up to
   * and including {@code end} (null: to the end), or null when a lock for {@link Method#LOCK_TABLES} was
   * not granted in time.
   */
  Chunk read(TablePlan plan, List<String> lastKey, List<String> end, int maxRows, long maxBytes) throws SQLException {
    BinlogPosition at = begin(plan);
    if (at == null) {
      return null;
    }
    try {
      List<byte[][]> rows = new ArrayList<>();
      long bytes = 0;
      boolean cut = false;
      try (PreparedStatement ps = plan.prepare(data, lastKey, end, maxRows)) {
        ps.setFetchSize(Integer.MIN_VALUE); // stream: memory stays within the byte budget
        try (ResultSet rs = ps.executeQuery()) {
          int width = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            byte[][] row = row(rs, width);
            bytes += size(row);
            rows.add(row);
            if (bytes >= maxBytes && rows.size() < maxRows) {
              cut = true; // closing the result skips the rest of it (at most maxRows) without keeping it
              break;
            }
          }
        }
      }
      List<String> last = rows.isEmpty() ? lastKey : plan.keyOf(rows.get(rows.size() - 1));
      return new Chunk(at, rows, last, bytes, !cut && rows.size() < maxRows);
    } finally {
      try (Statement s = data.createStatement()) {
        s.execute("COMMIT");
      }
    }
  }

  /** The current row's columns as the server sent them (text protocol bytes; null for NULL). */
  private static byte[][] row(ResultSet rs, int width) throws SQLException {
    byte[][] row = new byte[width][];
    for (int i = 0; i < width; i++) {
      row[i] = rs.getBytes(i + 1);
    }
    return row;
  }

  /** What a row counts against a chunk's byte budget: its values and a little per column. */
  private static long size(byte[][] row) {
    long bytes = 0;
    for (byte[] v : row) {
      bytes += v == null ? 1 : v.length + 8;
    }
    return bytes;
  }

  /**
   * Reads a whole table in one consistent snapshot and hands its rows to {@code out} in batches of about
   * {@code maxBytes}; only one batch is held at a time. Reads nothing when the snapshot stands before
   * {@code notBefore} (the caller tries again). Null when a lock for {@link Method#LOCK_TABLES} was not
   * granted in time.
   */
  Whole readWhole(TablePlan plan, BinlogPosition notBefore, long maxBytes, Batches out) throws SQLException {
    BinlogPosition at = begin(plan);
    if (at == null) {
      return null;
    }
    try {
      if (!notBefore.file().isEmpty() && at.compareTo(notBefore) < 0) {
        return new Whole(at, -1);
      }
      long total = 0;
      try (PreparedStatement ps = plan.prepareWhole(data)) {
        ps.setFetchSize(Integer.MIN_VALUE);
        try (ResultSet rs = ps.executeQuery()) {
          int width = rs.getMetaData().getColumnCount();
          List<byte[][]> rows = new ArrayList<>();
          long bytes = 0;
          while (rs.next()) {
            byte[][] row = row(rs, width);
            bytes += size(row);
            rows.add(row);
            if (bytes >= maxBytes) {
              out.accept(rows);
              total += rows.size();
              rows = new ArrayList<>();
              bytes = 0;
            }
          }
          out.accept(rows);
          total += rows.size();
        }
      }
      return new Whole(at, total);
    } finally {
      try (Statement s = data.createStatement()) {
        s.execute("COMMIT");
      }
    }
  }

  /** The other source session (reads the table's definition around a chunk). */
  Connection control() {
    return control;
  }

  private BinlogPosition begin(TablePlan plan) throws SQLException {
    if (method == null) {
      method = snapshotStatusWorks() ? Method.SNAPSHOT_STATUS : Method.LOCK_TABLES;
    }
    if (method == Method.SNAPSHOT_STATUS) {
      startSnapshot();
      return snapshotStatus();
    }
    try (Statement s = control.createStatement()) {
      s.execute("SET SESSION lock_wait_timeout = 1");
      try {
        s.execute("LOCK TABLES " + Jdbc.quote(plan.database, plan.table) + " READ");
      } catch (SQLException e) {
        if (e.getErrorCode() == 1205) { // lock wait timeout: a long writer holds the table; try later
          return null;
        }
        throw e;
      }
      try {
        startSnapshot();
        return SourceQueries.currentPosition(control);
      } finally {
        s.execute("UNLOCK TABLES");
      }
    }
  }

  private void startSnapshot() throws SQLException {
    try (Statement s = data.createStatement()) {
      s.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
    }
  }

  /** MariaDB's position of the open snapshot, or null when the server has none. */
  private BinlogPosition snapshotStatus() throws SQLException {
    String file = null;
    long position = -1;
    try (Statement s = data.createStatement();
         ResultSet rs = s.executeQuery("SHOW STATUS LIKE 'binlog_snapshot_%'")) {
      while (rs.next()) {
        String name = new String(rs.getBytes(1), StandardCharsets.US_ASCII);
        String value = rs.getBytes(2) == null ? "" : new String(rs.getBytes(2), StandardCharsets.US_ASCII);
        if (name.equalsIgnoreCase("binlog_snapshot_file")) {
          file = value;
        } else if (name.equalsIgnoreCase("binlog_snapshot_position") && !value.isEmpty()) {
          position = Long.parseLong(value);
        }
      }
    }
    return file == null || file.isEmpty() || position < 0 ? null : new BinlogPosition(file, position, "");
  }

  private boolean snapshotStatusWorks() throws SQLException {
    startSnapshot();
    try {
      return snapshotStatus() != null;
    } finally {
      try (Statement s = data.createStatement()) {
        s.execute("COMMIT");
      }
    }
  }

  Method method() {
    return method;
  }

  @Override
  public void close() {
    for (Connection c : new Connection[] {data, control}) {
      try {
        c.close();
      } catch (SQLException e) {
        // the session is gone either way
      }
    }
  }
}
