package io.ferry.worker.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.worker.binlog.ChangeEvent;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which statement each change of a keyed table becomes once the batch is reduced: deletes, then updates of
 * the changed columns, then whole rows; MixedLoadIT and TypeFidelityIT run the same against servers.
 */
class ChangeBufferTest {
  private static final int LONG = 3;
  private static final int VARCHAR = 15;

  /** {@code w (id INT PRIMARY KEY, code VARCHAR UNIQUE, k INT, note VARCHAR)}. */
  private TableWriter writer = writer(false);

  private static TableWriter writer(boolean updatesWhole) {
    return new TableWriter("db.w", "db_copy", "w", 4, new int[] {0, 1, 2, 3},
        new String[] {"id", "code", "k", "note"}, new int[] {LONG, VARCHAR, LONG, VARCHAR}, new boolean[4],
        new int[] {0}, new boolean[] {true, true, false, false}, updatesWhole, true);
  }

  private final ChangeBuffer buffer = new ChangeBuffer();

  /** What was sent: op, the ids of its rows, and for updates the columns set. */
  private record Sent(TableWriter.Op op, List<Object> ids, List<BitSet> changed) {}

  private static Serializable[] row(int id, String code, int k, String note) {
    return new Serializable[] {id, code, k, note};
  }

  private void update(Serializable[]... beforeAfter) throws Exception {
    plan(ChangeEvent.Kind.UPDATE, beforeAfter);
  }

  private void plan(ChangeEvent.Kind kind, Serializable[]... images) throws Exception {
    BitSet all = new BitSet();
    all.set(0, 4);
    writer.plan(new ChangeEvent.Rows(null, kind, all, all, List.of(images), 0, 0),
        (w, op, row, index, old, oldIndex, changed) -> buffer.add(new ChangeBuffer.Step(w, op, row, index, old,
            oldIndex, changed)));
  }

  private List<Sent> drain() throws Exception {
    List<Sent> sent = new ArrayList<>();
    buffer.drain((op, steps) -> sent.add(new Sent(op, steps.stream().map(s -> (Object) s.row()[0]).toList(),
        steps.stream().map(ChangeBuffer.Step::changed).toList())));
    return sent;
  }

  private static BitSet columns(int... indexes) {
    BitSet b = new BitSet();
    for (int i : indexes) {
      b.set(i);
    }
    return b;
  }

  @Test
  void anUpdateOfPlainColumnsSetsOnlyThose() throws Exception {
    update(row(1, "a", 1, "x"), row(1, "a", 2, "x"), row(2, "b", 1, "x"), row(2, "b", 1, "y"));
    List<Sent> sent = drain();
    assertThat(sent).containsExactly(new Sent(TableWriter.Op.UPDATE, List.of(1, 2), List.of(columns(2), columns(3))));
  }

  @Test
  void twoUpdatesOfOneKeySetTheUnionOfTheirColumns() throws Exception {
    update(row(1, "a", 1, "x"), row(1, "a", 2, "x"));
    update(row(1, "a", 2, "x"), row(1, "a", 2, "y"));
    assertThat(drain()).containsExactly(new Sent(TableWriter.Op.UPDATE, List.of(1), List.of(columns(2, 3))));
  }

  @Test
  void aUniqueKeyColumnChangedOrAnEarlierInsertMakesTheRowWhole() throws Exception {
    update(row(1, "a", 1, "x"), row(1, "b", 1, "x"));   // unique column
    plan(ChangeEvent.Kind.INSERT, row(2, "c", 1, "x"));
    update(row(2, "c", 1, "x"), row(2, "c", 5, "x"));   // after its insert in the batch
    update(row(3, "d", 1, "x"), row(3, "d", 1, "x"));   // nothing changed
    plan(ChangeEvent.Kind.DELETE, row(4, "e", 1, "x"));
    update(row(5, "f", 1, "x"), row(5, "f", 9, "x"));
    update(row(6, "g", 1, "x"), row(6, "g", 1, "x".repeat(4097))); // long: a derived table would cut it
    assertThat(drain()).containsExactly(
        new Sent(TableWriter.Op.DELETE, List.of(4), java.util.Collections.singletonList(null)),
        new Sent(TableWriter.Op.UPDATE, List.of(5), List.of(columns(2))),
        new Sent(TableWriter.Op.UPSERT, List.of(1, 2, 3, 6), java.util.Arrays.asList(null, null, null, null)));
  }

