package io.ferry.worker.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.message.VerifyJob;
import io.ferry.protocol.message.VerifyProgress;
import io.ferry.worker.copy.Verifier;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobVerifyTest {
  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    long millis;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  @Test
  void progressGoesOutAtMostEveryTwoSecondsAndAlwaysAtTheEnd() {
    ManualClock clock = new ManualClock();
    List<VerifyProgress> sent = new ArrayList<>();
    Verifier.Progress p = JobVerify.progress(new VerifyJob("job-1", 3, "42"), clock, sent::add);

    p.at(0, 2, 1_000, "shop.a");       // the first one goes out at once
    clock.millis += 500;
    p.at(0, 2, 2_000, "shop.a");       // too soon
    clock.millis += 1_600;
    p.at(1, 2, 3_000, "shop.b");       // 2.1 s after the first
    clock.millis += 10;
    p.at(2, 2, 3_500, null);           // the end, however soon

    assertThat(sent).extracting(VerifyProgress::rowsChecked).containsExactly(1_000L, 3_000L, 3_500L);
    assertThat(sent.get(1).currentTable()).isEqualTo("shop.b");
    assertThat(sent.get(2).tablesDone()).isEqualTo(2);
    assertThat(sent).allSatisfy(v -> assertThat(v.verifyId()).isEqualTo("42"));
  }
}
