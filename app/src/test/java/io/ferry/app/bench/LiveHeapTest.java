package io.ferry.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The heap in use after a collection counts what is still referenced, and not what became garbage. */
class LiveHeapTest {
  private static byte[] kept;

  @Test
  void countsWhatACollectionLeavesAndNotTheGarbage() {
    try (LiveHeap live = new LiveHeap()) {
      assertThat(live.peakMiB()).isNaN();
      kept = new byte[64 << 20];
      for (int i = 0; i < 16; i++) {
        byte[] garbage = new byte[32 << 20]; // 512 MiB made and dropped
        garbage[i] = 1;
      }
      System.gc();
      await().atMost(Duration.ofSeconds(10)).until(() -> live.peakMiB() >= 64);
      assertThat(live.peakMiB()).as("in use after a collection, MiB").isLessThan(64 + 256);
      assertThat(kept[0]).isZero();
    } finally {
      kept = null;
    }
  }
}
