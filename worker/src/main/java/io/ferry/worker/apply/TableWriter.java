package io.ferry.worker.apply;

import io.ferry.worker.binlog.ChangeEvent;
import io.ferry.worker.binlog.decode.JsonText;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.jdbc.Jdbc;
import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Writes the rows of one source table into its destination table. Built for one table-map shape by
 * {@link TableResolver}; columns are matched by name, generated columns are never written.
 *
 * <p>With a row identity (primary key, else a NOT NULL unique key) every change becomes an idempotent
 * full-row {@code REPLACE} or a delete by key, so replaying from an older position is harmless. An update
 * that keeps the key and changes no column of any unique key writes only the columns it changed, as one
 * {@code UPDATE … JOIN} per batch of rows (see {@link UpdateStatements}); replaying it is harmless too. Without
 * one, changes match on the whole before-image, one row at a time ({@code LIMIT 1}); see the README.
 * Owned by the applier thread.
 */
final class TableWriter {
  private static final int ENUM = 247;
  /** A value longer than this (in bytes, or a quarter of it in characters) makes an update write its row whole. */
  private static final int LONG_VALUE_BYTES = 16_384;

  /**
   * The statement kinds; consecutive changes of one kind on one table share a statement. {@code UPDATE}
   * sets the columns an update changed on the row with its key; a row the destination lacks is then
   * written whole, as {@code UPSERT} would have (the statement's count of rows found says so).
   */
  enum Op { UPSERT, DELETE, UPDATE_BY_IMAGE, UPDATE }

  final String sourceName;
  final String destName;
  private final int[] source;          // binlog column ordinal of each written column
  private final int[] types;           // binlog type code per binlog ordinal
  private final boolean[] unsigned;    // per binlog ordinal
  private final int[] key;             // indexes into source[] of the identity columns; empty = keyless
  private final boolean[] uniqueKeyed; // per index into source[]: the column is part of a unique key
  /** Every update is written whole: a unique key covers a column Ferry does not write, which any column may move. */
  private final boolean updatesWhole;
  private final String[] quotedNames;  // per index into source[]
  /** The text of this table's updates of changed columns ({@link Op#UPDATE}). */
  final UpdateStatements updates;
  private final String upsertSql;
  private final String upsertPrefix;
  private final String deleteSql;
  private final String updateSql;
  private final int columnCount;
  private final boolean hasEnum;

  TableWriter(String sourceName, String destDb, String destTable, int columnCount, int[] source, String[] names,
              int[] types, boolean[] unsigned, int[] key, boolean[] uniqueKeyed, boolean updatesWhole,
              boolean integerKey) {
    this.sourceName = sourceName;
    this.destName = Jdbc.quote(destDb, destTable);
    this.columnCount = columnCount;
    this.source = source;
    this.types = types;
    this.unsigned = unsigned;
    this.key = key;
    this.uniqueKeyed = uniqueKeyed;
    this.updatesWhole = updatesWhole;
    this.quotedNames = Arrays.stream(names).map(Jdbc::quote).toArray(String[]::new);
    this.updates = new UpdateStatements(destName, source, types, unsigned, key, quotedNames,
        integerKey && key.length == 1 && ValueBinder.isInteger(types[source[key[0]]]));
    this.hasEnum = java.util.Arrays.stream(source).anyMatch(o -> types[o] == ENUM);
    String cols = String.join(", ", quotedNames);
    String params = String.join(", ", java.util.Collections.nCopies(names.length, "?"));
    this.upsertPrefix = (key.length > 0 ? "REPLACE" : "INSERT") + " INTO " + destName + " (" + cols + ") VALUES ";
    this.upsertSql = upsertPrefix + "(" + params + ")";
    if (key.length > 0) {
      this.deleteSql = "DELETE FROM " + destName + " WHERE "
          + Arrays.stream(key).mapToObj(k -> quotedNames[k] + " = ?").collect(Collectors.joining(" AND "));
      this.updateSql = null;
    } else {
      String match = Arrays.stream(quotedNames).map(n -> n + " <=> ?").collect(Collectors.joining(" AND "));
      this.deleteSql = "DELETE FROM " + destName + " WHERE " + match + " LIMIT 1";
      this.updateSql = "UPDATE " + destName + " SET "
          + Arrays.stream(quotedNames).map(n -> n + " = ?").collect(Collectors.joining(", "))
          + " WHERE " + match + " LIMIT 1";
    }
  }

