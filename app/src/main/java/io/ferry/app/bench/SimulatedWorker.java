package io.ferry.app.bench;

import io.ferry.protocol.Addresses;
import io.ferry.protocol.ProtocolVersion;
import io.ferry.protocol.codec.MessageCodec;
import io.ferry.protocol.message.Ack;
import io.ferry.protocol.message.AssignJob;
import io.ferry.protocol.message.Heartbeat;
import io.ferry.protocol.message.Message;
import io.ferry.protocol.message.Nack;
import io.ferry.protocol.message.RegisterWorker;
import io.ferry.protocol.message.RevokeJob;
import io.ferry.protocol.model.JobState;
import io.ferry.protocol.model.JobStatus;
import io.ferry.protocol.model.Position;
import io.ferry.protocol.model.WorkerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A worker that speaks the real protocol on the real event bus but runs no replication: it accepts
 * assignments and revocations and reports each of its jobs RUNNING with an advancing position every
 * second. It lets the fleet benchmark load the control plane with many jobs and workers cheaply.
 */
public final class SimulatedWorker extends VerticleBase {
  private final String nodeId;
  private final int capacity;
  private final Map<String, Long> jobs = new HashMap<>();
  private MessageConsumer<JsonObject> inbox;
  private long timer;
  private long tick;
  private volatile long sent;
  private boolean dead;

  public SimulatedWorker(String nodeId, int capacity) {
    this.nodeId = nodeId;
    this.capacity = capacity;
  }

  @Override
  public Future<?> start() {
    inbox = vertx.eventBus().consumer(Addresses.worker(nodeId), msg -> msg.reply(MessageCodec.encode(handle(msg.body()))));
    return inbox.completion().compose(v -> register()).onSuccess(v ->
        timer = vertx.setPeriodic(1_000, id -> heartbeat()));
  }

  private Future<Void> register() {
    RegisterWorker hello = new RegisterWorker(nodeId, "127.0.0.1", capacity, ProtocolVersion.CURRENT, Instant.now());
    return vertx.eventBus().<JsonObject>request(Addresses.CONTROL_PLANE, MessageCodec.encode(hello))
        .recover(e -> vertx.timer(1_000).compose(t -> vertx.eventBus().request(Addresses.CONTROL_PLANE,
            MessageCodec.encode(hello))))
        .mapEmpty();
  }

  private Message handle(JsonObject body) {
    Message m = MessageCodec.decode(body);
    if (m instanceof AssignJob a) {
      jobs.put(a.jobId(), a.epoch());
      return new Ack();
    }
    if (m instanceof RevokeJob r) {
      jobs.remove(r.jobId());
      return new Ack();
    }
    return m instanceof Nack ? new Ack() : new Nack(Nack.INVALID, "not simulated");
  }

  /**
   * From now on a heartbeat every {@code millis} (1,000 is the real workers' pace); each carries every
   * job's status as usual. Runs on this verticle's context.
   */
  Future<Void> beatEvery(long millis) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      if (!dead) {
        vertx.cancelTimer(timer);
        timer = vertx.setPeriodic(millis, id -> heartbeat());
      }
      done.complete();
    });
    return done.future();
  }

  /** Heartbeats published so far. */
  long sent() {
    return sent;
  }

  private void heartbeat() {
    tick++;
    sent++;
    List<JobStatus> statuses = new ArrayList<>();
    jobs.forEach((id, epoch) -> statuses.add(new JobStatus(id, epoch, JobState.RUNNING,
        new Position("mysql-bin.000001", 4 + tick * 1_000, ""), 0L, tick * 10, 10.0, null)));
    vertx.eventBus().publish(Addresses.HEARTBEAT,
        MessageCodec.encode(new Heartbeat(nodeId, Instant.now(), WorkerState.UP, statuses)));
  }

  /** Dies: no more heartbeats, no more answers (as a killed process would). */
  Future<Void> die() {
    Promise<Void> stopped = Promise.promise();
    context.runOnContext(v -> {
      dead = true;
      vertx.cancelTimer(timer);
      stopped.complete();
    });
    return stopped.future().compose(v -> inbox.unregister());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
