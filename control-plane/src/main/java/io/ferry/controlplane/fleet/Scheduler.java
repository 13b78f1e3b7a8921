package io.ferry.controlplane.fleet;

import io.ferry.controlplane.fleet.FleetStore.JobRow;
import io.ferry.controlplane.fleet.WorkerRegistry.Worker;
import io.ferry.protocol.Addresses;
import io.ferry.protocol.ProtocolVersion;
import io.ferry.protocol.codec.MessageCodec;
import io.ferry.protocol.message.DrainWorker;
import io.ferry.protocol.message.Heartbeat;
import io.ferry.protocol.message.Message;
import io.ferry.protocol.message.Nack;
import io.ferry.protocol.message.RegisterWorker;
import io.ferry.protocol.message.WorkerRegistered;
import io.ferry.protocol.model.JobState;
import io.ferry.protocol.model.JobStatus;
import io.ferry.protocol.model.WorkerState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places jobs on workers and keeps them there. It learns workers from their registration and
 * heartbeats, and every tick reconciles the jobs table (what operators asked for) with the fleet:
 * places jobs that should run and have no live owner, takes back jobs that should not run, moves the
 * jobs of lost and draining workers, and evens out the load one job at a time when a worker joins.
 * Every placement raises the job's epoch first (see {@link FleetStore#claim}), so the previous owner,
 * if it is still alive somewhere, is fenced at the destination.
 *
 * <p>All state lives on this verticle's event loop; the {@link Fleet} methods the HTTP API calls from
 * other event loops read concurrent snapshots or hop onto it.
 */
public final class Scheduler extends VerticleBase implements Fleet {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  /** How long an unreachable worker gets no new jobs; a Hazelcast merge takes up to 30 s. */
  private static final long UNREACHABLE_MILLIS = 30_000;

  private final FleetStore store;
  private final Assignments assignments;
  private final SchedulerSettings settings;
  private final Clock clock;
  private final WorkerRegistry workers = new WorkerRegistry();
  private final Map<String, JobRow> jobs = new LinkedHashMap<>();
  /** When each job was last given to its current owner, to tell "not started yet" from "lost". */
  private final Map<String, Long> assignedAt = new HashMap<>();
  private final Map<String, JobLive> live = new ConcurrentHashMap<>();
  private final Map<String, JobLive> unmirrored = new LinkedHashMap<>();
  private final List<Consumer<FleetEvent>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong heartbeats = new AtomicLong();
  private volatile List<WorkerLive> workerView = List.of();
  private Context context;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private long timer;
  private boolean ticking;
  private boolean tickAgain;
  private long lastFailureLog;

  public Scheduler(Pool pool, Sealed secrets, SchedulerSettings settings, Clock clock) {
    this.store = new FleetStore(pool);
    this.settings = settings;
    this.clock = clock;
    this.assignments = new Assignments(store, secrets, settings, this::unreachable);
  }

  /** How the scheduler opens a connection's sealed password ({@code SecretBox::open}). */
  @FunctionalInterface
  public interface Sealed {
    String open(byte[] sealed, String recordId);
  }

