package io.ferry.worker.copy;

import io.ferry.worker.config.StartPosition;
import io.ferry.worker.jdbc.Jdbc;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
                                              List<String> bounds) {
    List<CopyStore.TableProgress> out = new ArrayList<>();
    for (int i = 0; i <= bounds.size(); i++) {
      List<String> from = i == 0 ? null : List.of(bounds.get(i - 1));
      List<String> to = i == bounds.size() ? null : List.of(bounds.get(i));
      out.add(new CopyStore.TableProgress(ordinal + i, db, table, estimate / (bounds.size() + 1), from, to,
          false, 0, false, null));
    }
    return out;
  }

  /**
   * The inner bounds of a table's key ranges (each range ends at one, inclusive), or none: only a table
   * with a one-column integer key and rows for at least four chunks (by the source's estimate) is split,
   * into up to {@code parallel} ranges of about equal rows, two chunks' worth at least. The bounds are
   * keys read by walking the key in steps, so any distribution of keys splits evenly.
   */
  static List<String> bounds(Connection source, TablePlan plan, long estimate, StartPosition.Snapshot options)
      throws SQLException {
    if (options.parallel() < 2 || !plan.integerKey() || estimate < 4L * options.chunkRows()) {
      return List.of();
    }
    int n = (int) Math.min(options.parallel(), estimate / (2L * options.chunkRows()));
    long step = estimate / n;
    String k = Jdbc.quote(plan.keyColumns().get(0).name());
    String first = "SELECT " + k + " FROM " + plan.qualified(false) + " ORDER BY " + k + " LIMIT 1 OFFSET ?";
    String next = "SELECT " + k + " FROM " + plan.qualified(false) + " WHERE " + k + " > ? ORDER BY " + k
        + " LIMIT 1 OFFSET ?";
    List<String> out = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      try (PreparedStatement ps = source.prepareStatement(out.isEmpty() ? first : next)) {
        if (out.isEmpty()) {
          ps.setLong(1, step - 1);
        } else {
          ps.setBigDecimal(1, new BigDecimal(out.get(out.size() - 1)));
          ps.setLong(2, step - 1);
        }
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            break;
          }
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}
