package io.ferry.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.controlplane.api.JobTransitions.Change;
import org.junit.jupiter.api.Test;

class JobTransitionsTest {
  @Test
  void startFromCreatedStoppedOrErrorOnly() {
    assertThat(JobTransitions.decide("start", "CREATED", "RUNNING")).isEqualTo(new Change("RUNNING", null, true));
    assertThat(JobTransitions.decide("start", "CREATED", "STOPPED")).isEqualTo(new Change("RUNNING", null, true));
    assertThat(JobTransitions.decide("start", "STOPPED", "STOPPED")).isEqualTo(new Change("RUNNING", "STARTING", true));
    assertThat(JobTransitions.decide("start", "ERROR", "RUNNING")).isEqualTo(new Change("RUNNING", "STARTING", true));
    for (String state : new String[] {"STARTING", "SNAPSHOT", "RUNNING", "PAUSED"}) {
      assertConflict("start", state, "RUNNING");
    }
  }

  @Test
  void pauseOnlyWhatIsMeantToRunAndNotFailedOrStopped() {
    assertThat(JobTransitions.decide("pause", "RUNNING", "RUNNING")).isEqualTo(new Change("PAUSED", null, false));
    assertThat(JobTransitions.decide("pause", "CREATED", "RUNNING")).isEqualTo(new Change("PAUSED", null, false));
    assertConflict("pause", "RUNNING", "PAUSED");
    assertConflict("pause", "ERROR", "RUNNING");
    assertConflict("pause", "STOPPED", "RUNNING");
  }

  @Test
  void resumeOnlyWhatIsPaused() {
    assertThat(JobTransitions.decide("resume", "PAUSED", "PAUSED")).isEqualTo(new Change("RUNNING", "STARTING", true));
    assertThat(JobTransitions.decide("resume", "RUNNING", "PAUSED")).isEqualTo(new Change("RUNNING", "STARTING", true));
    assertThat(JobTransitions.decide("resume", "CREATED", "PAUSED")).isEqualTo(new Change("RUNNING", null, true));
    assertConflict("resume", "RUNNING", "RUNNING");
    assertConflict("resume", "STOPPED", "STOPPED");
  }

  @Test
  void stopAnythingNotStoppedAndDeleteOnlyStopped() {
    assertThat(JobTransitions.decide("stop", "RUNNING", "RUNNING")).isEqualTo(new Change("STOPPED", null, false));
    assertThat(JobTransitions.decide("stop", "ERROR", "RUNNING")).isEqualTo(new Change("STOPPED", null, false));
    assertConflict("stop", "STOPPED", "STOPPED");
    assertThat(JobTransitions.deletable("STOPPED", "STOPPED")).isTrue();
    assertThat(JobTransitions.deletable("CREATED", "STOPPED")).isTrue();
    assertThat(JobTransitions.deletable("CREATED", "RUNNING")).isFalse();
    assertThat(JobTransitions.deletable("RUNNING", "STOPPED")).isFalse();
  }

  private static void assertConflict(String action, String state, String desired) {
    assertThatThrownBy(() -> JobTransitions.decide(action, state, desired))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.extra()).containsEntry("state", state).containsEntry("desiredState", desired);
          assertThat(e.getMessage()).contains(state);
        });
  }
}
