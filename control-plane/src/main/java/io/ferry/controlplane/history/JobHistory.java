package io.ferry.controlplane.history;

import io.ferry.controlplane.fleet.Fleet;
import io.ferry.controlplane.fleet.FleetEvent;
import io.ferry.controlplane.fleet.JobLive;
import java.time.Clock;
import java.time.Duration;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last hour of every job's heartbeat figures, in memory, in buckets of {@link #DEFAULT_INTERVAL}: what
 * the dashboard's lag and throughput charts draw. Fed by {@link Fleet#subscribe} (on the scheduler's event
 * loop) and read by the API (on HTTP event loops): each job's ring is guarded by its own lock, held for
 * microseconds. Memory is bounded by the jobs heard from within the window: {@link #sweep()} drops jobs
 * silent for longer (deleted, stopped or paused for over an hour). With a {@link SampleStore} the buckets
 * are also kept in the metadata DB ({@link #flush()} writes each job's newest two, {@link #restore()}
 * reads them back at start), so a restarted control plane still draws the hour it had seen.
 */
public final class JobHistory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobHistory.class);
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  private final Map<String, SampleRing> rings = new ConcurrentHashMap<>();
  /** Jobs with reports since the last flush. */
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private SampleStore store;
  private final Clock clock;
  private final Duration window;
  private final Duration interval;
  private final int capacity;
  private Runnable unsubscribe = () -> { };
  private boolean closed;

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

  /**
   * A history of the default window and interval kept in {@code store}: what the store holds of the
   * window is read back first, then {@code fleet} feeds it (reports during the read are not recorded).
   * The caller flushes it every {@link #interval()}.
   */
  public static JobHistory persisted(Fleet fleet, Clock clock, SampleStore store) {
    JobHistory history = new JobHistory(clock, DEFAULT_WINDOW, DEFAULT_INTERVAL).keptIn(store);
    history.restore().onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("the charts' history could not be read from the metadata DB (it starts empty): {}",
            ar.cause().toString());
      }
      synchronized (history) {
        if (!history.closed) {
          history.unsubscribe = fleet.subscribe(history::onEvent);
        }
      }
    });
    return history;
  }

  /** Keeps the buckets in {@code store} too. */
  JobHistory keptIn(SampleStore store) {
    this.store = store;
    return this;
  }

  /** Reads the store's buckets of the window into the rings (before any report is recorded). */
  Future<Void> restore() {
    if (store == null) {
      return Future.succeededFuture();
    }
    return store.load(clock.millis() - window.toMillis()).map(saved -> {
      for (SampleStore.Saved s : saved) {
        SampleRing ring = rings.computeIfAbsent(s.jobId(), id -> new SampleRing(capacity, interval.toMillis()));
        synchronized (ring) {
          ring.restore(s);
        }
      }
      return null;
    });
  }

  /**
   * Writes the newest two buckets of every job reported since the last flush (the one before the newest
   * gets its final figures, the newest its figures so far). A failed write is logged; the next flush
   * writes the newest buckets again.
   */
  public Future<Void> flush() {
    if (store == null || dirty.isEmpty()) {
      return Future.succeededFuture();
    }
    List<SampleStore.Saved> rows = new ArrayList<>();
    for (String jobId : List.copyOf(dirty)) {
      dirty.remove(jobId);
      SampleRing ring = rings.get(jobId);
      if (ring != null) {
        synchronized (ring) {
          rows.addAll(ring.newest(jobId, 2));
        }
      }
    }
    return store.save(rows).onFailure(e -> LOG.debug("the charts' history was not written: {}", e.toString()));
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
    dirty.add(job.jobId());
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

  /** Forgets jobs that reported nothing within the window, and the stored buckets older than it. */
  public void sweep() {
    long oldest = clock.millis() - window.toMillis();
    if (store != null) {
      store.deleteBefore(oldest - interval.toMillis())
          .onFailure(e -> LOG.debug("old chart buckets were not deleted: {}", e.toString()));
    }
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
  public synchronized void close() {
    closed = true;
    unsubscribe.run();
  }
}