  @Test
  void aTableWithAUniqueKeyOverAnUnwrittenColumnWritesEveryUpdateWhole() throws Exception {
    writer = writer(true);
    update(row(1, "a", 1, "x"), row(1, "a", 2, "x"));
    assertThat(drain()).containsExactly(
        new Sent(TableWriter.Op.UPSERT, List.of(1), java.util.Collections.singletonList(null)));
  }

  @Test
  void aKeyThatMovesIsADeleteAndAWholeRow() throws Exception {
    update(row(1, "a", 1, "x"), row(10, "a", 1, "x"));
    assertThat(drain()).containsExactly(
        new Sent(TableWriter.Op.DELETE, List.of(1), java.util.Collections.singletonList(null)),
        new Sent(TableWriter.Op.UPSERT, List.of(10), java.util.Collections.singletonList(null)));
  }

  @Test
  void theUpdateTextJoinsTheRowsByKeyAndSetsTheirColumns() {
    assertThat(updateText(false)).isEqualTo("UPDATE `db_copy`.`w` AS ferry_t JOIN (SELECT 1 AS ferry_0, 2 AS ferry_2,"
        + " 'it\\'s' AS ferry_3 UNION ALL SELECT 2, 3, NULL UNION ALL SELECT 3, -1, 'z') AS ferry_v"
        + " ON ferry_t.`id` = ferry_v.ferry_0 SET ferry_t.`k` = ferry_v.ferry_2, ferry_t.`note` = ferry_v.ferry_3");
    assertThat(updateText(true)).isEqualTo("UPDATE `db_copy`.`w` AS ferry_t JOIN (SELECT 1 AS ferry_0, 2 AS ferry_2,"
        + " 'it\\'s' AS ferry_3 UNION ALL VALUES (2, 3, NULL), (3, -1, 'z')) AS ferry_v"
        + " ON ferry_t.`id` = ferry_v.ferry_0 SET ferry_t.`k` = ferry_v.ferry_2, ferry_t.`note` = ferry_v.ferry_3");
  }

  @Test
  void anUpdateOfAnIntegerKeyRangeJoinsStraightAndNamesTheRange() {
    BitSet cols = columns(2);
    UpdateStatements.UpdateText around = writer.updates.updateText(cols);
    StringBuilder sql = new StringBuilder(around.rangeHead());
    int[] index = {0, 1, 2, 3};
    writer.updates.appendUpdateRow(sql, 0, true, row(7, "a", 2, "x"), index, cols);
    writer.updates.appendUpdateRow(sql, 1, true, row(8, "b", 3, "x"), index, cols);
    assertThat(sql.append(around.rangeTail(7, 8)).toString()).isEqualTo("UPDATE `db_copy`.`w` AS ferry_t STRAIGHT_JOIN"
        + " (SELECT 7 AS ferry_0, 2 AS ferry_2 UNION ALL VALUES (8, 3)) AS ferry_v ON ferry_t.`id` = ferry_v.ferry_0"
        + " SET ferry_t.`k` = ferry_v.ferry_2 WHERE ferry_t.`id` BETWEEN 7 AND 8");
  }

  @Test
  void onlyAKeyOfOneIntegerColumnOnBothServersHasARange() {
    int[] index = {0, 1, 2, 3};
    assertThat(writer.updates.integerKey(row(7, "a", 1, "x"), index)).isEqualTo(7L);
    TableWriter textOnTheDestination = new TableWriter("db.w", "db_copy", "w", 4, new int[] {0, 1, 2, 3},
        new String[] {"id", "code", "k", "note"}, new int[] {LONG, VARCHAR, LONG, VARCHAR}, new boolean[4],
        new int[] {0}, new boolean[4], false, false);
    assertThat(textOnTheDestination.updates.integerKey(row(7, "a", 1, "x"), index)).isNull();
    assertThat(textOnTheDestination.updates.updateText(columns(2)).rangeHead()).isNull();
    TableWriter byCode = new TableWriter("db.w", "db_copy", "w", 4, new int[] {0, 1, 2, 3},
        new String[] {"id", "code", "k", "note"}, new int[] {LONG, VARCHAR, LONG, VARCHAR}, new boolean[4],
        new int[] {1}, new boolean[4], false, true);
    assertThat(byCode.updates.integerKey(row(7, "a", 1, "x"), index)).isNull();

    boolean[] unsigned = {true, false};
    TableWriter unsignedInt = new TableWriter("db.u", "db_copy", "u", 2, new int[] {0, 1}, new String[] {"id", "k"},
        new int[] {LONG, LONG}, unsigned, new int[] {0}, new boolean[2], false, true);
    assertThat(unsignedInt.updates.integerKey(new Serializable[] {-1, 0}, new int[] {0, 1})).isEqualTo(4_294_967_295L);
    TableWriter unsignedBigint = new TableWriter("db.u", "db_copy", "u", 2, new int[] {0, 1}, new String[] {"id", "k"},
        new int[] {8, LONG}, unsigned, new int[] {0}, new boolean[2], false, true);
    assertThat(unsignedBigint.updates.integerKey(new Serializable[] {5L, 0}, new int[] {0, 1})).isEqualTo(5L);
    assertThat(unsignedBigint.updates.integerKey(new Serializable[] {-1L, 0}, new int[] {0, 1})).as("2^64 - 1").isNull();
  }

