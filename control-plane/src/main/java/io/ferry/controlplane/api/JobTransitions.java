package io.ferry.controlplane.api;

import java.util.Set;

/**
 * Which state changes an operator may ask for, from a job's {@code state} and {@code desired_state}.
 * Pure, so the whole table is unit-tested.
 */
public final class JobTransitions {
  private JobTransitions() {}

  /** What to write: the new desired state, the new state (null = leave it to the scheduler), clear the error. */
  public record Change(String desired, String state, boolean clearError) {}

  public static Change decide(String action, String state, String desired) {
    boolean created = state.equals("CREATED");
    return switch (action) {
      case "start" -> {
        require(Set.of("CREATED", "STOPPED", "ERROR").contains(state), action, state, desired,
            "a job starts from CREATED, STOPPED or ERROR");
        yield new Change("RUNNING", created ? null : "STARTING", true);
      }
      case "pause" -> {
        require(desired.equals("RUNNING") && !state.equals("ERROR") && !state.equals("STOPPED"), action, state,
            desired, "only a job meant to run, and not in ERROR or STOPPED, can be paused");
        yield new Change("PAUSED", null, false);
      }
      case "resume" -> {
        require(desired.equals("PAUSED") || state.equals("PAUSED"), action, state, desired,
            "only a paused job can be resumed");
        yield new Change("RUNNING", created ? null : "STARTING", true);
      }
      case "stop" -> {
        require(!state.equals("STOPPED"), action, state, desired, "the job is already stopped");
        yield new Change("STOPPED", null, false);
      }
      default -> throw new IllegalArgumentException("unknown action " + action);
    };
  }

  /** Whether a job may be deleted: stopped, or created and never meant to run. */
  public static boolean deletable(String state, String desired) {
    return state.equals("STOPPED") || state.equals("CREATED") && desired.equals("STOPPED");
  }

  private static void require(boolean allowed, String action, String state, String desired, String why) {
    if (!allowed) {
      throw ApiException.conflict("INVALID_STATE", "cannot " + action + " a job in state " + state + " (desired "
          + desired + "): " + why).with("state", state).with("desiredState", desired);
    }
  }
}