  boolean keyless() {
    return key.length == 0;
  }

  String sql(Op op) {
    return switch (op) {
      case UPSERT -> upsertSql;
      case DELETE -> deleteSql;
      case UPDATE_BY_IMAGE -> updateSql;
      case UPDATE -> throw new IllegalArgumentException("an update of changed columns is statement text");
    };
  }

  /** The start of a multi-row upsert as statement text; the rows follow as {@link #appendUpsertRow}, comma-separated. */
  String upsertPrefix() {
    return upsertPrefix;
  }

  /** Appends an upsert's row as {@code (v1, v2, …)}: the literals of the values {@link #bind} would bind. */
  void appendUpsertRow(StringBuilder sql, Serializable[] row, int[] index) {
    sql.append('(');
    for (int i = 0; i < source.length; i++) {
      if (i > 0) {
        sql.append(", ");
      }
      int ordinal = source[i];
      ValueBinder.appendLiteral(sql, row[index[ordinal]], types[ordinal], unsigned[ordinal]);
    }
    sql.append(')');
  }

  /**
   * The written columns whose value an update changed, or null when it must be written whole: every update
   * of the table is ({@link #updatesWhole}), or it changed nothing that decodes differently, or a column of
   * a unique key (the destination must see that as a
   * REPLACE, which settles a key another row of the batch frees), or holds an ENUM's error value, or a
   * long value: MariaDB (11.4 at least) cuts a value of 64 KiB or more in a derived table's column to its
   * length modulo 65,536 without a warning, so such a row never goes through one.
   */
  private BitSet changedColumns(Serializable[] old, int[] oldIndex, Serializable[] now, int[] nowIndex) {
    if (updatesWhole) {
      return null;
    }
    BitSet changed = new BitSet(source.length);
    for (int i = 0; i < source.length; i++) {
      int ordinal = source[i];
      if (!Objects.deepEquals(old[oldIndex[ordinal]], now[nowIndex[ordinal]])) {
        if (uniqueKeyed[i] || isLong(now[nowIndex[ordinal]])) {
          return null;
        }
        changed.set(i);
      }
    }
    return changed.isEmpty() || hasEnumErrorValue(now, nowIndex) ? null : changed;
  }

  /** Longer than a derived table's column keeps safely (64 KiB; a character is up to 4 bytes of utf8mb4). */
  static boolean isLong(Object value) {
    return value instanceof byte[] b && b.length > LONG_VALUE_BYTES
        || value instanceof String t && t.length() > LONG_VALUE_BYTES / 4
        || value instanceof JsonText j && j.text().length() > LONG_VALUE_BYTES / 4;
  }

  /** Splits a rows event into (op, parameter rows) steps, in source order. */
  void plan(ChangeEvent.Rows rows, StepSink sink) throws SQLException {
    int[] before = imageIndex(rows.columns());
    int[] after = rows.kind() == ChangeEvent.Kind.UPDATE ? imageIndex(rows.columnsAfter()) : before;
    List<Serializable[]> images = rows.images();
    switch (rows.kind()) {
      case INSERT -> {
        for (Serializable[] row : images) {
          sink.add(this, Op.UPSERT, row, after, null, null, null);
        }
      }
      case DELETE -> {
        for (Serializable[] row : images) {
          sink.add(this, Op.DELETE, row, before, null, null, null);
        }
      }
      case UPDATE -> {
        for (int i = 0; i < images.size(); i += 2) {
          Serializable[] old = images.get(i);
          Serializable[] now = images.get(i + 1);
          if (keyless()) {
            sink.add(this, Op.UPDATE_BY_IMAGE, now, after, old, before, null);
          } else if (!sameKey(old, before, now, after)) {
            sink.add(this, Op.DELETE, old, before, null, null, null);
            sink.add(this, Op.UPSERT, now, after, null, null, null);
          } else {
            BitSet changed = changedColumns(old, before, now, after);
            sink.add(this, changed == null ? Op.UPSERT : Op.UPDATE, now, after, null, null, changed);
          }
        }
      }
      default -> throw new IllegalStateException();
    }
  }

