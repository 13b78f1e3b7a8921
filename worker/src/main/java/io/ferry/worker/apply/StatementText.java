package io.ferry.worker.apply;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Writes the applier's statements as text and hands each one to the {@link StatementPipe}: multi-row
 * upserts ({@code REPLACE … VALUES (…), (…)}) and updates of changed columns ({@code UPDATE … JOIN} of a
 * derived table of rows). A statement is shipped once its text reaches {@link #statementChars}; a row
 * whose text alone is longer than {@link #rowChars} is refused and left to the caller (it goes as a
 * parameter, whose bytes need no hex). Owned by the applier thread.
 */
final class StatementText {
  /** At most the characters of one number's literal and its separator in a positional update (DECIMAL(65,30): 67). */
  private static final int POSITIONAL_CHARS = 72;
  private final StatementPipe pipe;
  /** Whether the destination reads the update's rows as a table value constructor (MariaDB 10.3.3 and later). */
  private final boolean tableValues;
  private final int statementChars;
  private final int rowChars;
  /** The upsert statement being written (rows of {@link #upsertWriter}'s table), or null. */
  private StringBuilder upserts;
  private TableWriter upsertWriter;
  /** How long the last statement's text grew: the next one starts that big (no doubling copies on the way). */
  private int lastStatementChars;

  /** @param maxAllowedPacket the destination's {@code max_allowed_packet}, which bounds a statement */
  StatementText(StatementPipe pipe, long maxAllowedPacket, boolean tableValues) {
    this.pipe = pipe;
    this.tableValues = tableValues;
    // A UTF-16 unit of text is at most 3 bytes of UTF-8 on the wire.
    this.rowChars = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(1024, maxAllowedPacket / 3 - 1024));
    this.statementChars = Math.min(4 << 20, rowChars);
  }

  /**
   * Appends an upsert's row to the statement being written (first shipping one of another table, or a full
   * one); false, with nothing appended, when the row's text alone is too long for a statement.
   */
  boolean appendUpsert(ChangeBuffer.Step s) {
    TableWriter writer = s.writer();
    if (writer != upsertWriter) {
      shipUpserts();
      upsertWriter = writer;
    }
    if (upserts == null) {
      upserts = newText();
    }
    int before = upserts.length();
    upserts.append(before == 0 ? writer.upsertPrefix() : ",");
    int start = upserts.length();
    writer.appendUpsertRow(upserts, s.row(), s.index());
    if (upserts.length() - start > rowChars) {
      upserts.setLength(before);
      return false;
    }
    if (upserts.length() >= statementChars) {
      shipUpserts();
    }
    return true;
  }

  /** Hands the upsert text written so far to the pipe. */
  void shipUpserts() {
    if (upserts != null && upserts.length() > 0) {
      lastStatementChars = upserts.length();
      pipe.send(upserts.toString(), upsertWriter);
    }
    upserts = null; // a new builder per statement: a job keeps no large buffer while idle
  }

  /**
   * Sends updates of changed columns of one table as {@code UPDATE … JOIN}s of at most a statement's size,
   * each setting the union of the columns its rows changed (a row's unchanged columns are set to the value
   * they hold). A statement whose integer keys fill most of their range names that range (see
   * {@link UpdateStatements#updateText}); numbers whose keys are every key of their range are set by position
   * ({@link UpdateStatements#positionalUpdate}). Adds to {@code whole} the rows whose values alone are too long for
   * a statement.
   */
  void sendUpdates(TableWriter writer, List<ChangeBuffer.Step> steps, List<ChangeBuffer.Step> whole) {
    shipUpserts();
    BitSet columns = new BitSet();
    for (ChangeBuffer.Step s : steps) {
      columns.or(s.changed());
    }
    UpdateStatements updates = writer.updates;
    UpdateStatements.UpdateText around = updates.updateText(columns);
    boolean ranged = tableValues && around.rangeHead() != null;
    Long[] keys = new Long[ranged ? steps.size() : 0]; // each row's key, read once (null: no range)
    KeySpan all = new KeySpan(ranged);
    for (int i = 0; i < keys.length; i++) {
      keys[i] = updates.integerKey(steps.get(i).row(), steps.get(i).index());
      all.add(keys[i]);
    }
    if (all.contiguous(steps.size()) && updates.setsNumbersOnly(columns)
        && sendByPosition(writer, steps, keys, all.lo, columns)) {
      return;
    }
    StringBuilder sql = null;
    List<ChangeBuffer.Step> rows = new ArrayList<>();
    KeySpan span = new KeySpan(ranged);
    for (int i = 0; i < steps.size(); i++) {
      ChangeBuffer.Step s = steps.get(i);
      if (sql == null) {
        sql = newText().append(around.head());
      }
      int before = sql.length();
      updates.appendUpdateRow(sql, rows.size(), tableValues, s.row(), s.index(), columns);
      if (sql.length() - before > rowChars) {
        sql.setLength(before);
        whole.add(s);
        continue;
      }
      rows.add(s);
      if (ranged) {
        span.add(keys[i]);
      }
      if (sql.length() >= statementChars) {
        shipUpdate(sql, around, span, writer, rows);
        sql = null;
        rows = new ArrayList<>();
        span = new KeySpan(ranged);
      }
    }
    if (!rows.isEmpty()) {
      shipUpdate(sql, around, span, writer, rows);
    }
  }

  /**
   * Sends updates of numbers whose {@code keys} are every key from {@code lo} on as
   * {@link UpdateStatements#positionalUpdate}s, in key order, as many rows per statement as surely fit one; false,
   * sending nothing, when a key comes twice (never: the buffer keeps one change per key).
   */
  private boolean sendByPosition(TableWriter writer, List<ChangeBuffer.Step> steps, Long[] keys, long lo,
                                 BitSet columns) {
    ChangeBuffer.Step[] byKey = new ChangeBuffer.Step[keys.length];
    for (int i = 0; i < keys.length; i++) {
      int at = (int) (keys[i] - lo);
      if (byKey[at] != null) {
        return false;
      }
      byKey[at] = steps.get(i);
    }
    int perStatement = Math.max(1, statementChars / (POSITIONAL_CHARS * columns.cardinality()));
    for (int from = 0; from < byKey.length; from += perStatement) {
      List<ChangeBuffer.Step> rows = Arrays.asList(byKey).subList(from, Math.min(byKey.length, from + perStatement));
      pipe.send(writer.updates.positionalUpdate(columns, rows, lo + from), writer, rows);
    }
    return true;
  }

  private void shipUpdate(StringBuilder sql, UpdateStatements.UpdateText around, KeySpan span, TableWriter writer,
                          List<ChangeBuffer.Step> rows) {
    if (span.dense(rows.size())) {
      sql.replace(0, around.head().length(), around.rangeHead()).append(around.rangeTail(span.lo, span.hi));
    } else {
      sql.append(around.tail());
    }
    lastStatementChars = sql.length();
    pipe.send(sql.toString(), writer, rows);
  }

  /**
   * The lowest and highest integer key of an update statement's rows. Only MariaDB's form of the statement is
   * measured (the table value constructor); MySQL's keeps the plain join.
   */
  static final class KeySpan {
    private boolean usable;
    private long lo = Long.MAX_VALUE;
    private long hi = Long.MIN_VALUE;

    KeySpan(boolean usable) {
      this.usable = usable;
    }

    void add(Long key) {
      if (key == null) {
        usable = false;
      } else if (usable) {
        lo = Math.min(lo, key);
        hi = Math.max(hi, key);
      }
    }

    /** Whether {@code rows} distinct keys are every key from the lowest to the highest. */
    boolean contiguous(int rows) {
      return usable && rows > 0 && hi - lo == rows - 1;
    }

    /**
     * Whether {@code rows} distinct keys fill at least about eight ninths of the range from the lowest to the highest
     * (the rest are keys the statement does not change, which the server reads and passes by).
     */
    boolean dense(int rows) {
      long gap = hi - lo; // negative when it overflows (or when no key was added)
      return usable && rows > 0 && gap >= 0 && gap < rows + rows / 8;
    }
  }

  /** A builder for a statement's text, as long as the last statement grew (no doubling copies on the way). */
  private StringBuilder newText() {
    return new StringBuilder(Math.min(statementChars, Math.max(1 << 16, lastStatementChars + lastStatementChars / 8)));
  }

  /** Forgets the statement being written (before a rollback). */
  void clear() {
    upserts = null;
    upsertWriter = null;
  }
}
