package io.ferry.controlplane.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ferry.controlplane.FakeFleet;
import io.ferry.controlplane.fleet.JobLive;
import io.ferry.protocol.model.JobState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobHistoryTest {
  private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    Instant now = T0;

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final TestClock clock = new TestClock();

  private static JobLive report(String job, long epoch, Instant at, Long lag, long rows, double eps) {
    return new JobLive(job, "t", "w1", epoch, JobState.RUNNING, null, lag, rows, eps, null, at);
  }

  @Test
  void bucketsKeepTheHighestLagTheLastCountAndTheRateSinceThePreviousBucket() {
    JobHistory h = new JobHistory(clock, Duration.ofHours(1), Duration.ofSeconds(10));
    // bucket 10:00:00: reports at +1 s and +9 s; bucket 10:00:10: reports at +11 s and +19 s
    h.record(report("j", 1, T0.plusSeconds(1), 3L, 100, 50));
    h.record(report("j", 1, T0.plusSeconds(9), 1L, 180, 30));
    h.record(report("j", 1, T0.plusSeconds(11), 7L, 200, 10));
    h.record(report("j", 1, T0.plusSeconds(19), null, 380, 20));
    clock.now = T0.plusSeconds(20);

    List<Sample> s = h.samples("j", Duration.ofHours(1));
    assertThat(s).hasSize(2);
    assertThat(s.get(0).startMillis()).isEqualTo(T0.toEpochMilli());
    assertThat(s.get(0).lagSeconds()).isEqualTo(3.0);
    assertThat(s.get(0).rowsApplied()).isEqualTo(180);
    assertThat(s.get(0).rowsPerSecond()).as("the first bucket has no base: no rate").isNull();
    assertThat(s.get(0).eventsPerSecond()).isEqualTo(40.0);
    assertThat(s.get(1).startMillis()).isEqualTo(T0.plusSeconds(10).toEpochMilli());
    assertThat(s.get(1).lagSeconds()).as("an unknown lag does not hide a known one").isEqualTo(7.0);
    assertThat(s.get(1).rowsApplied()).isEqualTo(380);
    assertThat(s.get(1).rowsPerSecond()).as("(380 - 180) rows over 10 s").isCloseTo(20.0, within(1e-9));
  }

  @Test
  void aNewOwnerCountingFromZeroGivesNoNegativeRate() {
    JobHistory h = new JobHistory(clock, Duration.ofHours(1), Duration.ofSeconds(10));
    h.record(report("j", 1, T0.plusSeconds(5), 0L, 1_000, 0));
    h.record(report("j", 2, T0.plusSeconds(15), 0L, 50, 0)); // moved: epoch 2 starts its count at zero
    h.record(report("j", 2, T0.plusSeconds(25), 0L, 150, 0));
    clock.now = T0.plusSeconds(30);

    List<Sample> s = h.samples("j", Duration.ofHours(1));
    assertThat(s).extracting(Sample::rowsPerSecond).containsExactly(null, 5.0, 10.0);
  }

  @Test
  void theRingKeepsOneWindowAndAskingForLessGivesLess() {
    JobHistory h = new JobHistory(clock, Duration.ofMinutes(1), Duration.ofSeconds(10));
    for (int i = 0; i < 30; i++) { // five minutes of reports every 10 s
      h.record(report("j", 1, T0.plusSeconds(i * 10L), (long) i, i * 10L, 1));
    }
    clock.now = T0.plusSeconds(295);
    List<Sample> all = h.samples("j", Duration.ofHours(5));
    assertThat(all).as("capped at the window").extracting(Sample::lagSeconds)
        .containsExactly(24.0, 25.0, 26.0, 27.0, 28.0, 29.0);
    assertThat(h.samples("j", Duration.ofSeconds(20))).extracting(Sample::lagSeconds).containsExactly(28.0, 29.0);
    assertThat(h.samples("other", Duration.ofHours(1))).isEmpty();
  }

  @Test
  void aLateReportForAnOlderBucketIsDropped() {
    JobHistory h = new JobHistory(clock, Duration.ofHours(1), Duration.ofSeconds(10));
    h.record(report("j", 1, T0.plusSeconds(15), 2L, 10, 0));
    h.record(report("j", 1, T0.plusSeconds(5), 99L, 5, 0));
    clock.now = T0.plusSeconds(20);
    assertThat(h.samples("j", Duration.ofHours(1))).extracting(Sample::lagSeconds).containsExactly(2.0);
  }

  @Test
  void followsTheFleetUntilClosedAndSweepsJobsSilentForAWindow() {
    FakeFleet fleet = new FakeFleet();
    JobHistory h = JobHistory.following(fleet, clock);
    fleet.put(report("a", 1, T0, 1L, 1, 0));
    clock.now = T0.plus(Duration.ofMinutes(30));
    fleet.put(report("b", 1, clock.now, 1L, 1, 0));
    assertThat(h.jobs()).isEqualTo(2);

    clock.now = T0.plus(Duration.ofMinutes(61));
    h.sweep();
    assertThat(h.jobs()).as("a is silent for over an hour, b is not").isEqualTo(1);
    assertThat(h.samples("b", Duration.ofHours(1))).hasSize(1);

    h.close();
    fleet.put(report("c", 1, clock.now, 1L, 1, 0));
    assertThat(h.jobs()).isEqualTo(1);
  }
}