  /** Receives planned steps; the applier batches consecutive steps of one statement. */
  interface StepSink {
    void add(TableWriter writer, Op op, Serializable[] row, int[] index, Serializable[] old, int[] oldIndex,
             BitSet changed) throws SQLException;
  }

  /** Binds one step's parameters. */
  void bind(PreparedStatement ps, Op op, Serializable[] row, int[] index, Serializable[] old, int[] oldIndex)
      throws SQLException {
    int p = 1;
    if (op == Op.DELETE && !keyless()) {
      for (int k : key) {
        bindOne(ps, p++, row, index, source[k]);
      }
      return;
    }
    for (int ordinal : source) {
      bindOne(ps, p++, row, index, ordinal);
    }
    if (op == Op.UPDATE_BY_IMAGE) {
      for (int ordinal : source) {
        bindOne(ps, p++, old, oldIndex, ordinal);
      }
    }
  }

  private void bindOne(PreparedStatement ps, int param, Serializable[] row, int[] index, int ordinal)
      throws SQLException {
    ValueBinder.bind(ps, param, row[index[ordinal]], types[ordinal], unsigned[ordinal]);
  }

  /**
   * Whether a row holds an ENUM's error value (index 0, the '' a non-strict source stores for a value
   * that is not a member): no strict session can write it, so the applier writes such a row alone in a
   * lenient session.
   */
  boolean hasEnumErrorValue(Serializable[] row, int[] index) {
    if (!hasEnum || row == null) {
      return false;
    }
    for (int ordinal : source) {
      if (types[ordinal] == ENUM && Integer.valueOf(0).equals(row[index[ordinal]])) {
        return true;
      }
    }
    return false;
  }

  /** The identity columns' values of a row image (for a table with an identity). */
  Object[] keyValues(Serializable[] row, int[] index) {
    Object[] values = new Object[key.length];
    for (int i = 0; i < key.length; i++) {
      values[i] = row[index[source[key[i]]]];
    }
    return values;
  }

  private boolean sameKey(Serializable[] a, int[] ai, Serializable[] b, int[] bi) {
    for (int k : key) {
      if (!Objects.deepEquals(a[ai[source[k]]], b[bi[source[k]]])) {
        return false;
      }
    }
    return true;
  }

  /** For each binlog ordinal, its index within an image; fails when a written column is absent. */
  private int[] imageIndex(BitSet present) {
    int[] index = new int[columnCount];
    int n = 0;
    for (int i = 0; i < columnCount; i++) {
      index[i] = present.get(i) ? n++ : -1;
    }
    for (int ordinal : source) {
      if (index[ordinal] < 0) {
        throw FerryException.fatal("ROW_IMAGE", "A row of " + sourceName + " was logged without column #" + (ordinal + 1)
            + "; Ferry needs full row images", "Set binlog_row_image=FULL on the source (and restart its clients' "
            + "sessions), then restart the job from before this change.");
      }
    }
    return index;
  }

  static List<Integer> indexesOf(List<String> names, List<String> wanted) {
    List<Integer> out = new ArrayList<>();
    for (String w : wanted) {
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).equalsIgnoreCase(w)) {
          out.add(i);
        }
      }
    }
    return out;
  }
}
