package io.ferry.app.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of samples (lag in milliseconds, latencies). */
final class Percentiles {
  private final double[] sorted;

  Percentiles(double[] samples) {
    this.sorted = samples.clone();
    Arrays.sort(sorted);
  }

  int count() {
    return sorted.length;
  }

  /** The nearest-rank {@code p}-th percentile ({@code 0 < p <= 100}); NaN without samples. */
  double at(double p) {
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
    }
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  double max() {
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
  }
}
