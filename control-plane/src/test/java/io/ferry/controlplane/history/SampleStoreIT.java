package io.ferry.controlplane.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ferry.controlplane.MetadataDbTest;
import io.ferry.controlplane.fleet.JobLive;
import io.ferry.protocol.model.JobState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The charts' buckets kept in a real metadata DB (Flyway's job_samples): a new history (a restarted
 * control plane) reads back what the old one flushed, its next report's rate counts from the restored
 * bucket, and buckets older than the window are deleted.
 */
class SampleStoreIT extends MetadataDbTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  private static JobLive report(String job, long epoch, long second, Long lag, long rows, double eps) {
    return new JobLive(job, "t", "w1", epoch, JobState.RUNNING, null, lag, rows, eps, null, T0.plusSeconds(second));
  }

  private JobHistory history(long atSecond) {
    return new JobHistory(Clock.fixed(T0.plusSeconds(atSecond), ZoneOffset.UTC), Duration.ofHours(1),
        Duration.ofSeconds(10)).keptIn(new SampleStore(pool));
  }

  @Test
  void aRestartedHistoryDrawsWhatTheOldOneSaw() throws Exception {
    JobHistory before = history(35);
    before.record(report("j", 3, 1, 4L, 100, 50));
    before.record(report("j", 3, 9, 2L, 180, 30));
    await(before.flush()); // the first bucket so far
    before.record(report("j", 3, 12, null, 300, 10));
    before.record(report("j", 3, 25, 1L, 500, 20));
    before.record(report("other", 1, 21, 0L, 7, 1));
    await(before.flush()); // the second bucket final, the third so far
    List<Sample> seen = before.samples("j", Duration.ofHours(1));
    assertThat(seen).hasSize(3);

    JobHistory after = history(40);
    await(after.restore());
    assertThat(after.samples("j", Duration.ofHours(1))).isEqualTo(seen);
    assertThat(after.samples("other", Duration.ofHours(1))).isEqualTo(before.samples("other", Duration.ofHours(1)));
    // the next report counts its rate from the restored bucket: (900 - 500) rows over 10 s
    after.record(report("j", 3, 35, 0L, 900, 5));
    assertThat(after.samples("j", Duration.ofHours(1))).hasSize(4).last()
        .satisfies(s -> assertThat(s.rowsPerSecond()).isCloseTo(40.0, within(1e-9)));

    JobHistory muchLater = history(2 * 3600);
    muchLater.sweep();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> await(
        pool.query("SELECT COUNT(*) AS n FROM job_samples").execute()).iterator().next().getLong("n") == 0);
  }
}
