package io.ferry.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The grid's results as a Markdown table (what docs/PERFORMANCE.md shows), and the live phase's lines. */
final class GridReport {
  private GridReport() {}

  /**
   * One system draining one backlog.
   *
   * @param seconds from START SLAVE / the Ferry job's start until the source's end position was applied
   * @param serverCpuSeconds CPU of the server that applied it (the replica; Ferry's destination) meanwhile
   */
  record Drain(String system, double seconds, double serverCpuSeconds) {
    double perSecond(long count) {
      return count / seconds;
    }
  }

  /**
   * One case of the grid: the backlog and how each system drained it.
   *
   * @param rowChanges the row changes the backlog made on the source
   * @param transactions its source transactions
   * @param natives the native replica's runs (single-threaded, parallel)
   * @param ferry Ferry's run
   * @param ferryCpuSeconds CPU of the Ferry process while it drained (from /proc)
   * @param ferryPeakRssMb the Ferry process's peak RSS (VmHWM) in MB
   * @param ferrySetupSeconds the Ferry job's set-up before it streamed (not in its drain time)
   * @param consistent whether CHECKSUM TABLE matched on all servers (false: no result)
   */
  record Row(String label, long rowChanges, long transactions, List<Drain> natives, Drain ferry, double ferryCpuSeconds,
             double ferryPeakRssMb, double ferrySetupSeconds, boolean consistent) {
    Drain bestNative() {
      Drain best = null;
      for (Drain d : natives) {
        if (best == null || d.seconds() < best.seconds()) {
          best = d;
        }
      }
      return best;
    }

    /** Ferry's throughput over the best native configuration's (> 1: Ferry is faster). */
    double ratio() {
      return bestNative().seconds() / ferry.seconds();
    }

    double cpuPerMillionRows() {
      return ferryCpuSeconds / rowChanges * 1e6;
    }
  }

  static List<String> table(List<Row> rows, List<String> nativeNames) {
    List<String> out = new ArrayList<>();
    StringBuilder head = new StringBuilder("| backlog | row changes | tx |");
    StringBuilder rule = new StringBuilder("| --- | ---: | ---: |");
    for (String n : nativeNames) {
      head.append(' ').append(n).append(" rows/s (tx/s) |");
      rule.append(" ---: |");
    }
    head.append(" Ferry rows/s (tx/s) | Ferry / best native | Ferry CPU s per M rows | Ferry peak RSS MB |"
        + " Ferry set-up s | applying server CPU s: best native / Ferry's destination |");
    rule.append(" ---: | ---: | ---: | ---: | ---: | ---: |");
    out.add(head.toString());
    out.add(rule.toString());
    for (Row r : rows) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %,d | %,d |", r.label(), r.rowChanges(),
          r.transactions()));
      if (!r.consistent()) {
        line.append(" NO RESULT: the copies differ |".repeat(nativeNames.size() + 6));
        out.add(line.toString());
        continue;
      }
      for (Drain d : r.natives()) {
        line.append(' ').append(rate(r, d)).append(" |");
      }
      line.append(' ').append(rate(r, r.ferry())).append(" |");
      line.append(String.format(Locale.ROOT, " **%.2fx** | %.1f | %.0f | %.1f | %.1f / %.1f |", r.ratio(),
          r.cpuPerMillionRows(), r.ferryPeakRssMb(), r.ferrySetupSeconds(), r.bestNative().serverCpuSeconds(),
          r.ferry().serverCpuSeconds()));
      out.add(line.toString());
    }
    return out;
  }

  /**
   * For rows of repeated runs (labels ending in {@code " #<run>"}): each backlog's median ratio of Ferry to the
   * best native configuration, the ratios of all its runs, and the median CPU seconds of the applying servers.
   */
  static List<String> summary(List<Row> rows) {
    java.util.Map<String, List<Row>> byCase = new java.util.LinkedHashMap<>();
    for (Row r : rows) {
      byCase.computeIfAbsent(r.label().replaceFirst(" #\\d+$", ""), k -> new ArrayList<>()).add(r);
    }
    List<String> out = new ArrayList<>();
    out.add("Over the runs (median; every run's ratio in order, odd runs with the native replicas draining first):");
    for (var e : byCase.entrySet()) {
      List<Row> runs = e.getValue();
      StringBuilder each = new StringBuilder();
      for (Row r : runs) {
        each.append(each.length() == 0 ? "" : " · ").append(String.format(Locale.ROOT, "%.2f", r.ratio()));
      }
      out.add(String.format(Locale.ROOT, "  %s: Ferry / best native **%.2fx** (%s); applying server CPU s %.1f native"
          + " / %.1f Ferry's destination; Ferry CPU s per M rows %.1f", e.getKey(),
          median(runs.stream().mapToDouble(Row::ratio).toArray()), each,
          median(runs.stream().mapToDouble(r -> r.bestNative().serverCpuSeconds()).toArray()),
          median(runs.stream().mapToDouble(r -> r.ferry().serverCpuSeconds()).toArray()),
          median(runs.stream().mapToDouble(Row::cpuPerMillionRows).toArray())));
    }
    return out;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    int n = v.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static String rate(Row r, Drain d) {
    return String.format(Locale.ROOT, "%,.0f (%,.1f)", d.perSecond(r.rowChanges()), d.perSecond(r.transactions()));
  }

  /** One line of lag figures: {@code "Ferry: 412 samples, p50 120 ms, p99 340 ms, max 410 ms"}. */
  static String lag(String system, Percentiles p) {
    if (p.count() == 0) {
      return system + ": no samples";
    }
    return String.format(Locale.ROOT, "%s: %d samples, p50 %.0f ms, p99 %.0f ms, max %.0f ms", system, p.count(),
        p.at(50), p.at(99), p.max());
  }
}
