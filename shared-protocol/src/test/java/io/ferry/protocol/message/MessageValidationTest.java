package io.ferry.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.protocol.InvalidFieldException;
import io.ferry.protocol.model.ErrorInfo;
import io.ferry.protocol.model.JobState;
import io.ferry.protocol.model.JobStatus;
import io.ferry.protocol.model.Position;
import io.ferry.protocol.model.WorkerState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageValidationTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private static String fieldOf(Runnable construct) {
    return catchThrowableOfType(InvalidFieldException.class, construct::run).field();
  }

  @Test
  void epochsStartAtOne() {
    assertThat(fieldOf(() -> new RevokeJob("j", 0, "r"))).isEqualTo("epoch");
    assertThat(fieldOf(() -> new Checkpoint("j", -1, new Position("f.1", 4, ""), T))).isEqualTo("epoch");
    assertThat(fieldOf(() -> new JobError("j", 0, "C", "m", "r", T, false))).isEqualTo("epoch");
    assertThat(new RevokeJob("j", 1, null).reason()).isEmpty();
  }

  @Test
  void idsAreRequired() {
    assertThat(fieldOf(() -> new RevokeJob(null, 1, "r"))).isEqualTo("jobId");
    assertThat(fieldOf(() -> new DrainWorker("", "r"))).isEqualTo("nodeId");
    assertThat(fieldOf(() -> new RegisterWorker("n", "h", 0, 1, T))).isEqualTo("capacity");
    assertThat(fieldOf(() -> new RegisterWorker("n", "h", 1, 1, null))).isEqualTo("startedAt");
    assertThat(fieldOf(() -> new Nack(" ", "r"))).isEqualTo("code");
  }

  @Test
  void heartbeatsAreUpOrDrainingWithUniqueJobs() {
    JobStatus s = new JobStatus("j", 1, JobState.RUNNING, null, 0L, 0, 0, null);
    assertThat(fieldOf(() -> new Heartbeat("n", T, WorkerState.LOST, List.of()))).isEqualTo("state");
    assertThat(fieldOf(() -> new Heartbeat("n", T, WorkerState.UP, List.of(s, s)))).isEqualTo("jobs");
    List<JobStatus> jobs = new ArrayList<>(List.of(s));
    Heartbeat h = new Heartbeat("n", T, WorkerState.UP, jobs);
    jobs.clear();
    assertThat(h.jobs()).containsExactly(s);
    assertThatThrownBy(() -> h.jobs().add(s)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void jobStatusNumbers() {
    assertThat(fieldOf(() -> new JobStatus("j", 1, JobState.RUNNING, null, null, -1, 0, null))).isEqualTo("rowsApplied");
    assertThat(fieldOf(() -> new JobStatus("j", 1, JobState.RUNNING, null, null, 0, Double.NaN, null)))
        .isEqualTo("eventsPerSecond");
    assertThat(fieldOf(() -> new JobStatus("j", 1, null, null, null, 0, 0, null))).isEqualTo("state");
  }

  @Test
  void jobErrorAndErrorInfoConvert() {
    ErrorInfo info = new ErrorInfo("BINLOG_PURGED", "gone", "Snapshot again.", T, false);
    JobError error = JobError.of("j", 4, info);
    assertThat(error.info()).isEqualTo(info);
    assertThat(error.epoch()).isEqualTo(4);
  }
}