  @Override
  public Future<?> start() {
    context = vertx.getOrCreateContext();
    assignments.bind(vertx);
    return store.workers().onSuccess(rows -> workers.load(rows, clock.millis())).compose(v -> {
      long now = clock.millis();
      consumers.add(vertx.eventBus().consumer(Addresses.CONTROL_PLANE, msg -> register(msg)));
      consumers.add(vertx.eventBus().consumer(Addresses.HEARTBEAT, msg -> heartbeat(msg.body())));
      timer = vertx.setPeriodic(settings.tick().toMillis(), id -> tick());
      return store.jobs().onSuccess(rows -> rows.forEach(r -> {
        jobs.put(r.id(), r);
        if (r.workerId() != null) {
          assignedAt.put(r.id(), now);
        }
      }));
    }).compose(v -> Future.join(consumers.stream().map(MessageConsumer::completion).toList()))
        .onSuccess(v -> LOG.info("scheduler: {} jobs, {} known workers", jobs.size(), workers.all().size()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  @Override
  public Optional<JobLive> job(String jobId) {
    return Optional.ofNullable(live.get(jobId));
  }

  @Override
  public List<WorkerLive> workers() {
    return workerView;
  }

  @Override
  public void jobChanged(String jobId) {
    context.runOnContext(v -> tick());
  }

  @Override
  public Future<Void> drain(String workerId) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      Worker w = workers.get(workerId);
      if (w == null) {
        done.fail(new NoSuchElementException("no worker " + workerId));
        return;
      }
      w.state = WorkerState.DRAINING;
      LOG.info("scheduler: draining worker {}", workerId);
      assignments.send(workerId, new DrainWorker(workerId, "drain requested"));
      store.workerState(workerId, WorkerState.DRAINING).onComplete(ar -> {
        publishWorkers();
        tick();
        done.handle(ar);
      });
    });
    return done.future();
  }

  @Override
  public long heartbeatsReceived() {
    return heartbeats.get();
  }

  @Override
  public Runnable subscribe(Consumer<FleetEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void emit(FleetEvent event) {
    for (Consumer<FleetEvent> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("scheduler: a fleet listener failed", e);
      }
    }
  }

  private void register(io.vertx.core.eventbus.Message<JsonObject> msg) {
    Message m;
    try {
      m = MessageCodec.decode(msg.body());
    } catch (RuntimeException e) {
      msg.reply(MessageCodec.encode(new Nack(Nack.INVALID, e.getMessage())));
      return;
    }
    if (!(m instanceof RegisterWorker r)) {
      msg.reply(MessageCodec.encode(new Nack(Nack.INVALID, "the control plane takes RegisterWorker here")));
      return;
    }
    if (!ProtocolVersion.isCompatible(r.protocolVersion())) {
      msg.reply(MessageCodec.encode(new Nack(Nack.INCOMPATIBLE_VERSION, "this control plane speaks protocol "
          + ProtocolVersion.describe() + ", the worker " + r.protocolVersion())));
      return;
    }
    store.registerWorker(r.nodeId(), r.host(), r.capacity(), r.protocolVersion(), r.startedAt()).onComplete(ar -> {
      if (ar.failed()) {
        msg.reply(MessageCodec.encode(new Nack("METADATA_UNAVAILABLE", "the metadata database is unavailable")));
        return;
      }
      Worker w = workers.register(r, clock.millis());
      LOG.info("scheduler: worker {} at {} registered (capacity {})", w.id, w.host, w.capacity);
      msg.reply(MessageCodec.encode(new WorkerRegistered(r.nodeId(), ProtocolVersion.CURRENT,
          WorkerRegistered.DEFAULT_HEARTBEAT_SECONDS, clock.instant())));
      publishWorkers();
      tick();
    });
  }

  private void heartbeat(JsonObject body) {
    Heartbeat h;
    try {
      h = (Heartbeat) MessageCodec.decode(body);
    } catch (RuntimeException e) {
      LOG.warn("scheduler: an invalid heartbeat was dropped: {}", e.getMessage());
      return;
    }
    heartbeats.incrementAndGet();
    WorkerState before = Optional.ofNullable(workers.get(h.nodeId())).map(w -> w.state).orElse(null);
    Worker w = workers.heard(h, clock.millis());
    if (w == null) {
      assignments.send(h.nodeId(), new Nack(Nack.UNKNOWN_WORKER, "register first"));
      return;
    }
    if (before != w.state) {
      if (before == WorkerState.LOST) {
        w.noJobsUntil = Math.max(w.noJobsUntil, clock.millis() + settings.lease().toMillis() * 3);
      }
      LOG.info("scheduler: worker {} is {} again", w.id, w.state);
      store.workerState(w.id, w.state);
      publishWorkers();
    }
    for (JobStatus s : h.jobs()) {
      JobRow row = jobs.get(s.jobId());
      if (row == null || !w.id.equals(row.workerId()) || row.epoch() != s.epoch()) {
        assignments.revokeStale(w.id, s.jobId(), s.epoch(), clock.millis());
        continue;
      }
      reported(row, s);
    }
  }

