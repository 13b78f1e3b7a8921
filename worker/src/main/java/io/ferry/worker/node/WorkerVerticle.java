package io.ferry.worker.node;

import io.ferry.protocol.Addresses;
import io.ferry.protocol.ProtocolVersion;
import io.ferry.protocol.codec.MessageCodec;
import io.ferry.protocol.message.Ack;
import io.ferry.protocol.message.AssignJob;
import io.ferry.protocol.message.DrainWorker;
import io.ferry.protocol.message.Heartbeat;
import io.ferry.protocol.message.Message;
import io.ferry.protocol.message.Nack;
import io.ferry.protocol.message.RegisterWorker;
import io.ferry.protocol.message.RevokeJob;
import io.ferry.protocol.message.VerifyJob;
import io.ferry.protocol.message.VerifyResult;
import io.ferry.protocol.message.WorkerRegistered;
import io.ferry.protocol.model.ErrorInfo;
import io.ferry.protocol.model.JobStatus;
import io.ferry.protocol.model.WorkerState;
import io.ferry.worker.JobListener;
import io.ferry.worker.JobOptions;
import io.ferry.worker.JobRunner;
import io.ferry.worker.JobStats;
import io.ferry.worker.copy.Verifier;
import io.ferry.worker.error.FerryException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A worker node on the event bus: takes {@link AssignJob} / {@link RevokeJob} / {@link DrainWorker} /
 * {@link VerifyJob} at {@code ferry.worker.<nodeId>}, runs each job in a {@link JobRunner} with the assignment's epoch
 * (the destination's checkpoint row fences a stale owner), and publishes a {@link Heartbeat} with every
 * job's state, position, lag and rates each second. It registers with the control plane at start
 * (retrying until one answers) and again whenever the control plane says it does not know the node,
 * so a control plane that was down or restarted finds it. A job fenced at its destination (a newer
 * owner took it) is reported once and dropped. The runners own their threads; this verticle's state
 * is touched only on its event loop, and stopping a runner (which blocks) runs on a worker thread.
 */
public final class WorkerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);
  private static final long HEARTBEAT_MILLIS = 1_000;
  private static final long REGISTER_RETRY_MILLIS = 2_000;
  private static final String FENCED = "FENCED";
  private static final DeliveryOptions REQUEST = new DeliveryOptions().setSendTimeout(5_000);

  private final String nodeId;
  private final int capacity;
  private final Clock clock;
  private final String host;
  private final Instant startedAt;
  private final Map<String, Running> jobs = new HashMap<>();
  private WorkerState state = WorkerState.UP;
  private MessageConsumer<JsonObject> inbox;
  private long timer;
  private boolean registering;
  private boolean registered;

  /** A job this node runs: its runner, epoch, and the figures of the previous heartbeat. */
  private static final class Running {
    final JobRunner runner;
    final long epoch;
    long lastEvents;
    long lastAt;

    Running(JobRunner runner, long epoch, long now) {
      this.runner = runner;
      this.epoch = epoch;
      this.lastAt = now;
    }
  }

  /**
   * @param host how the control plane shows where this node runs
   * @param capacity how many jobs it takes at most
   */
  public WorkerVerticle(String nodeId, String host, int capacity, Clock clock) {
    this.nodeId = nodeId;
    this.host = host;
    this.capacity = capacity;
    this.clock = clock;
    this.startedAt = clock.instant();
  }

  @Override
  public Future<?> start() {
    inbox = vertx.eventBus().consumer(Addresses.worker(nodeId), msg -> msg.reply(MessageCodec.encode(handle(msg.body()))));
    timer = vertx.setPeriodic(HEARTBEAT_MILLIS, id -> heartbeat());
    return inbox.completion().onSuccess(v -> register());
  }

  /** True once a control plane accepted this node's registration (for tests and the launcher). */
  public boolean registered() {
    return registered;
  }

  private void register() {
    if (registering) {
      return;
    }
    registering = true;
    RegisterWorker hello = new RegisterWorker(nodeId, host, capacity, ProtocolVersion.CURRENT, startedAt);
    vertx.eventBus().<JsonObject>request(Addresses.CONTROL_PLANE, MessageCodec.encode(hello), REQUEST)
        .map(reply -> MessageCodec.decode(reply.body()))
        .onComplete(ar -> {
          registering = false;
          if (ar.succeeded() && ar.result() instanceof WorkerRegistered) {
            registered = true;
            LOG.info("node {}: registered with the control plane (capacity {})", nodeId, capacity);
          } else {
            String why = ar.succeeded() ? String.valueOf(ar.result()) : ar.cause().getMessage();
            LOG.warn("node {}: registration not accepted ({}); retrying in {} ms", nodeId, why, REGISTER_RETRY_MILLIS);
            vertx.setTimer(REGISTER_RETRY_MILLIS, id -> register());
          }
        });
  }

  private Message handle(JsonObject body) {
    Message m;
    try {
      m = MessageCodec.decode(body);
    } catch (RuntimeException e) {
      return new Nack(Nack.INVALID, e.getMessage());
    }
    if (m instanceof AssignJob a) {
      return assign(a);
    }
    if (m instanceof RevokeJob r) {
      return revoke(r);
    }
    if (m instanceof VerifyJob v) {
      return verify(v);
    }
    if (m instanceof DrainWorker) {
      state = WorkerState.DRAINING;
      return new Ack();
    }
    if (m instanceof Nack n && Nack.UNKNOWN_WORKER.equals(n.code())) {
      registered = false;
      register();
      return new Ack();
    }
    return new Nack(Nack.INVALID, "a worker does not take " + MessageCodec.typeOf(m));
  }

  private Message assign(AssignJob a) {
    Running current = jobs.get(a.jobId());
    if (current != null && current.epoch >= a.epoch()) {
      return new Nack(Nack.STALE_EPOCH, "job " + a.jobId() + " already runs here with epoch " + current.epoch);
    }
    if (current == null && (state == WorkerState.DRAINING || jobs.size() >= capacity)) {
      return new Nack(Nack.NO_CAPACITY, "node " + nodeId + " is " + (state == WorkerState.DRAINING ? "draining"
          : "full (" + capacity + " jobs)"));
    }
    if (current != null) {
      stopLater(current.runner);
    }
    JobRunner runner;
    try {
      runner = new JobRunner(JobSpecs.toJobConfig(a.jobId(), a.spec()), JobOptions.DEFAULTS.withEpoch(a.epoch()),
          JobListener.NONE);
    } catch (FerryException e) {
      return new Nack(Nack.INVALID, e.getMessage());
    }
    runner.start();
    jobs.put(a.jobId(), new Running(runner, a.epoch(), clock.millis()));
    try (var mdc = MDC.putCloseable("job", a.jobId())) {
      LOG.info("node {}: running job {} with epoch {}", nodeId, a.jobId(), a.epoch());
    }
    return new Ack();
  }

  /** Starts comparing the job's tables on a worker thread; the result goes to the control plane. */
  private Message verify(VerifyJob v) {
    Running current = jobs.get(v.jobId());
    if (current == null || current.epoch != v.epoch()) {
      return new Nack(Nack.UNKNOWN_JOB, "job " + v.jobId() + " does not run on node " + nodeId + " with epoch "
          + v.epoch());
    }
    // Progress goes out at most every 2 s from the verifying thread (the event bus may be used from any thread).
    Verifier.Progress progress = JobVerify.progress(v, clock, p -> vertx.eventBus().send(Addresses.VERIFY,
        MessageCodec.encode(p)));
    vertx.executeBlocking(() -> {
      try (var mdc = MDC.putCloseable("job", v.jobId())) { // the verifier's lines name the job too
        return JobVerify.run(current.runner.job(), v, clock, progress);
      }
    }, false).onComplete(ar -> {
      VerifyResult result = ar.succeeded() ? ar.result() : JobVerify.failed(v, new ErrorInfo("VERIFY_FAILED",
          "job " + v.jobId() + ": verify failed: " + ar.cause(), "Report this; the job itself is not affected.",
          clock.instant(), false), clock);
      try (var mdc = MDC.putCloseable("job", v.jobId())) {
        LOG.info("node {}: verify {} of job {}: {}", nodeId, v.verifyId(), v.jobId(), result.state());
      }
      vertx.eventBus().send(Addresses.VERIFY, MessageCodec.encode(result));
    });
    try (var mdc = MDC.putCloseable("job", v.jobId())) {
      LOG.info("node {}: verifying job {} ({})", nodeId, v.jobId(), v.verifyId());
    }
    return new Ack();
  }

  private Message revoke(RevokeJob r) {
    Running current = jobs.get(r.jobId());
    if (current == null) {
      return new Nack(Nack.UNKNOWN_JOB, "job " + r.jobId() + " does not run on node " + nodeId);
    }
    if (current.epoch > r.epoch()) {
      return new Nack(Nack.STALE_EPOCH, "job " + r.jobId() + " runs with the newer epoch " + current.epoch);
    }
    jobs.remove(r.jobId());
    stopLater(current.runner);
    try (var mdc = MDC.putCloseable("job", r.jobId())) {
      LOG.info("node {}: job {} revoked ({})", nodeId, r.jobId(), r.reason());
    }
    return new Ack();
  }

  private void stopLater(JobRunner runner) {
    runner.stop();
    vertx.executeBlocking(() -> runner.awaitTermination(30, TimeUnit.SECONDS));
  }

  private void heartbeat() {
    long now = clock.millis();
    List<JobStatus> statuses = new ArrayList<>();
    List<String> fenced = new ArrayList<>();
    for (Map.Entry<String, Running> e : jobs.entrySet()) {
      JobStatus status = status(e.getKey(), e.getValue(), now);
      statuses.add(status);
      if (status.error() != null && FENCED.equals(status.error().code())) {
        fenced.add(e.getKey());
      }
    }
    for (String jobId : fenced) {
      try (var mdc = MDC.putCloseable("job", jobId)) {
        LOG.warn("node {}: job {} was taken over by a newer owner; dropping it", nodeId, jobId);
      }
      jobs.remove(jobId);
    }
    vertx.eventBus().publish(Addresses.HEARTBEAT,
        MessageCodec.encode(new Heartbeat(nodeId, clock.instant(), state, statuses)));
  }

  private JobStatus status(String jobId, Running job, long now) {
    JobStats stats = job.runner.stats();
    long rows = stats == null ? 0 : stats.rowsApplied();
    long events = job.runner.binlogEvents();
    double seconds = Math.max(0.001, (now - job.lastAt) / 1000.0);
    double rate = (events - job.lastEvents) / seconds;
    job.lastEvents = events;
    job.lastAt = now;
    FerryException error = job.runner.error();
    ErrorInfo info = error == null ? null : new ErrorInfo(error.code(), error.getMessage(),
        error.remedy() == null ? "" : error.remedy(), clock.instant(), error.retriable());
    return new JobStatus(jobId, job.epoch, JobSpecs.state(job.runner.state()),
        stats == null ? null : JobSpecs.position(stats.position()),
        stats == null ? null : Math.round(stats.lagSeconds()), rows, Math.max(0, rate), info,
        stats == null ? null : JobSpecs.snapshot(stats.copy()), events);
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    List<JobRunner> runners = jobs.values().stream().map(r -> r.runner).toList();
    jobs.clear();
    runners.forEach(JobRunner::stop);
    return inbox.unregister().compose(v -> vertx.executeBlocking(() -> {
      for (JobRunner r : runners) {
        r.awaitTermination(30, TimeUnit.SECONDS);
      }
      return null;
    }));
  }
}
