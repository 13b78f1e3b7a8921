package io.ferry.worker.copy;

import io.ferry.worker.apply.Applier;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;

/**
 * Writes a chunk into its destination table inside the applier's open transaction: one batched
 * {@code REPLACE} (sent as multi-row statements), so a chunk that lands on rows the stream already
 * wrote replaces them with the snapshot's state. Strings and blobs go as bytes into a column of the
 * same charset, literal text is parsed by the server, generated columns are left to the server.
 */
final class ChunkWriter {
  private ChunkWriter() {}

  static void write(Connection dest, TablePlan plan, List<byte[][]> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    boolean lenient = hasEnumErrorValue(plan, rows);
    try (PreparedStatement ps = dest.prepareStatement(plan.upsert)) {
      for (byte[][] row : rows) {
        int p = 1;
        for (int i : plan.written) {
          bind(ps, p++, plan.columns.get(i), row[i]);
        }
        ps.addBatch();
      }
      if (lenient) {
        executeLeniently(dest, ps);
      } else {
        ps.executeBatch();
      }
    }
  }

  private static void bind(PreparedStatement ps, int index, CopyColumn c, byte[] value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.NULL);
      return;
    }
    switch (c.kind()) {
      case TEXT, BYTES -> ps.setBytes(index, value);
      case NUMBER -> ps.setBigDecimal(index, new java.math.BigDecimal(new String(value, StandardCharsets.US_ASCII)));
      case JSON -> ps.setString(index, new String(value, StandardCharsets.UTF_8));
      case LITERAL -> ps.setString(index, new String(value, StandardCharsets.US_ASCII));
      default -> throw new IllegalStateException("no binding for " + c.kind());
    }
  }

  /**
   * The ENUM error value (index 0) is what a non-strict session stored for an invalid member; only a
   * non-strict session can write it again.
   */
  private static boolean hasEnumErrorValue(TablePlan plan, List<byte[][]> rows) {
    for (int i : plan.written) {
      if (plan.columns.get(i).isEnum()) {
        for (byte[][] row : rows) {
          if (row[i] != null && row[i].length == 1 && row[i][0] == '0') {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static void executeLeniently(Connection dest, PreparedStatement ps) throws SQLException {
    try (Statement s = dest.createStatement()) {
      s.execute("SET SESSION sql_mode = '" + Applier.LENIENT_SQL_MODE + "'");
      try {
        ps.executeBatch();
      } finally {
        s.execute("SET SESSION sql_mode = '" + Applier.SQL_MODE + "'");
      }
    }
  }
}
