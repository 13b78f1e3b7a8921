package io.ferry.worker.copy;

import io.ferry.worker.config.StartPosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * How the initial copy cuts a keyed table into key ranges that lanes copy at once (see "The initial
 * copy" in docs/ARCHITECTURE.md). A range is the keys after its start bound (from the table's first key
 * when it has none) up to and including its end bound (to the table's last key when it has none); the
 * ranges of a table share their bounds pairwise, so they are disjoint and together hold every key.
 */
final class KeyRanges {
  private KeyRanges() {}

  /** The source's estimate of a table's rows (information_schema), 0 when it has none. */
  static long estimate(Connection source, String db, String table) throws SQLException {
    try (PreparedStatement ps = source.prepareStatement("SELECT TABLE_ROWS FROM information_schema.TABLES"
        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
      ps.setString(1, db);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /**
   * The ranges of a keyed table cut at {@code bounds} (none: one range, the whole table), numbered from
   * {@code ordinal} on, each with its share of the estimate.
   */
  static List<CopyStore.TableProgress> ranges(int ordinal, String db, String table, long estimate,
                                              List<List<String>> bounds) {
    List<CopyStore.TableProgress> out = new ArrayList<>();
    for (int i = 0; i <= bounds.size(); i++) {
      List<String> from = i == 0 ? null : bounds.get(i - 1);
      List<String> to = i == bounds.size() ? null : bounds.get(i);
      out.add(new CopyStore.TableProgress(ordinal + i, db, table, estimate / (bounds.size() + 1), from, to,
          false, 0, false, null));
    }
    return out;
  }

  /**
   * The inner bounds of a table's key ranges (each range ends at one, inclusive), or none. A table is split
   * when every column of its key is of a type whose values travel exactly ({@link TablePlan#splittableKey}:
   * integers, DECIMAL, dates and times, character and binary strings, ENUM, SET, BIT; one column or several)
   * and it has rows for at least four chunks (by the source's estimate): into up to {@code parallel} ranges
   * of about equal rows, two chunks' worth at least.
   *
   * <p>The server walks the key in its own order: each bound is the key {@code step} rows after the one
   * before ({@code WHERE key > previous ORDER BY key LIMIT 1 OFFSET step - 1}, the previous bound passed
   * back as typed parameters exactly as a chunk's range passes its last key, a string under its column's
   * collation and a composite key as {@code (a > ?) OR (a = ? AND b > ?)}). So any distribution of keys
   * splits evenly, the bounds ascend in the server's own comparison (case- and accent-insensitive and PAD
   * SPACE collations included), and nothing is compared in Ferry. A bound is read as the server's bytes in
   * the chunk reader's session settings and encoded as a chunk's last key is ({@link TablePlan#keyOf}:
   * strings and bytes as base64), so the copy's progress records it byte for byte and a resumed copy
   * ranges by exactly the same value.
   */
  static List<List<String>> bounds(Connection source, TablePlan plan, long estimate, StartPosition.Snapshot options)
      throws SQLException {
    if (options.parallel() < 2 || !plan.splittableKey() || estimate < 4L * options.chunkRows()) {
      return List.of();
    }
    int n = (int) Math.min(options.parallel(), estimate / (2L * options.chunkRows()));
    long step = estimate / n;
    List<List<String>> out = new ArrayList<>();
    String[] saved = copySession(source);
    try {
      for (int i = 1; i < n; i++) {
        List<String> bound = plan.keyAfter(source, out.isEmpty() ? null : out.get(out.size() - 1), step - 1);
        if (bound == null) {
          break;
        }
        out.add(bound);
      }
    } finally {
      restoreSession(source, saved);
    }
    return out;
  }

  /**
   * Gives the session the chunk reader's settings (values as the server's own bytes, times in UTC); returns
   * the session's own, for {@link #restoreSession}.
   */
  private static String[] copySession(Connection c) throws SQLException {
    String[] saved = new String[2];
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT @@session.time_zone, @@session.character_set_results")) {
        rs.next();
        saved[0] = rs.getString(1);
        saved[1] = rs.getString(2);
      }
      s.execute("SET SESSION time_zone = '+00:00', character_set_results = binary");
    }
    return saved;
  }

  private static void restoreSession(Connection c, String[] saved) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET SESSION time_zone = " + literal(saved[0]) + ", character_set_results = " + literal(saved[1]));
    }
  }

  private static String literal(String value) {
    return value == null ? "NULL" : "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }
}
