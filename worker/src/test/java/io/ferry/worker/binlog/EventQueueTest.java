package io.ferry.worker.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.worker.position.BinlogPosition;
import java.io.Serializable;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class EventQueueTest {

  private static ChangeEvent.Rows rows(int binlogBytes) {
    return new ChangeEvent.Rows(null, ChangeEvent.Kind.INSERT, new BitSet(), null,
        List.<Serializable[]>of(new Serializable[] {1}), 0, binlogBytes);
  }

  private static ChangeEvent commit() {
    return new ChangeEvent.Commit(new BinlogPosition("mysql-bin.000001", 4, null), 0);
  }

  @Test
  void holdsAtMostItsCapacityOfEvents() throws InterruptedException {
    EventQueue q = new EventQueue(2, 1 << 20);
    assertThat(q.offer(commit(), 0, TimeUnit.MILLISECONDS)).isTrue();
    assertThat(q.offer(rows(10), 0, TimeUnit.MILLISECONDS)).isTrue();
    assertThat(q.offer(commit(), 20, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(q.size()).isEqualTo(2);
    assertThat(q.poll(0, TimeUnit.MILLISECONDS)).isInstanceOf(ChangeEvent.Commit.class);
    assertThat(q.offer(commit(), 0, TimeUnit.MILLISECONDS)).isTrue();
  }

  @Test
  void holdsRowsEventsWorthAtMostItsBytesButEventsWithoutRowsStillPass() throws InterruptedException {
    EventQueue q = new EventQueue(100, 1_000);
    assertThat(q.offer(rows(600), 0, TimeUnit.MILLISECONDS)).isTrue();
    assertThat(q.offer(rows(300), 0, TimeUnit.MILLISECONDS)).isTrue();
    assertThat(q.bytes()).isEqualTo(900);
    assertThat(q.offer(rows(200), 20, TimeUnit.MILLISECONDS)).as("900 + 200 > 1,000").isFalse();
    assertThat(q.offer(commit(), 0, TimeUnit.MILLISECONDS)).as("a commit weighs nothing").isTrue();
    assertThat(q.poll(0, TimeUnit.MILLISECONDS)).isInstanceOf(ChangeEvent.Rows.class);
    assertThat(q.bytes()).isEqualTo(300);
    assertThat(q.offer(rows(200), 0, TimeUnit.MILLISECONDS)).isTrue();
    assertThat(q.bytes()).isEqualTo(500);
  }

  @Test
  void anEventLargerThanTheBoundGoesInAloneSoTheReaderNeverWaitsForever() throws InterruptedException {
    EventQueue q = new EventQueue(100, 1_000);
    assertThat(q.offer(rows(5_000), 0, TimeUnit.MILLISECONDS)).as("into an empty queue").isTrue();
    assertThat(q.offer(rows(1), 20, TimeUnit.MILLISECONDS)).isFalse();
    q.poll(0, TimeUnit.MILLISECONDS);
    assertThat(q.bytes()).isZero();
    assertThat(q.offer(rows(1), 0, TimeUnit.MILLISECONDS)).isTrue();
    assertThat(q.offer(rows(5_000), 20, TimeUnit.MILLISECONDS)).as("not next to other rows").isFalse();
  }

  @Test
  void aPreparedXaWeighsWhatItsRowsWeigh() {
    ChangeEvent.XaPrepare xa = new ChangeEvent.XaPrepare("x", List.of(rows(100), rows(250)),
        new BinlogPosition("mysql-bin.000001", 4, null), 0);
    assertThat(EventQueue.weight(xa)).isEqualTo(350);
    assertThat(EventQueue.weight(commit())).isZero();
  }

  @Test
  void aWaitingReaderGoesOnWhenTheApplierTakesAnEvent() throws Exception {
    EventQueue q = new EventQueue(100, 1_000);
    q.offer(rows(900), 0, TimeUnit.MILLISECONDS);
    CompletableFuture<Boolean> offered = CompletableFuture.supplyAsync(() -> {
      try {
        return q.offer(rows(900), 10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThatThrownBy(() -> offered.get(50, TimeUnit.MILLISECONDS)).as("the reader waits for room")
        .isInstanceOf(TimeoutException.class);
    assertThat(q.poll(1, TimeUnit.SECONDS)).isNotNull();
    assertThat(offered.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(q.poll(1, TimeUnit.SECONDS)).isNotNull();
    assertThat(q.poll(20, TimeUnit.MILLISECONDS)).isNull();
  }
}
