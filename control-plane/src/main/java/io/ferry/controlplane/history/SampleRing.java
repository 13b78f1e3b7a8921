package io.ferry.controlplane.history;

import java.util.ArrayList;
import java.util.List;

/**
 * One job's samples in fixed time buckets, oldest overwritten first: a bucket keeps the highest lag seen
 * in it, the last rows-applied count and the mean events/s of its reports, and its rows/s is the rows
 * applied since the previous bucket's last report over the time between them. A worker's count starts
 * again at zero when the job moves (a new epoch), so a drop counts from zero, never as a negative rate.
 * Not thread-safe: {@link JobHistory} synchronizes on it.
 */
final class SampleRing {
  private final long intervalMillis;
  private final long[] bucket;
  private final double[] lag;
  private final long[] rows;
  private final double[] rowsPerSecond;
  private final double[] eventsSum;
  private final int[] reports;
  private final long[] lastAt;
  private int newest = -1;
  private int size;
  /** The last report before the newest bucket: the base of that bucket's rate. */
  private long baseAt = -1;
  private long baseRows;
  private long epoch = -1;

  SampleRing(int capacity, long intervalMillis) {
    this.intervalMillis = intervalMillis;
    bucket = new long[capacity];
    lag = new double[capacity];
    rows = new long[capacity];
    rowsPerSecond = new double[capacity];
    eventsSum = new double[capacity];
    reports = new int[capacity];
    lastAt = new long[capacity];
  }

  /** Adds one report; a report older than the newest bucket (out of order) is dropped. */
  void add(long atMillis, long reportEpoch, Long lagSeconds, long rowsApplied, double eventsPerSecond) {
    long b = Math.floorDiv(atMillis, intervalMillis);
    if (size > 0 && b < bucket[newest]) {
      return;
    }
    if (size == 0 || b > bucket[newest]) {
      advance(b);
      lag[newest] = Double.NaN;
      eventsSum[newest] = 0;
      reports[newest] = 0;
      rowsPerSecond[newest] = Double.NaN;
    }
    if (reportEpoch != epoch || rowsApplied < baseRows) {
      baseRows = 0; // a new owner counts from zero
      epoch = reportEpoch;
    }
    if (lagSeconds != null) {
      lag[newest] = Double.isNaN(lag[newest]) ? lagSeconds : Math.max(lag[newest], lagSeconds);
    }
    rows[newest] = rowsApplied;
    lastAt[newest] = atMillis;
    eventsSum[newest] += eventsPerSecond;
    reports[newest]++;
    if (baseAt >= 0 && atMillis > baseAt) {
      rowsPerSecond[newest] = (rowsApplied - baseRows) * 1000.0 / (atMillis - baseAt);
    }
  }

  /** The samples whose bucket starts at or after {@code sinceMillis}, oldest first. */
  List<Sample> since(long sinceMillis) {
    List<Sample> out = new ArrayList<>(size);
    for (int k = size - 1; k >= 0; k--) {
      int i = Math.floorMod(newest - k, bucket.length);
      long start = bucket[i] * intervalMillis;
      if (start >= sinceMillis) {
        out.add(sample(i));
      }
    }
    return out;
  }

  /** The newest {@code n} buckets as stored (the newest may still grow), oldest first. */
  List<SampleStore.Saved> newest(String jobId, int n) {
    List<SampleStore.Saved> out = new ArrayList<>(n);
    for (int k = Math.min(n, size) - 1; k >= 0; k--) {
      int i = Math.floorMod(newest - k, bucket.length);
      out.add(new SampleStore.Saved(jobId, sample(i), lastAt[i], epoch));
    }
    return out;
  }

  /**
   * Puts back a stored bucket (a restarted control plane), after the ones already here; a bucket not
   * newer than the newest is dropped. A report that follows counts its rate from the newest bucket.
   */
  void restore(SampleStore.Saved saved) {
    Sample s = saved.sample();
    long b = Math.floorDiv(s.startMillis(), intervalMillis);
    if (size > 0 && b <= bucket[newest]) {
      return;
    }
    advance(b);
    lag[newest] = s.lagSeconds() == null ? Double.NaN : s.lagSeconds();
    rows[newest] = s.rowsApplied();
    rowsPerSecond[newest] = s.rowsPerSecond() == null ? Double.NaN : s.rowsPerSecond();
    eventsSum[newest] = s.eventsPerSecond();
    reports[newest] = 1;
    lastAt[newest] = saved.lastAt();
    epoch = saved.epoch();
  }

  /** Opens bucket {@code b} as the newest; the one before becomes the base of its rate. */
  private void advance(long b) {
    if (size > 0) {
      baseAt = lastAt[newest];
      baseRows = rows[newest];
    }
    newest = (newest + 1) % bucket.length;
    size = Math.min(size + 1, bucket.length);
    bucket[newest] = b;
  }

  private Sample sample(int i) {
    return new Sample(bucket[i] * intervalMillis, Double.isNaN(lag[i]) ? null : lag[i], rows[i],
        Double.isNaN(rowsPerSecond[i]) ? null : rowsPerSecond[i], eventsSum[i] / reports[i]);
  }

  /** When the newest report arrived, or -1 when empty. */
  long newestAt() {
    return size == 0 ? -1 : lastAt[newest];
  }
}
