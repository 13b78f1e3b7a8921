package io.ferry.controlplane.fleet;

import io.ferry.controlplane.fleet.FleetStore.ConnectionRow;
import io.ferry.controlplane.fleet.FleetStore.JobRow;
import io.ferry.protocol.Addresses;
import io.ferry.protocol.codec.MessageCodec;
import io.ferry.protocol.message.Ack;
import io.ferry.protocol.message.AssignJob;
import io.ferry.protocol.message.Message;
import io.ferry.protocol.message.RevokeJob;
import io.ferry.protocol.model.ConnectionSpec;
import io.ferry.protocol.model.ErrorInfo;
import io.ferry.protocol.model.JobSpec;
import io.ferry.protocol.model.JobState;
import io.ferry.protocol.model.TlsMode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's conversations with workers: giving a job (claim the next epoch in the metadata DB,
 * then send the assignment with the connections' passwords opened), taking one back, and telling a
 * worker to drop a job it runs without owning it. A job with a conversation in flight is busy and
 * left alone by the scheduler's ticks.
 */
final class Assignments {
  private static final Logger LOG = LoggerFactory.getLogger(Assignments.class);
  /** A stale job is revoked at most this often per worker, while its heartbeats keep listing it. */
  private static final long STALE_REVOKE_MILLIS = 3_000;

  private final FleetStore store;
  private final Scheduler.Sealed secrets;
  private final DeliveryOptions request;
  private final Set<String> busy = new HashSet<>();
  /** The worker each job in the middle of a placement is going to. */
  private final Map<String, String> placing = new HashMap<>();
  private final Map<String, Long> staleRevoked = new HashMap<>();
  private Vertx vertx;

  private final Consumer<String> unreachable;

  /** @param unreachable told the id of a worker that a message could not reach (no handler, or no answer) */
  Assignments(FleetStore store, Scheduler.Sealed secrets, SchedulerSettings settings, Consumer<String> unreachable) {
    this.store = store;
    this.unreachable = unreachable;
    this.secrets = secrets;
    this.request = new DeliveryOptions().setSendTimeout(settings.assignTimeout().toMillis());
  }

  void bind(Vertx vertx) {
    this.vertx = vertx;
  }

  boolean busy(String jobId) {
    return busy.contains(jobId);
  }

  /** The target of every placement in flight, by job id (a view; read on the scheduler's event loop). */
  Map<String, String> placing() {
    return java.util.Collections.unmodifiableMap(placing);
  }

  /**
   * Gives {@code row}'s job to {@code target} with the next epoch; the previous owner, if live, is
   * told to stop (it would be fenced at the destination anyway). Completes with the new epoch, or
   * null when the job changed meanwhile or the worker refused (the next tick tries again).
   * {@code onClaimed} runs once the metadata DB holds the new owner, before the worker is asked, so
   * the worker's first heartbeat with the new epoch already matches.
   */
  Future<Long> assign(JobRow row, String target, String previousOwner, Consumer<Long> onClaimed) {
    busy.add(row.id());
    placing.put(row.id(), target);
    long epoch = row.epoch() + 1;
    return spec(row).compose(spec -> store.claim(row.id(), row.epoch(), target).compose(claimed -> {
      if (!claimed) {
        return Future.succeededFuture((Long) null);
      }
      onClaimed.accept(epoch);
      JobLog.about(row.id(), () -> LOG.info("scheduler: job {} -> worker {} (epoch {}{})", row.id(), target,
          epoch, previousOwner == null || previousOwner.equals(target) ? "" : ", from " + previousOwner));
      store.event(row.id(), "ASSIGNED", epoch, target);
      if (previousOwner != null && !previousOwner.equals(target)) {
        send(previousOwner, new RevokeJob(row.id(), row.epoch(), "moved to " + target));
      }
      return ask(target, new AssignJob(row.id(), epoch, row.tenantId(), spec)).compose(reply -> {
        if (reply instanceof Ack) {
          return Future.succeededFuture(epoch);
        }
        JobLog.about(row.id(), () -> LOG.warn("scheduler: worker {} refused job {}: {}", target, row.id(),
            reply));
        return store.release(row.id(), epoch, null).map((Long) null);
      }, e -> {
        JobLog.about(row.id(), () -> LOG.warn("scheduler: worker {} did not take job {}: {}", target, row.id(),
            e.getMessage()));
        if (e instanceof ReplyException r && r.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
          unreachable.accept(target);
        }
        return store.release(row.id(), epoch, null).map((Long) null);
      });
    }), e -> {
      ErrorInfo error = new ErrorInfo("JOB_DEFINITION", "job " + row.id() + " cannot be assigned: " + e.getMessage(),
          "Check the job's connections (re-enter their passwords if the secret key changed).", Instant.now(), false);
      JobLog.about(row.id(), () -> LOG.warn("scheduler: {}", error.message()));
      return store.fail(row.id(), row.epoch(), error).map((Long) null);
    }).onComplete(ar -> {
      busy.remove(row.id());
      placing.remove(row.id());
    });
  }

