package io.ferry.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts of {@code ferry bench grid}: the plan, the percentiles and the report's table. */
class GridBenchLogicTest {
  @Test
  void theGridRunsEveryWorkloadWithEveryClientCountThenTheHugeTransactionOnce() {
    List<GridPlan.Case> cases = GridPlan.cases(List.of(Workload.OLTP_INSERT, Workload.OLTP_WRITE_ONLY), List.of(1, 16),
        GridPlan.Sizes.DEFAULT);
    assertThat(cases).extracting(GridPlan.Case::label).containsExactly("oltp_insert, 1 client",
        "oltp_insert, 16 clients", "oltp_write_only, 1 client", "oltp_write_only, 16 clients", "huge transaction");
    assertThat(cases.get(3).transactions()).isEqualTo(10_000);
    assertThat(cases.get(3).expectedRowChanges(500_000)).isEqualTo(40_000);
    assertThat(cases.get(4).expectedRowChanges(500_000)).isEqualTo(500_000);
    assertThat(cases.get(4).transactions()).isEqualTo(1);
  }

  @Test
  void withoutAHugeTransactionTheGridHasOnlyTheWorkloads() {
    GridPlan.Sizes noHuge = new GridPlan.Sizes(2, 100, 10, 0, 1);
    assertThat(GridPlan.cases(List.of(Workload.OLTP_DELETE), List.of(1), noHuge)).hasSize(1);
    assertThatThrownBy(() -> GridPlan.cases(List.of(), List.of(1), noHuge)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GridPlan.cases(List.of(Workload.OLTP_DELETE), List.of(0), noHuge))
        .hasMessageContaining("positive");
  }

  @Test
  void liveRatesAreFractionsOfTheNativeBestAscendingWithoutRepeats() {
    assertThat(GridPlan.liveRates(1_000, 0.5, 0.9, 1.1)).containsExactly(500, 900, 1_100);
    assertThat(GridPlan.liveRates(2, 0.1, 0.2, 0.5, 1.0)).containsExactly(1, 2);
  }

  @Test
  void percentilesAreNearestRank() {
    double[] samples = new double[100];
    for (int i = 0; i < 100; i++) {
      samples[i] = 100 - i; // 1..100, reversed
    }
    Percentiles p = new Percentiles(samples);
    assertThat(p.at(50)).isEqualTo(50);
    assertThat(p.at(99)).isEqualTo(99);
    assertThat(p.at(100)).isEqualTo(100);
    assertThat(p.max()).isEqualTo(100);
    assertThat(new Percentiles(new double[] {7}).at(99)).isEqualTo(7);
    assertThat(new Percentiles(new double[] {1, 2, 3}).at(50)).isEqualTo(2);
    assertThat(new Percentiles(new double[0]).at(50)).isNaN();
    assertThatThrownBy(() -> p.at(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theTableShowsRatesTheRatioToTheBestNativeAndFerrysCostPerMillionRows() {
    GridReport.Row row = new GridReport.Row("oltp_write_only, 1 client", 40_000, 10_000,
        List.of(new GridReport.Drain("native 1 thread", 8.0, 6.0), new GridReport.Drain("native 4 threads", 4.0, 7.5)),
        new GridReport.Drain("Ferry", 1.0, 5.25), 2.0, 300.4, 0.5, true);
    assertThat(row.bestNative().system()).isEqualTo("native 4 threads");
    assertThat(row.ratio()).isEqualTo(4.0);
    assertThat(row.cpuPerMillionRows()).isEqualTo(50.0);
    List<String> table = GridReport.table(List.of(row), List.of("native 1 thread", "native 4 threads"));
    assertThat(table).hasSize(3);
    assertThat(table.get(0)).startsWith("| backlog | row changes | tx | native 1 thread rows/s (tx/s) |");
    assertThat(table.get(1).split("\\|")).hasSize(table.get(0).split("\\|").length);
    assertThat(table.get(2)).isEqualTo("| oltp_write_only, 1 client | 40,000 | 10,000 | 5,000 (1,250.0) |"
        + " 10,000 (2,500.0) | 40,000 (10,000.0) | **4.00x** | 50.0 | 300 | 0.5 | 7.5 / 5.3 |");
  }

  @Test
  void repeatedRunsAreSummedUpByTheirMedianPerBacklog() {
    List<GridReport.Row> rows = List.of(huge("huge transaction #1", 6.0, 8.0), huge("huge transaction #2", 6.0, 5.0),
        huge("huge transaction #3", 6.0, 7.5));
    assertThat(GridReport.summary(rows)).containsExactly(
        "Over the runs (median; every run's ratio in order, odd runs with the native replicas draining first):",
        "  huge transaction: Ferry / best native **0.80x** (0.75 · 1.20 · 0.80); applying server CPU s 5.0 native"
            + " / 6.0 Ferry's destination; Ferry CPU s per M rows 4.0");
    assertThat(GridReport.median(new double[] {3, 1, 4, 2})).isEqualTo(2.5);
  }

  private static GridReport.Row huge(String label, double nativeSeconds, double ferrySeconds) {
    return new GridReport.Row(label, 500_000, 1, List.of(new GridReport.Drain("native 1 thread", nativeSeconds, 5.0)),
        new GridReport.Drain("Ferry", ferrySeconds, 6.0), 2.0, 300, 0.5, true);
  }

  @Test
  void childProcessesGetTheSerialCollectorOnTwoCpusUnlessTheirOptionsNameOne() {
    assertThat(LauncherJvm.options(List.of("-Xmx512m"), 2)).containsExactly("-XX:+UseSerialGC", "-Xmx512m");
    assertThat(LauncherJvm.options(List.of(), 1)).containsExactly("-XX:+UseSerialGC");
    assertThat(LauncherJvm.options(List.of("-Xmx512m"), 4)).containsExactly("-Xmx512m");
    assertThat(LauncherJvm.options(List.of("-XX:+UseG1GC", "-Xmx512m"), 2)).containsExactly("-XX:+UseG1GC", "-Xmx512m");
  }

  @Test
  void aMismatchIsNoResult() {
    GridReport.Row row = new GridReport.Row("oltp_delete, 16 clients", 2, 1, List.of(new GridReport.Drain("n", 1, 1)),
        new GridReport.Drain("Ferry", 1, 1), 1, 1, 1, false);
    String line = GridReport.table(List.of(row), List.of("n")).get(2);
    assertThat(line).contains("NO RESULT").doesNotContain("x**");
    assertThat(line.split("\\|")).hasSize(GridReport.table(List.of(row), List.of("n")).get(0).split("\\|").length);
  }

  @Test
  void lagLinesNameTheSystemAndThePercentiles() {
    assertThat(GridReport.lag("Ferry", new Percentiles(new double[] {100, 200, 300})))
        .isEqualTo("Ferry: 3 samples, p50 200 ms, p99 300 ms, max 300 ms");
    assertThat(GridReport.lag("native", new Percentiles(new double[0]))).isEqualTo("native: no samples");
  }

  @Test
  void theLiveGoalIsNotClaimedWhenTheSourceRanOutFirst() {
    assertThat(LivePhase.goal(950, 1_000, false)).isEqualTo("met");
    assertThat(LivePhase.goal(500, 1_000, false)).isEqualTo("NOT met");
    assertThat(LivePhase.goal(500, 1_000, true)).startsWith("not measured");
  }
}
