package io.ferry.controlplane.fleet;

import io.ferry.protocol.model.WorkerState;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where jobs go: the live worker with the lowest load (assigned jobs over capacity) that still has
 * room; ties go to the worker with fewer jobs, then by id, so placement is deterministic.
 */
final class Placement {
  /** A worker's standing for placement. */
  record Candidate(String id, WorkerState state, int capacity, int jobs) {
    boolean open() {
      return state == WorkerState.UP && jobs < capacity;
    }

    double load() {
      return (double) jobs / capacity;
    }
  }

  /** A job to move from one worker to another. */
  record Move(String from, String to) {}

  private static final Comparator<Candidate> LEAST_LOADED = Comparator.comparingDouble(Candidate::load)
      .thenComparingInt(Candidate::jobs).thenComparing(Candidate::id);

  private Placement() {}

  /** The worker a new (or orphaned) job goes to, if any has room. */
  static Optional<String> choose(List<Candidate> workers) {
    return workers.stream().filter(Candidate::open).min(LEAST_LOADED).map(Candidate::id);
  }

  /**
   * One move that evens the fleet out, if the busiest live worker runs at least two jobs more than the
   * idlest one with room (a difference of one cannot be improved by moving a job). Moving one job per
   * scheduler tick keeps a joining worker from triggering a storm of restarts.
   */
  static Optional<Move> rebalance(List<Candidate> workers) {
    Optional<Candidate> idlest = workers.stream().filter(Candidate::open).min(LEAST_LOADED);
    Optional<Candidate> busiest = workers.stream().filter(c -> c.state() != WorkerState.LOST)
        .max(Comparator.comparingInt(Candidate::jobs).thenComparing(Candidate::id));
    if (idlest.isEmpty() || busiest.isEmpty() || busiest.get().jobs() - idlest.get().jobs() < 2) {
      return Optional.empty();
    }
    return Optional.of(new Move(busiest.get().id(), idlest.get().id()));
  }
}