  /** The current owner's report of a job. */
  private void reported(JobRow row, JobStatus s) {
    JobLive now = new JobLive(row.id(), row.tenantId(), row.workerId(), s.epoch(), s.state(), s.position(),
        s.lagSeconds(), s.rowsApplied(), s.eventsPerSecond(), s.error(), clock.instant(), s.snapshot(),
        s.binlogEvents());
    JobLive before = live.put(row.id(), now);
    boolean stateChanged = row.state() != s.state() || before == null
        || !Objects.equals(before.error() == null ? null : before.error().code(),
            s.error() == null ? null : s.error().code());
    if (stateChanged) {
      jobs.put(row.id(), row.withState(s.state()));
      store.reportState(row.id(), row.epoch(), row.workerId(), s.state(), s.error());
      if (s.state() == JobState.ERROR && s.error() != null) {
        JobLog.about(row.id(), () -> LOG.warn("scheduler: job {} failed on {}: {} {}", row.id(), row.workerId(),
            s.error().code(), s.error().message()));
        store.event(row.id(), "ERROR", row.epoch(), s.error().code() + ": " + s.error().message());
      }
    }
    if (s.position() != null && (before == null || !s.position().equals(before.position())
        || !Objects.equals(before.lagSeconds(), s.lagSeconds()))) {
      unmirrored.put(row.id(), now);
    }
    emit(FleetEvent.of(now));
  }

  private void tick() {
    if (ticking) {
      tickAgain = true;
      return;
    }
    ticking = true;
    long now = clock.millis();
    for (Worker w : workers.expire(now, settings.lease().toMillis())) {
      LOG.warn("scheduler: worker {} lost (no heartbeat for {} ms); moving its jobs", w.id, now - w.heardAt);
      store.workerState(w.id, WorkerState.LOST);
    }
    store.jobs().compose(rows -> {
      Map<String, JobRow> fresh = new LinkedHashMap<>();
      rows.forEach(r -> fresh.put(r.id(), r));
      jobs.keySet().retainAll(fresh.keySet());
      live.keySet().retainAll(fresh.keySet());
      // A read that began before a claim committed must not undo it: epochs only grow.
      fresh.values().forEach(r -> jobs.merge(r.id(), r, (old, neu) -> neu.epoch() >= old.epoch() ? neu : old));
      reconcile(now);
      return flush();
    }).onComplete(ar -> {
      if (ar.failed() && clock.millis() - lastFailureLog > 10_000) {
        lastFailureLog = clock.millis();
        LOG.warn("scheduler: tick failed (jobs keep running on their workers): {}", ar.cause().toString());
      }
      publishWorkers();
      ticking = false;
      if (tickAgain) {
        tickAgain = false;
        tick();
      }
    });
  }

