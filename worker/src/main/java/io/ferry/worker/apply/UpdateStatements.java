package io.ferry.worker.apply;

import io.ferry.worker.binlog.decode.Unsigned;
import java.io.Serializable;
import java.util.BitSet;
import java.util.List;

/**
 * The statements of one destination table's updates of changed columns ({@link TableWriter.Op#UPDATE}), as text:
 * the join of a derived table of rows, its ranged form, and the positional form for numbers of consecutive keys.
 * {@link StatementText} picks the form per statement. Built by {@link TableWriter}, whose column arrays it reads.
 */
final class UpdateStatements {
  private static final int NEWDECIMAL = 246;

  private final String destName;
  private final int[] source;          // binlog column ordinal of each written column
  private final int[] types;           // binlog type code per binlog ordinal
  private final boolean[] unsigned;    // per binlog ordinal
  private final int[] key;             // indexes into source[] of the identity columns
  private final String[] quotedNames;  // per index into source[]
  /** The identity is one column of an integer type on both servers: an update may name its rows' key range. */
  private final boolean integerKey;

  UpdateStatements(String destName, int[] source, int[] types, boolean[] unsigned, int[] key, String[] quotedNames,
                   boolean integerKey) {
    this.destName = destName;
    this.source = source;
    this.types = types;
    this.unsigned = unsigned;
    this.key = key;
    this.quotedNames = quotedNames;
    this.integerKey = integerKey;
  }

  /**
   * The text around the rows of an update of {@code columns} (indexes into the written columns):
   * {@code UPDATE t AS ferry_t JOIN (} rows {@code ) AS ferry_v ON} key match {@code SET} columns. The rows
   * form a derived table of the key and the new values per row ({@link #appendUpdateRow}).
   *
   * <p>When the identity is one integer column ({@code rangeHead} not null) and a statement's keys fill most of
   * the range between its lowest and highest ({@link StatementText} decides), the statement may instead start
   * with {@code rangeHead} ({@code UPDATE t AS ferry_t STRAIGHT_JOIN (}) and end with {@link UpdateText#rangeTail}
   * ({@code … WHERE key BETWEEN lo AND hi}): the server then walks that key range of the destination table once
   * and updates each row as it meets it, looking its new values up in the derived table. The plain join reads the
   * derived table first, finds each row by its key, keeps what it found aside, and only then finds each row again
   * to update it; for a 500,000-row update of consecutive keys the range form took about a tenth less of the
   * destination's CPU (see docs/PERFORMANCE.md). Rows of the range that the derived table lacks are read and left
   * alone; both forms change and count the same rows.
   */
  record UpdateText(String head, String tail, String rangeHead, String keyName) {
    /** The end of a statement of {@code rangeHead}: the join, the columns set, and the range of keys. */
    String rangeTail(long lo, long hi) {
      return tail + " WHERE ferry_t." + keyName + " BETWEEN " + lo + " AND " + hi;
    }
  }

  UpdateText updateText(BitSet columns) {
    StringBuilder on = new StringBuilder();
    for (int k : key) {
      on.append(on.length() == 0 ? "" : " AND ").append("ferry_t.").append(quotedNames[k]).append(" = ferry_v.ferry_").append(k);
    }
    StringBuilder set = new StringBuilder();
    for (int i = columns.nextSetBit(0); i >= 0; i = columns.nextSetBit(i + 1)) {
      set.append(set.length() == 0 ? "" : ", ").append("ferry_t.").append(quotedNames[i]).append(" = ferry_v.ferry_").append(i);
    }
    String update = "UPDATE " + destName + " AS ferry_t ";
    return new UpdateText(update + "JOIN (", ") AS ferry_v ON " + on + " SET " + set,
        integerKey ? update + "STRAIGHT_JOIN (" : null, integerKey ? quotedNames[key[0]] : null);
  }

  /**
   * The key of a row as a number, for {@link UpdateText#rangeTail}: null unless the identity is one integer
   * column on both servers (or for an unsigned BIGINT of 2^63 or more).
   */
  Long integerKey(Serializable[] row, int[] index) {
    if (!integerKey) {
      return null;
    }
    int ordinal = source[key[0]];
    Object value = row[index[ordinal]];
    if (value == null) {
      return null;
    }
    Number n = unsigned[ordinal] ? Unsigned.of(value, types[ordinal]) : (Number) value;
    return n instanceof Long || n instanceof Integer ? n.longValue() : null;
  }

