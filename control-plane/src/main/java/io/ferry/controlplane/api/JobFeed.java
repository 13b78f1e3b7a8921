package io.ferry.controlplane.api;

import io.ferry.controlplane.fleet.Fleet;
import io.ferry.controlplane.fleet.FleetEvent;
import io.ferry.controlplane.fleet.JobLive;
import io.ferry.controlplane.fleet.WorkerLive;
import io.ferry.controlplane.store.JobStore;
import io.ferry.controlplane.store.JobStore.Job;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The changes of jobs' rows for the live stream, beside the heartbeat figures the fleet sends: a job
 * created, started, paused, stopped, failed or moved, by the API or by the scheduler. Heartbeats do not
 * carry these (a paused job is no longer reported by any worker), so while anyone listens the feed reads
 * the rows changed in the last {@value #WINDOW_SECONDS} seconds once a second ({@code updated_at}, which
 * every write of the API and the scheduler touches) and sends each row whose change it has not sent yet, in
 * the API's full shape. A deletion is told by the API itself ({@link #notifying}). Runs on the event loop
 * of the context that created it.
 */
final class JobFeed {
  static final int WINDOW_SECONDS = 10;
  private static final long PERIOD_MILLIS = 1_000;

  /** One change: {@code job} (the job's full view) or {@code job-removed} ({@code {"id"}}), and its tenant. */
  record Change(String kind, String tenant, JsonObject data) {}

  private final Vertx vertx;
  private final Context context;
  private final Pool pool;
  private final JobStore jobs;
  private final Fleet fleet;
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
  /** The {@code updated_at} of each job's last sent change. */
  private final Map<String, Instant> sent = new HashMap<>();
  private long timer = -1;
  private boolean polling;

  /** Call on the context that should own the feed (the HTTP verticle's). */
  JobFeed(Vertx vertx, Pool pool, Fleet fleet) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.pool = pool;
    this.jobs = new JobStore(pool);
    this.fleet = fleet;
  }

  void start() {
    context.runOnContext(v -> timer = vertx.setPeriodic(PERIOD_MILLIS, t -> poll()));
  }

  void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  Runnable subscribe(Consumer<Change> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Reads the recently changed rows and sends those not sent yet; skipped while nobody listens. */
  Future<Void> poll() {
    if (listeners.isEmpty() || polling) {
      return Future.succeededFuture();
    }
    polling = true;
    return jobs.changedWithin(WINDOW_SECONDS).map(changed -> {
      for (Job j : changed) {
        if (j.updatedAt() != null && !j.updatedAt().equals(sent.put(j.id(), j.updatedAt()))) {
          emit(new Change("job", j.tenantId(), JobView.of(j, fleet.job(j.id()))));
        }
      }
      if (sent.size() > changed.size() * 2 + 1_000) {
        sent.keySet().retainAll(changed.stream().map(Job::id).toList());
      }
      return (Void) null;
    }).onComplete(ar -> polling = false);
  }

  void removed(String jobId, String tenant) {
    sent.remove(jobId);
    emit(new Change("job-removed", tenant, new JsonObject().put("id", jobId).put("tenant", tenant)));
  }

  private void emit(Change change) {
    listeners.forEach(l -> l.accept(change));
  }

  /**
   * The fleet as the jobs routes use it: every {@link Fleet#jobChanged} (which they call after each write)
   * also polls the feed at once, and tells it when the job is gone, so the stream sends the change without
   * waiting for the next tick.
   */
  Fleet notifying(Fleet inner, JobTenants tenants) {
    return new Fleet() {
      @Override
      public Optional<JobLive> job(String jobId) {
        return inner.job(jobId);
      }

      @Override
      public List<WorkerLive> workers() {
        return inner.workers();
      }

      @Override
      public void jobChanged(String jobId) {
        inner.jobChanged(jobId);
        String tenant = tenants.of(jobId);
        context.runOnContext(v -> jobs.get(pool, jobId, false).onSuccess(j -> {
          if (j == null) {
            removed(jobId, tenant);
          } else {
            poll();
          }
        }));
      }

      @Override
      public Future<Void> drain(String workerId) {
        return inner.drain(workerId);
      }

      @Override
      public long heartbeatsReceived() {
        return inner.heartbeatsReceived();
      }

      @Override
      public Runnable subscribe(Consumer<FleetEvent> listener) {
        return inner.subscribe(listener);
      }
    };
  }
}
