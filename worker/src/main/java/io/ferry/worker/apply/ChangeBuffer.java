package io.ferry.worker.apply;

import java.io.Serializable;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The row changes of the open destination transaction not sent yet. For a table with a row identity
 * only the last change per key is kept; when sent, a table's deletes go first, then its updates of
 * changed columns, then its full-row REPLACEs — multi-row statements instead of one round trip per
 * change. That is safe because the destination equals the source at the batch's start and the kept
 * images are the source's state at its end: a REPLACE can only meet a conflicting row that itself
 * changed in the batch, and that row's own last change is applied too; an update of changed columns
 * touches no unique key. Several updates of one key write the union of the columns they changed; an
 * update after an insert or a delete of its key in the batch writes the whole row (the destination's
 * row is not the one it changed). Tables without an identity keep every change, in order.
 * Tables are independent (the applier runs with foreign_key_checks=0). Owned by the applier thread.
 */
final class ChangeBuffer {
  /** One planned change: the writer that plans it and the images it binds. */
  record Step(TableWriter writer, TableWriter.Op op, Serializable[] row, int[] index, Serializable[] old,
              int[] oldIndex, BitSet changed) {}

  /** Sends steps of one op, in order; the buffer groups them. */
  interface Sender {
    void send(TableWriter.Op op, List<Step> steps) throws SQLException;
  }

  /** Key values compared by content (byte[] included). */
  private record Key(Object[] values) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.deepEquals(values, k.values);
    }

    @Override
    public int hashCode() {
      return Arrays.deepHashCode(values);
    }
  }

  private static final class Table {
    final Map<Key, Step> last = new LinkedHashMap<>();
    final List<Step> ordered = new ArrayList<>();
  }

  private final Map<String, Table> tables = new LinkedHashMap<>();
  private int size;

  void add(Step step) {
    Table t = tables.computeIfAbsent(step.writer().destName, n -> new Table());
    if (step.writer().keyless()) {
      t.ordered.add(step);
    } else {
      Key key = new Key(step.writer().keyValues(step.row(), step.index()));
      Step before = step.op() == TableWriter.Op.UPDATE ? t.last.get(key) : null;
      if (before != null) {
        step = merged(before, step);
      }
      t.last.put(key, step);
    }
    size++;
  }

  /** An update of changed columns after an earlier change of the same key in the batch. */
  private static Step merged(Step before, Step update) {
    if (before.op() == TableWriter.Op.UPDATE && before.writer() == update.writer()) {
      BitSet columns = (BitSet) before.changed().clone();
      columns.or(update.changed());
      return new Step(update.writer(), TableWriter.Op.UPDATE, update.row(), update.index(), null, null, columns);
    }
    return new Step(update.writer(), TableWriter.Op.UPSERT, update.row(), update.index(), null, null, null);
  }

  /** Changes added since the last drain (before reduction). */
  int size() {
    return size;
  }

  /** Sends everything: per table its deletes, updates, then upserts (or its ordered changes); then empties. */
  void drain(Sender sender) throws SQLException {
    try {
      for (Table t : tables.values()) {
        if (!t.ordered.isEmpty()) {
          sendInRuns(t.ordered, sender);
        }
        List<Step> deletes = new ArrayList<>();
        List<Step> updates = new ArrayList<>();
        List<Step> upserts = new ArrayList<>();
        for (Step s : t.last.values()) {
          (switch (s.op()) {
            case DELETE -> deletes;
            case UPDATE -> updates;
            default -> upserts;
          }).add(s);
        }
        send(TableWriter.Op.DELETE, deletes, sender);
        send(TableWriter.Op.UPDATE, updates, sender);
        send(TableWriter.Op.UPSERT, upserts, sender);
      }
    } finally {
      clear();
    }
  }

  private static void send(TableWriter.Op op, List<Step> steps, Sender sender) throws SQLException {
    if (!steps.isEmpty()) {
      sender.send(op, steps);
    }
  }

  private static void sendInRuns(List<Step> steps, Sender sender) throws SQLException {
    int from = 0;
    for (int i = 1; i <= steps.size(); i++) {
      if (i == steps.size() || steps.get(i).op() != steps.get(from).op()) {
        sender.send(steps.get(from).op(), steps.subList(from, i));
        from = i;
      }
    }
  }

  void clear() {
    tables.clear();
    size = 0;
  }
}