  /**
   * Whether an update of {@code columns} may name its rows by position ({@link #positionalUpdate}): the identity is
   * one integer column and every column set is an integer or a DECIMAL, whose text the server reads back exactly.
   */
  boolean setsNumbersOnly(BitSet columns) {
    if (!integerKey) {
      return false;
    }
    for (int i = columns.nextSetBit(0); i >= 0; i = columns.nextSetBit(i + 1)) {
      int type = types[source[i]];
      if (!ValueBinder.isInteger(type) && type != NEWDECIMAL) {
        return false;
      }
    }
    return true;
  }

  /**
   * An update of {@code columns} for the changes of the keys {@code lo} to {@code lo + rows.size() - 1}, in that
   * order: {@code UPDATE t SET c = ELT(key - lo + 1, v1, v2, …), … WHERE key BETWEEN lo AND hi}. No derived
   * table: the server walks the key range and picks each row's value by its position (ELT evaluates only the
   * argument it returns; its text is read back as the column's number). About a tenth less of the destination's
   * CPU than {@link UpdateText#rangeHead}'s join on a 500,000-row update of consecutive keys (docs/PERFORMANCE.md).
   * For {@link #setsNumbersOnly} columns only; it changes and counts the same rows as the join.
   */
  String positionalUpdate(BitSet columns, List<ChangeBuffer.Step> rows, long lo) {
    String keyName = quotedNames[key[0]];
    StringBuilder sql = new StringBuilder(64 + rows.size() * 12 * columns.cardinality());
    sql.append("UPDATE ").append(destName).append(" SET ");
    boolean firstColumn = true;
    for (int i = columns.nextSetBit(0); i >= 0; i = columns.nextSetBit(i + 1)) {
      sql.append(firstColumn ? "" : ", ").append(quotedNames[i]).append(" = ELT(").append(keyName).append(" - ")
          .append(lo).append(" + 1");
      firstColumn = false;
      int ordinal = source[i];
      for (int r = 0; r < rows.size(); r++) {
        sql.append(", ");
        ChangeBuffer.Step row = rows.get(r);
        ValueBinder.appendLiteral(sql, row.row()[row.index()[ordinal]], types[ordinal], unsigned[ordinal]);
      }
      sql.append(')');
    }
    return sql.append(" WHERE ").append(keyName).append(" BETWEEN ").append(lo).append(" AND ")
        .append(lo + rows.size() - 1).toString();
  }

  /**
   * Appends row {@code n} (from 0) of an {@link TableWriter.Op#UPDATE}'s derived table: the key's values and those of
   * {@code columns}. The first row is a {@code SELECT} that names them {@code ferry_<i>}; the others follow
   * as a table value constructor ({@code UNION ALL VALUES (…), (…)}) when {@code tableValues}, else each as
   * {@code UNION ALL SELECT …}. Both read alike; the server sets up one {@code SELECT} per row of the
   * second form, which costs it more (see docs/PERFORMANCE.md), but only MariaDB 10.3 and later read the first.
   */
  void appendUpdateRow(StringBuilder sql, int n, boolean tableValues, Serializable[] row, int[] index, BitSet columns) {
    boolean first = n == 0;
    if (first) {
      sql.append("SELECT ");
    } else if (!tableValues) {
      sql.append(" UNION ALL SELECT ");
    } else {
      sql.append(n == 1 ? " UNION ALL VALUES (" : ", (");
    }
    boolean comma = false;
    for (int k : key) {
      comma = appendUpdateValue(sql, comma, first, row, index, k);
    }
    for (int i = columns.nextSetBit(0); i >= 0; i = columns.nextSetBit(i + 1)) {
      comma = appendUpdateValue(sql, comma, first, row, index, i);
    }
    if (!first && tableValues) {
      sql.append(')');
    }
  }

  private boolean appendUpdateValue(StringBuilder sql, boolean comma, boolean first, Serializable[] row, int[] index,
                                    int i) {
    if (comma) {
      sql.append(", ");
    }
    int ordinal = source[i];
    ValueBinder.appendLiteral(sql, row[index[ordinal]], types[ordinal], unsigned[ordinal]);
    if (first) {
      sql.append(" AS ferry_").append(i);
    }
    return true;
  }
}
