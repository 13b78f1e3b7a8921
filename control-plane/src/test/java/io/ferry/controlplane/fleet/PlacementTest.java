package io.ferry.controlplane.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.controlplane.fleet.Placement.Candidate;
import io.ferry.protocol.model.WorkerState;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementTest {
  @Test
  void choosesTheLeastLoadedLiveWorkerWithRoom() {
    List<Candidate> fleet = List.of(new Candidate("a", WorkerState.UP, 10, 3), new Candidate("b", WorkerState.UP, 10, 1),
        new Candidate("c", WorkerState.LOST, 10, 0), new Candidate("d", WorkerState.DRAINING, 10, 0),
        new Candidate("e", WorkerState.UP, 1, 1));
    assertThat(Placement.choose(fleet)).contains("b");
  }

  @Test
  void loadIsRelativeToCapacity() {
    assertThat(Placement.choose(List.of(new Candidate("small", WorkerState.UP, 2, 1),
        new Candidate("big", WorkerState.UP, 10, 3)))).contains("big");
  }

  @Test
  void nothingWhenEveryWorkerIsFullOrGone() {
    assertThat(Placement.choose(List.of(new Candidate("a", WorkerState.UP, 2, 2),
        new Candidate("b", WorkerState.LOST, 5, 0)))).isEmpty();
  }

  @Test
  void rebalancesFromTheBusiestToTheIdlestOnlyWhenItHelps() {
    assertThat(Placement.rebalance(List.of(new Candidate("old", WorkerState.UP, 10, 4),
        new Candidate("new", WorkerState.UP, 10, 0)))).contains(new Placement.Move("old", "new"));
    assertThat(Placement.rebalance(List.of(new Candidate("a", WorkerState.UP, 10, 2),
        new Candidate("b", WorkerState.UP, 10, 1)))).isEmpty();
    assertThat(Placement.rebalance(List.of(new Candidate("a", WorkerState.UP, 10, 4),
        new Candidate("b", WorkerState.DRAINING, 10, 0)))).isEmpty();
  }
}
