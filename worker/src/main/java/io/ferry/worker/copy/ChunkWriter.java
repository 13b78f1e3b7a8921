package io.ferry.worker.copy;

import io.ferry.worker.apply.Applier;
import io.ferry.worker.jdbc.Jdbc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a chunk into its destination table inside its lane's open transaction, so a chunk that lands
 * on rows the stream already wrote replaces them with the snapshot's state.
 *
 * <p>The fast way is {@code LOAD DATA LOCAL INFILE ... REPLACE} from a file in the destination
 * connection's own private directory, the only place its driver may send files from (see
 * {@link io.ferry.worker.jdbc.LocalFiles}): the rows travel as tab-separated raw bytes ({@code CHARACTER SET binary}, so strings land
 * unconverted in a column of the same charset), and the server parses them without SQL. A server that
 * refuses LOCAL INFILE (MySQL 8's default {@code local_infile=OFF}) gets one batched {@code REPLACE}
 * instead (multi-row statements), for the rest of the copy.
 */
final class ChunkWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkWriter.class);
  /** "The used command is not allowed" / "Loading local data is disabled": LOCAL INFILE is off. */
  private static final List<Integer> LOCAL_INFILE_OFF = List.of(1148, 3948, 4166);

  private final Path localFiles;
  private final String fileName;
  private boolean loadData = true;

  /** @param fileName the name of this writer's LOAD DATA file in {@code localFiles} (one per lane) */
  ChunkWriter(Path localFiles, String fileName) {
    this.localFiles = localFiles;
    this.fileName = fileName;
  }

  void write(Connection dest, TablePlan plan, List<byte[][]> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    boolean lenient = hasEnumErrorValue(plan, rows);
    try (Statement s = dest.createStatement()) {
      if (lenient) {
        s.execute("SET SESSION sql_mode = '" + Applier.LENIENT_SQL_MODE + "'");
      }
      try {
        if (loadData) {
          try {
            load(s, plan, rows);
            return;
          } catch (SQLException e) {
            if (!LOCAL_INFILE_OFF.contains(e.getErrorCode())) {
              throw e;
            }
            loadData = false;
            LOG.info("destination refuses LOAD DATA LOCAL INFILE ({}); the copy writes with batched REPLACE",
                e.getMessage());
          }
        }
        replace(dest, plan, rows);
      } finally {
        if (lenient) {
          s.execute("SET SESSION sql_mode = '" + Applier.SQL_MODE + "'");
        }
      }
    }
  }

  private void load(Statement s, TablePlan plan, List<byte[][]> rows) throws SQLException {
    Tsv out = new Tsv(rows.size() * 128);
    for (byte[][] row : rows) {
      for (int w = 0; w < plan.written.length; w++) {
        if (w > 0) {
          out.put((byte) '\t');
        }
        out.field(row[plan.written[w]]);
      }
      out.put((byte) '\n');
    }
    List<String> targets = new ArrayList<>();
    List<String> sets = new ArrayList<>();
    for (int i : plan.written) {
      CopyColumn c = plan.columns.get(i);
      String quoted = Jdbc.quote(c.name());
      if (c.kind() == CopyColumn.Kind.NUMBER || c.kind() == CopyColumn.Kind.JSON) {
        String variable = "@c" + targets.size();
        targets.add(variable);
        // ENUM, SET and BIT take numbers (index, bitmask, bits), JSON takes text, not binary bytes
        sets.add(quoted + " = " + (c.kind() == CopyColumn.Kind.NUMBER ? "CAST(" + variable + " AS UNSIGNED)"
            : "CONVERT(" + variable + " USING utf8mb4)"));
      } else {
        targets.add(quoted);
      }
    }
    Path file = localFiles.resolve(fileName);
    try {
      out.writeTo(file);
    } catch (IOException e) {
      throw new SQLException("cannot write " + file + ": " + e.getMessage(), e);
    }
    try {
      s.execute("LOAD DATA LOCAL INFILE '" + file.toString().replace("\\", "\\\\").replace("'", "''")
          + "' REPLACE INTO TABLE " + Jdbc.quote(plan.destDatabase, plan.table)
          + " CHARACTER SET binary FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ("
          + String.join(", ", targets) + ")" + (sets.isEmpty() ? "" : " SET " + String.join(", ", sets)));
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LOG.debug("cannot delete {}: {}", file, e.toString());
      }
    }
    if (s.getWarnings() != null && !s.getWarnings().getMessage().isEmpty()) {
      LOG.debug("LOAD DATA into {}.{}: {}", plan.destDatabase, plan.table, s.getWarnings().getMessage());
    }
  }

  /**
   * LOAD DATA's default format in a growing byte array: fields copied in runs, only NUL, tab, newline,
   * CR and backslash escaped, NULL as \\N. (A ByteArrayOutputStream byte by byte takes a lock per byte.)
   */
  static final class Tsv {
    private byte[] buf;
    private int size;

    Tsv(int capacity) {
      buf = new byte[Math.max(capacity, 64)];
    }

    void put(byte b) {
      if (size == buf.length) {
        grow(1);
      }
      buf[size++] = b;
    }

    /** One field: NULL as \\N, the special bytes escaped. */
    void field(byte[] value) {
      if (value == null) {
        put((byte) '\\');
        put((byte) 'N');
        return;
      }
      if (buf.length - size < value.length + 16) {
        grow(value.length + 16);
      }
      int run = 0;
      for (int i = 0; i < value.length; i++) {
        byte b = value[i];
        byte escaped = switch (b) {
          case 0 -> (byte) '0';
          case '\t' -> (byte) 't';
          case '\n' -> (byte) 'n';
          case '\r' -> (byte) 'r';
          case '\\' -> (byte) '\\';
          default -> -1;
        };
        if (escaped != -1) {
          copy(value, run, i - run);
          put((byte) '\\');
          put(escaped);
          run = i + 1;
        }
      }
      copy(value, run, value.length - run);
    }

    private void copy(byte[] value, int from, int length) {
      if (length == 0) {
        return;
      }
      if (buf.length - size < length) {
        grow(length);
      }
      System.arraycopy(value, from, buf, size, length);
      size += length;
    }

    private void grow(int atLeast) {
      buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + atLeast));
    }

    byte[] bytes() {
      return java.util.Arrays.copyOf(buf, size);
    }

    void writeTo(Path file) throws IOException {
      try (var out = Files.newOutputStream(file)) {
        out.write(buf, 0, size);
      }
    }
  }

  private static void replace(Connection dest, TablePlan plan, List<byte[][]> rows) throws SQLException {
    try (PreparedStatement ps = dest.prepareStatement(plan.upsert)) {
      for (byte[][] row : rows) {
        int p = 1;
        for (int i : plan.written) {
          bind(ps, p++, plan.columns.get(i), row[i]);
        }
        ps.addBatch();
      }
      ps.executeBatch();
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
}
