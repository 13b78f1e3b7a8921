package io.ferry.app.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Prints the results table and the CPU breakdown on the console. */
final class BenchReport {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");

  private BenchReport() {}

  static void print(List<PhaseResult> results, long transactions, int rowChangesPerTransaction, String setup) {
    long rowChanges = transactions * rowChangesPerTransaction;
    CONSOLE.info("");
    CONSOLE.info("Results ({}; {} transactions, {} row changes):", setup, transactions, rowChanges);
    CONSOLE.info(String.format(Locale.ROOT, "  %-30s %9s %14s %12s %12s %12s %12s", "system", "seconds", "row changes/s",
        "tx/s", "dest CPU s", "source CPU s", "Ferry CPU s"));
    for (PhaseResult r : results) {
      CONSOLE.info(String.format(Locale.ROOT, "  %-30s %9.2f %14.0f %12.0f %12.2f %12.2f %12s", r.system(), r.seconds(),
          rowChanges / r.seconds(), transactions / r.seconds(), r.destinationCpu(), r.sourceCpu(),
          Double.isNaN(r.applierCpu()) ? "-" : String.format(Locale.ROOT, "%.2f", r.applierCpu())));
    }
    PhaseResult nativeRun = results.get(0);
    for (PhaseResult r : results.subList(1, results.size())) {
      CONSOLE.info(String.format(Locale.ROOT, "  Ferry / native throughput ratio: %.2fx (%s vs %s)",
          nativeRun.seconds() / r.seconds(), r.system(), nativeRun.system()));
      CONSOLE.info(String.format(Locale.ROOT, "  Ferry JVM: %.2f CPU s over %.2f s wall (%.0f%% of one core), heap peak"
          + " %.0f MiB; %s", r.applierCpu(), r.seconds(), 100 * r.applierCpu() / r.seconds(), r.heapPeakMiB(), r.note()));
      CONSOLE.info("  Ferry JVM CPU by thread (>= 0.05 s):");
      r.threadCpu().entrySet().stream()
          .filter(e -> e.getValue() >= 0.05)
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
          .forEach(e -> CONSOLE.info(String.format(Locale.ROOT, "    %-40s %7.2f s", e.getKey(), e.getValue())));
      double inThreads = r.threadCpu().values().stream().mapToDouble(Double::doubleValue).sum();
      CONSOLE.info(String.format(Locale.ROOT, "    %-40s %7.2f s", "(not in Java threads: GC, JIT, VM)",
          r.applierCpu() - inThreads));
    }
  }
}
