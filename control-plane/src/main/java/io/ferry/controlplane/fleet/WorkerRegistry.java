package io.ferry.controlplane.fleet;

import io.ferry.protocol.message.Heartbeat;
import io.ferry.protocol.message.RegisterWorker;
import io.ferry.protocol.model.JobStatus;
import io.ferry.protocol.model.WorkerState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The workers the control plane knows and when each was last heard from. Touched only on the
 * scheduler's event loop. Times are milliseconds of the scheduler's clock.
 */
final class WorkerRegistry {
  /** One worker. */
  static final class Worker {
    final String id;
    String host;
    int capacity;
    Instant startedAt;
    WorkerState state;
    long heardAt;
    Instant lastHeartbeat;
    /** Heartbeats handled from it since this control plane started. */
    long heartbeats;
    /** The jobs (and epochs) its last heartbeat reported; empty before the first one. */
    Map<String, Long> reported = Map.of();
    /** When its last heartbeat arrived, or -1 before the first one since this control plane started. */
    long reportedAt = -1;
    /**
     * Until when no job is placed here: a message to it found no handler or no answer, or it has
     * just come back from being lost (a worker that flaps must not pull jobs back and forth).
     */
    long noJobsUntil;

    Worker(String id, String host, int capacity, WorkerState state, long now) {
      this.id = id;
      this.host = host;
      this.capacity = capacity;
      this.state = state;
      this.heardAt = now;
    }

    boolean live() {
      return state != WorkerState.LOST;
    }
  }

  private final Map<String, Worker> workers = new HashMap<>();
  private final Set<String> heardSinceFlush = new LinkedHashSet<>();

  /**
   * Workers from the metadata DB when the control plane starts. Each counts as heard just now: a live
   * worker gets one lease to show up before its jobs are moved, so restarting the control plane
   * stops nothing.
   */
  void load(Collection<FleetStore.WorkerRow> rows, long now) {
    for (FleetStore.WorkerRow r : rows) {
      workers.put(r.id(), new Worker(r.id(), r.host(), r.capacity(), r.state(), now));
    }
  }

  Worker register(RegisterWorker m, long now) {
    Worker w = workers.computeIfAbsent(m.nodeId(), id -> new Worker(id, m.host(), m.capacity(), WorkerState.UP, now));
    w.host = m.host();
    w.capacity = m.capacity();
    w.state = WorkerState.UP;
    w.startedAt = m.startedAt();
    w.heardAt = now;
    return w;
  }

  /**
   * Records a heartbeat; returns the worker, or null when the node never registered. A lost worker
   * that speaks again is back (its old jobs are already elsewhere; the scheduler revokes them).
   */
  Worker heard(Heartbeat h, long now) {
    Worker w = workers.get(h.nodeId());
    if (w == null) {
      return null;
    }
    w.heardAt = now;
    w.lastHeartbeat = h.sentAt();
    w.heartbeats++;
    if (w.state == WorkerState.LOST || h.state() == WorkerState.DRAINING) {
      w.state = h.state();
    }
    Map<String, Long> reported = new HashMap<>();
    for (JobStatus s : h.jobs()) {
      reported.put(s.jobId(), s.epoch());
    }
    w.reported = reported;
    w.reportedAt = now;
    heardSinceFlush.add(w.id);
    return w;
  }

  /** Declares lost every worker silent for longer than the lease; returns them. */
  List<Worker> expire(long now, long leaseMillis) {
    List<Worker> lost = new ArrayList<>();
    for (Worker w : workers.values()) {
      if (w.live() && now - w.heardAt > leaseMillis) {
        w.state = WorkerState.LOST;
        lost.add(w);
      }
    }
    return lost;
  }

  Worker get(String id) {
    return id == null ? null : workers.get(id);
  }

  boolean live(String id) {
    Worker w = get(id);
    return w != null && w.live();
  }

  Collection<Worker> all() {
    return workers.values();
  }

  /** The workers heard from since the last call (to record their heartbeat in the metadata DB). */
  Set<String> drainHeard() {
    Set<String> out = new HashSet<>(heardSinceFlush);
    heardSinceFlush.clear();
    return out;
  }

  /**
   * Placement candidates with their current number of jobs. A worker frozen past its lease can come
   * back to heartbeats before the cluster routes messages to it again (its event-bus subscriptions
   * return with the cluster's next merge), so one that could not be reached is skipped for a while.
   */
  List<Placement.Candidate> candidates(Map<String, Integer> load, long now) {
    List<Placement.Candidate> out = new ArrayList<>();
    for (Worker w : workers.values()) {
      // An unreachable worker keeps its jobs (its heartbeats still arrive) but takes no new ones.
      WorkerState state = w.state == WorkerState.UP && now < w.noJobsUntil ? WorkerState.DRAINING : w.state;
      out.add(new Placement.Candidate(w.id, state, w.capacity, load.getOrDefault(w.id, 0)));
    }
    return out;
  }

  /** Every worker with the jobs the rows assign to it, sorted by id. */
  /** The jobs assigned to each live worker. */
  Map<String, Integer> jobCounts(Collection<FleetStore.JobRow> rows) {
    Map<String, Integer> load = new HashMap<>();
    for (FleetStore.JobRow r : rows) {
      if (r.workerId() != null && live(r.workerId())) {
        load.merge(r.workerId(), 1, Integer::sum);
      }
    }
    return load;
  }

  List<WorkerLive> views(Collection<FleetStore.JobRow> rows) {
    Map<String, List<String>> byWorker = new HashMap<>();
    for (FleetStore.JobRow r : rows) {
      if (r.workerId() != null) {
        byWorker.computeIfAbsent(r.workerId(), k -> new ArrayList<>()).add(r.id());
      }
    }
    List<WorkerLive> view = new ArrayList<>();
    for (Worker w : workers.values()) {
      view.add(view(w, byWorker.getOrDefault(w.id, List.of())));
    }
    view.sort((a, b) -> a.id().compareTo(b.id()));
    return List.copyOf(view);
  }

  WorkerLive view(Worker w, List<String> jobs) {
    return new WorkerLive(w.id, w.host, w.state, w.capacity, jobs.stream().sorted().toList(), w.startedAt,
        w.lastHeartbeat, w.heartbeats);
  }
}
