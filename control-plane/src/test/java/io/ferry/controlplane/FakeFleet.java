package io.ferry.controlplane;

import io.ferry.controlplane.fleet.Fleet;
import io.ferry.controlplane.fleet.FleetEvent;
import io.ferry.controlplane.fleet.JobLive;
import io.ferry.controlplane.fleet.WorkerLive;
import io.ferry.protocol.model.WorkerState;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** An in-memory stand-in for the scheduler's fleet view: tests set what the workers would report. */
public final class FakeFleet implements Fleet {
  private final Map<String, JobLive> jobs = new ConcurrentHashMap<>();
  private final Map<String, WorkerLive> workers = new ConcurrentHashMap<>();
  private final List<Consumer<FleetEvent>> listeners = new CopyOnWriteArrayList<>();
  private final List<String> changed = new CopyOnWriteArrayList<>();
  private final List<String> drained = new CopyOnWriteArrayList<>();
  private volatile long heartbeats;

  @Override
  public Optional<JobLive> job(String jobId) {
    return Optional.ofNullable(jobs.get(jobId));
  }

  @Override
  public List<WorkerLive> workers() {
    return new ArrayList<>(workers.values());
  }

  @Override
  public void jobChanged(String jobId) {
    changed.add(jobId);
  }

  @Override
  public Future<Void> drain(String workerId) {
    WorkerLive w = workers.get(workerId);
    if (w == null) {
      return Future.failedFuture(new NoSuchElementException("no worker " + workerId));
    }
    drained.add(workerId);
    put(new WorkerLive(w.id(), w.host(), WorkerState.DRAINING, w.capacity(), w.jobs(), w.startedAt(), w.lastHeartbeat()));
    return Future.succeededFuture();
  }

  @Override
  public long heartbeatsReceived() {
    return heartbeats;
  }

  @Override
  public Runnable subscribe(Consumer<FleetEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  public void put(JobLive job) {
    jobs.put(job.jobId(), job);
    heartbeats++;
    listeners.forEach(l -> l.accept(FleetEvent.of(job)));
  }

  public void put(WorkerLive worker) {
    workers.put(worker.id(), worker);
    listeners.forEach(l -> l.accept(FleetEvent.of(worker)));
  }

  public int listeners() {
    return listeners.size();
  }

  public List<String> changed() {
    return changed;
  }

  public List<String> drained() {
    return drained;
  }
}
