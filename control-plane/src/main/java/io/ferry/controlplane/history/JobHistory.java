package io.ferry.controlplane.history;

import io.ferry.controlplane.fleet.Fleet;
import io.ferry.controlplane.fleet.FleetEvent;
import io.ferry.controlplane.fleet.JobLive;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last hour of every job's heartbeat figures, in memory, in buckets of {@link #DEFAULT_INTERVAL}: what
 * the dashboard's lag and throughput charts draw. Fed by {@link Fleet#subscribe} (on the scheduler's event
 * loop) and read by the API (on HTTP event loops): each job's ring is guarded by its own lock, held for
 * microseconds. Memory is bounded by the jobs heard from within the window: {@link #sweep()} drops jobs
 * silent for longer (deleted, stopped or paused for over an hour). A restarted control plane starts empty.
 */
public final class JobHistory implements AutoCloseable {
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  private final Map<String, SampleRing> rings = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration window;
  private final Duration interval;
  private final int capacity;
  private Runnable unsubscribe = () -> { };

  public JobHistory(Clock clock, Duration window, Duration interval) {
    if (interval.toMillis() < 1 || window.compareTo(interval) < 0) {
      throw new IllegalArgumentException("the window must hold at least one interval of at least 1 ms");
    }
    this.clock = clock;
    this.window = window;
    this.interval = interval;
    this.capacity = (int) (window.toMillis() / interval.toMillis()) + 1;
  }

  /** A history of the default window and interval, fed by {@code fleet} until {@link #close()}. */
  public static JobHistory following(Fleet fleet, Clock clock) {
    JobHistory history = new JobHistory(clock, DEFAULT_WINDOW, DEFAULT_INTERVAL);
    history.unsubscribe = fleet.subscribe(history::onEvent);
    return history;
  }

  public Duration window() {
    return window;
  }

  public Duration interval() {
    return interval;
  }

  void onEvent(FleetEvent event) {
    if (event.job() != null) {
      record(event.job());
    }
  }

  /** Records one report of a job's owner. */
  public void record(JobLive job) {
    SampleRing ring = rings.computeIfAbsent(job.jobId(), id -> new SampleRing(capacity, interval.toMillis()));
    synchronized (ring) {
      ring.add(job.at().toEpochMilli(), job.epoch(), job.lagSeconds(), job.rowsApplied(), job.eventsPerSecond());
    }
  }

  /** The job's samples of the last {@code span} (at most the window), oldest first; empty when none. */
  public List<Sample> samples(String jobId, Duration span) {
    SampleRing ring = rings.get(jobId);
    if (ring == null) {
      return List.of();
    }
    Duration within = span.compareTo(window) > 0 ? window : span;
    long since = clock.millis() - within.toMillis();
    synchronized (ring) {
      return ring.since(since);
    }
  }

  /** Forgets jobs that reported nothing within the window. */
  public void sweep() {
    long oldest = clock.millis() - window.toMillis();
    rings.entrySet().removeIf(e -> {
      synchronized (e.getValue()) {
        return e.getValue().newestAt() < oldest;
      }
    });
  }

  /** Jobs with samples (for tests and metrics). */
  public int jobs() {
    return rings.size();
  }

  @Override
  public void close() {
    unsubscribe.run();
  }
}
