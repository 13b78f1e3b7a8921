package io.ferry.controlplane.fleet;

import io.ferry.controlplane.store.VerifyStore;
import io.ferry.protocol.Addresses;
import io.ferry.protocol.codec.MessageCodec;
import io.ferry.protocol.message.Ack;
import io.ferry.protocol.message.Message;
import io.ferry.protocol.message.Nack;
import io.ferry.protocol.message.VerifyJob;
import io.ferry.protocol.message.VerifyProgress;
import io.ferry.protocol.message.VerifyResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Verify in the fleet: asks a job's owner to compare the job's tables ({@link VerifyJob}) and keeps
 * the {@link VerifyResult} it sends back in the metadata DB. The comparison itself runs on the worker,
 * which has the job's connections (see {@code io.ferry.worker.copy.Verifier}).
 */
public final class Verifications {
  private static final Logger LOG = LoggerFactory.getLogger(Verifications.class);
  private static final DeliveryOptions REQUEST = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final VerifyStore store;
  private MessageConsumer<JsonObject> results;

  public Verifications(Vertx vertx, VerifyStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  /** Starts taking results. */
  public Future<Void> start() {
    results = vertx.eventBus().consumer(Addresses.VERIFY, msg -> result(msg.body()));
    return results.completion();
  }

  public Future<Void> stop() {
    return results == null ? Future.succeededFuture() : results.unregister();
  }

  /** Asks the job's owner to verify; fails with the worker's reason when it does not run the job. */
  public Future<Void> request(String workerId, long epoch, String jobId, long verifyId) {
    VerifyJob ask = new VerifyJob(jobId, epoch, String.valueOf(verifyId));
    return vertx.eventBus().<JsonObject>request(Addresses.worker(workerId), MessageCodec.encode(ask), REQUEST)
        .map(reply -> {
          Message m = MessageCodec.decode(reply.body());
          if (m instanceof Ack) {
            return null;
          }
          throw new IllegalStateException(m instanceof Nack n ? n.reason() : "unexpected reply " + m);
        });
  }

  /** Records a failed request as the verify's end. */
  public Future<Boolean> failed(long verifyId, String jobId, String code, String message) {
    return store.finish(verifyId, jobId, "error", new JsonObject().put("tables", new JsonArray())
        .put("error", new JsonObject().put("code", code).put("message", message).put("remedy",
            "Make sure the job is RUNNING on a live worker, then verify again.")));
  }

  private void result(JsonObject body) {
    Message m;
    try {
      m = MessageCodec.decode(body);
    } catch (RuntimeException e) {
      LOG.warn("verify: an invalid result was dropped: {}", e.getMessage());
      return;
    }
    if (m instanceof VerifyProgress p) {
      progress(p);
    } else if (m instanceof VerifyResult r) {
      finished(r, body);
    } else {
      LOG.warn("verify: a {} sent to {} was dropped", MessageCodec.typeOf(m), Addresses.VERIFY);
    }
  }

  private void progress(VerifyProgress p) {
    Long id = verifyId(p.verifyId());
    if (id != null) {
      store.progress(id, p.jobId(), new JsonObject().put("tablesDone", p.tablesDone()).put("tablesTotal", p.tablesTotal())
          .put("rowsChecked", p.rowsChecked()).put("currentTable", p.currentTable()).put("at", p.at().toString()))
          .onFailure(e -> LOG.debug("verify {}: progress not stored: {}", id, e.toString()));
    }
  }

  private static Long verifyId(String verifyId) {
    try {
      return Long.parseLong(verifyId);
    } catch (NumberFormatException e) {
      LOG.warn("verify: a message for an unknown verify {} was dropped", verifyId);
      return null;
    }
  }

  private void finished(VerifyResult r, JsonObject body) {
    Long verifyId = verifyId(r.verifyId());
    if (verifyId == null) {
      return;
    }
    long id = verifyId;
    // the message's tables, already validated by the decoder, are the report's shape
    JsonObject report = new JsonObject().put("tables", body.getJsonArray("tables").copy());
    if (r.error() != null) {
      report.put("error", new JsonObject().put("code", r.error().code()).put("message", r.error().message())
          .put("remedy", r.error().remedy()));
    }
    store.finish(id, r.jobId(), r.state(), report).onComplete(ar -> {
      try (var mdc = MDC.putCloseable("job", r.jobId())) { // the job id on every line about a job
        if (ar.failed()) {
          LOG.warn("verify {} of job {}: the result could not be stored: {}", id, r.jobId(), ar.cause().toString());
        } else {
          LOG.info("verify {} of job {}: {}", id, r.jobId(), r.state());
        }
      }
    });
  }
}