  @Test
  void numbersOfConsecutiveKeysAreSetByPosition() {
    assertThat(writer.updates.setsNumbersOnly(columns(2))).isTrue();
    assertThat(writer.updates.setsNumbersOnly(columns(2, 3))).as("a VARCHAR").isFalse();
    int[] index = {0, 1, 2, 3};
    List<ChangeBuffer.Step> rows = List.of(
        new ChangeBuffer.Step(writer, TableWriter.Op.UPDATE, row(-1, "a", 7, "x"), index, null, null, columns(2)),
        new ChangeBuffer.Step(writer, TableWriter.Op.UPDATE, row(0, "b", -8, "y"), index, null, null, columns(2)));
    assertThat(writer.updates.positionalUpdate(columns(2), rows, -1)).isEqualTo("UPDATE `db_copy`.`w` SET `k` = ELT(`id` - -1 + 1, 7, -8)"
            + " WHERE `id` BETWEEN -1 AND 0");
    StatementText.KeySpan span = new StatementText.KeySpan(true);
    span.add(5L);
    span.add(7L);
    assertThat(span.contiguous(2)).isFalse();
    span.add(6L);
    assertThat(span.contiguous(3)).isTrue();
  }

  @Test
  void keysThatFillMostOfTheirRangeAreDense() {
    StatementText.KeySpan span = new StatementText.KeySpan(true);
    span.add(1L);
    span.add(2250L);
    assertThat(span.dense(2000)).as("2,000 of 2,250 keys").isTrue();
    span.add(2251L);
    assertThat(span.dense(2000)).as("2,000 of 2,251 keys").isFalse();
    span.add(2L);
    span.add(null);
    assertThat(span.dense(3000)).as("a key that is no long").isFalse();

    StatementText.KeySpan wide = new StatementText.KeySpan(true);
    wide.add(Long.MIN_VALUE);
    wide.add(Long.MAX_VALUE);
    assertThat(wide.dense(Integer.MAX_VALUE)).isFalse();
    StatementText.KeySpan off = new StatementText.KeySpan(false);
    off.add(1L);
    assertThat(off.dense(1)).isFalse();
    assertThat(new StatementText.KeySpan(true).dense(0)).isFalse();
  }

  private String updateText(boolean tableValues) {
    BitSet cols = columns(2, 3);
    UpdateStatements.UpdateText around = writer.updates.updateText(cols);
    StringBuilder sql = new StringBuilder(around.head());
    int[] index = {0, 1, 2, 3};
    writer.updates.appendUpdateRow(sql, 0, tableValues, row(1, "a", 2, "it's"), index, cols);
    writer.updates.appendUpdateRow(sql, 1, tableValues, row(2, "b", 3, null), index, cols);
    writer.updates.appendUpdateRow(sql, 2, tableValues, row(3, "c", -1, "z"), index, cols);
    return sql.append(around.tail()).toString();
  }

  @Test
  void onlyMariaDbFrom10_3_3ReadsTableValues() {
    assertThat(Applier.readsTableValues("11.4.5-MariaDB-log")).isTrue();
    assertThat(Applier.readsTableValues("10.3.3-MariaDB")).isTrue();
    assertThat(Applier.readsTableValues("10.11.6-MariaDB-0+deb12u1")).isTrue();
    assertThat(Applier.readsTableValues("10.3.2-MariaDB")).isFalse();
    assertThat(Applier.readsTableValues("10.2.44-MariaDB")).isFalse();
    assertThat(Applier.readsTableValues("8.0.36")).isFalse();
    assertThat(Applier.readsTableValues("9.1.0-commercial")).isFalse();
  }
}