  /**
   * Starts what the jobs table asks for. Conversations with workers run on in the background (the
   * job is busy meanwhile), so one unresponsive worker never holds up the next tick's loss detection.
   */
  private void reconcile(long now) {
    Map<String, Integer> load = workers.jobCounts(jobs.values());
    // A placement still on its way (its claim not yet in the jobs map) counts for its target: jobs
    // created in a burst would otherwise all go to the same worker and be moved again one by one.
    assignments.placing().forEach((jobId, target) -> {
      JobRow r = jobs.get(jobId);
      if (r == null || !target.equals(r.workerId())) {
        load.merge(target, 1, Integer::sum);
      }
    });
    boolean acted = false;
    for (JobRow row : List.copyOf(jobs.values())) {
      if (assignments.busy(row.id())) {
        acted = true;
        continue;
      }
      Worker owner = workers.get(row.workerId());
      boolean ownerLive = owner != null && owner.live();
      if (!"RUNNING".equals(row.desired())) {
        JobState target = JobState.valueOf(row.desired());
        if (row.workerId() != null) {
          release(row, ownerLive, target, "job " + target.name().toLowerCase(Locale.ROOT) + " by an operator");
          acted = true;
        } else if (row.state() != target && !(row.state() == JobState.CREATED && target == JobState.STOPPED)) {
          store.release(row.id(), row.epoch(), target);
        }
      } else if (row.state() == JobState.ERROR) {
        if (row.workerId() != null) {
          release(row, ownerLive, null, "job failed");
          acted = true;
        }
      } else if (!ownerLive || missing(owner, row, now) || owner.state == WorkerState.DRAINING) {
        Optional<String> target = Placement.choose(workers.candidates(load, now));
        if (target.isPresent()) {
          load.merge(target.get(), 1, Integer::sum);
          place(row, target.get(), ownerLive ? owner.id : null);
          acted = true;
        }
      }
    }
    if (!acted) {
      Placement.rebalance(workers.candidates(load, now)).flatMap(move -> jobs.values().stream()
          .filter(r -> move.from().equals(r.workerId()) && "RUNNING".equals(r.desired())
              && r.state() != JobState.ERROR)
          .findFirst().map(r -> place(r, move.to(), move.from())));
    }
  }

  private void unreachable(String workerId) {
    Worker w = workers.get(workerId);
    if (w != null) {
      w.noJobsUntil = clock.millis() + UNREACHABLE_MILLIS;
      LOG.warn("scheduler: worker {} cannot be reached; no new jobs go there for {} s", workerId,
          UNREACHABLE_MILLIS / 1000);
    }
  }

  /**
   * Whether a live owner has stopped reporting a job it was given a while ago (it restarted, or its
   * runner was dropped): a heartbeat that arrived well after the assignment does not list it.
   */
  private boolean missing(Worker owner, JobRow row, long now) {
    long since = assignedAt.getOrDefault(row.id(), now);
    return owner.reportedAt > since + settings.lease().toMillis() && !owner.reported.containsKey(row.id());
  }

  private Future<?> place(JobRow row, String target, String previousOwner) {
    return assignments.assign(row, target, previousOwner, epoch -> {
      jobs.put(row.id(), row.ownedBy(target, epoch));
      assignedAt.put(row.id(), clock.millis());
      live.remove(row.id());
      // The API reads the owner from the metadata DB, which holds it now: the worker view follows at once.
      publishWorkers();
    });
  }

  private Future<?> release(JobRow row, boolean ownerLive, JobState state, String reason) {
    return assignments.release(row, ownerLive, state, reason).onSuccess(v -> {
      jobs.computeIfPresent(row.id(), (id, r) -> r.epoch() != row.epoch() ? r
          : r.withState(state == null ? r.state() : state).ownedBy(null, r.epoch()));
      live.remove(row.id());
      assignedAt.remove(row.id());
      publishWorkers();
    });
  }

  private Future<Void> flush() {
    List<JobLive> batch = new ArrayList<>(unmirrored.values());
    unmirrored.clear();
    Future<Void> mirrored = store.mirror(batch).onFailure(e -> batch.forEach(j -> unmirrored.putIfAbsent(j.jobId(), j)));
    return Future.join(mirrored, store.touchWorkers(workers.drainHeard())).mapEmpty();
  }

  private void publishWorkers() {
    List<WorkerLive> view = workers.views(jobs.values());
    if (!view.equals(workerView)) {
      List<WorkerLive> before = workerView;
      workerView = view;
      view.stream().filter(v -> !before.contains(v)).forEach(v -> emit(FleetEvent.of(v)));
    }
  }
}