  /**
   * Takes a job off its owner: revokes it there (when the owner is live) and clears the owner in the
   * metadata DB, setting {@code state} if not null.
   */
  Future<Void> release(JobRow row, boolean ownerLive, JobState state, String reason) {
    busy.add(row.id());
    Future<Message> revoked = ownerLive
        ? ask(row.workerId(), new RevokeJob(row.id(), row.epoch(), reason)).recover(e -> Future.succeededFuture(null))
        : Future.succeededFuture(null);
    return revoked.compose(reply -> store.release(row.id(), row.epoch(), state)).compose(done -> {
      JobLog.about(row.id(), () -> LOG.info("scheduler: job {} taken off worker {} ({})", row.id(),
          row.workerId(), reason));
      return store.event(row.id(), state == null ? "RELEASED" : state.name(), row.epoch(), reason);
    }).onComplete(ar -> busy.remove(row.id()));
  }

  /** Tells a worker to drop a job it reports but does not own (a stale epoch, or a job it lost). */
  void revokeStale(String workerId, String jobId, long epoch, long now) {
    String key = workerId + "/" + jobId;
    Long last = staleRevoked.get(key);
    if (last != null && now - last < STALE_REVOKE_MILLIS) {
      return;
    }
    staleRevoked.put(key, now);
    staleRevoked.values().removeIf(t -> now - t > 10 * STALE_REVOKE_MILLIS);
    JobLog.about(jobId, () -> LOG.info("scheduler: worker {} still runs job {} with stale epoch {}; revoking",
        workerId, jobId, epoch));
    send(workerId, new RevokeJob(jobId, epoch, "no longer the owner"));
  }

  /** Sends without waiting for the answer (a worker that is gone simply does not answer). */
  void send(String workerId, Message m) {
    ask(workerId, m).onFailure(e -> LOG.debug("scheduler: {} to {} failed: {}", MessageCodec.typeOf(m), workerId,
        e.getMessage()));
  }

  private Future<Message> ask(String workerId, Message m) {
    return vertx.eventBus().<JsonObject>request(Addresses.worker(workerId), MessageCodec.encode(m), request)
        .map(reply -> MessageCodec.decode(reply.body()));
  }

  private Future<JobSpec> spec(JobRow row) {
    return Future.all(store.spec(row.id()), store.connection(row.sourceId()), store.connection(row.destinationId()))
        .map(all -> {
          ConnectionRow source = all.resultAt(1);
          ConnectionRow destination = all.resultAt(2);
          return JobDefinitions.toSpec(new JsonObject((String) all.resultAt(0)), open(source), open(destination));
        });
  }

  private ConnectionSpec open(ConnectionRow c) {
    return new ConnectionSpec(c.host(), c.port(), c.user(), secrets.open(c.passwordSealed(), c.id()),
        TlsMode.valueOf(c.tls().toUpperCase(Locale.ROOT).replace('-', '_')), c.ca());
  }
}
