package io.ferry.protocol.codec;

import io.ferry.protocol.InvalidFieldException;
import io.ferry.protocol.ProtocolException;
import io.ferry.protocol.ProtocolException.Reason;
import io.ferry.protocol.ProtocolVersion;
import io.ferry.protocol.message.Ack;
import io.ferry.protocol.message.AssignJob;
import io.ferry.protocol.message.Checkpoint;
import io.ferry.protocol.message.DrainWorker;
import io.ferry.protocol.message.Heartbeat;
import io.ferry.protocol.message.JobError;
import io.ferry.protocol.message.Message;
import io.ferry.protocol.message.Nack;
import io.ferry.protocol.message.RegisterWorker;
import io.ferry.protocol.message.RevokeJob;
import io.ferry.protocol.message.VerifyJob;
import io.ferry.protocol.message.VerifyProgress;
import io.ferry.protocol.message.VerifyResult;
import io.ferry.protocol.message.WorkerRegistered;
import io.ferry.protocol.model.WorkerState;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The wire contract: every message is a JSON object with a {@code "type"} discriminator (see
 * {@link #TYPES}), the protocol version {@code "v"}, and the record's components under their own
 * names. Times are ISO-8601 strings, enums their names, nullable components {@code null}.
 *
 * <p>{@link #decode} rejects, with a {@link ProtocolException} naming the field, an unknown type, a
 * missing or wrong-typed field, an invalid value and an incompatible version; unknown fields are
 * ignored, so a field can be added without a version change.
 *
 * <p>The JSON of an {@link AssignJob} holds connection passwords in clear (the event bus is TLS):
 * never log it; log the record (its {@code toString()} masks them) or {@link #redact(JsonObject)}.
 * Nothing here logs.
 */
public final class MessageCodec {
  /** The {@code "type"} of each message. */
  public static final Map<Class<? extends Message>, String> TYPES = Map.ofEntries(
      Map.entry(RegisterWorker.class, "register-worker"),
      Map.entry(WorkerRegistered.class, "worker-registered"),
      Map.entry(Heartbeat.class, "heartbeat"),
      Map.entry(AssignJob.class, "assign-job"),
      Map.entry(RevokeJob.class, "revoke-job"),
      Map.entry(Checkpoint.class, "checkpoint"),
      Map.entry(JobError.class, "job-error"),
      Map.entry(DrainWorker.class, "drain-worker"),
      Map.entry(VerifyJob.class, "verify-job"),
      Map.entry(VerifyResult.class, "verify-result"),
      Map.entry(VerifyProgress.class, "verify-progress"),
      Map.entry(Ack.class, "ack"),
      Map.entry(Nack.class, "nack"));

  /** What {@link #redact(JsonObject)} puts in place of a password. */
  public static final String MASK = "****";

  private MessageCodec() {}

  /** The {@code "type"} discriminator of a message. */
  public static String typeOf(Message message) {
    return TYPES.get(message.getClass());
  }

  /** Encodes a message with the current protocol version. */
  public static JsonObject encode(Message message) {
    JsonObject json = new JsonObject().put("type", typeOf(message)).put("v", ProtocolVersion.CURRENT);
    if (message instanceof RegisterWorker m) {
      json.put("nodeId", m.nodeId()).put("host", m.host()).put("capacity", m.capacity())
          .put("protocolVersion", m.protocolVersion()).put("startedAt", m.startedAt().toString());
    } else if (message instanceof WorkerRegistered m) {
      json.put("nodeId", m.nodeId()).put("protocolVersion", m.protocolVersion())
          .put("heartbeatSeconds", m.heartbeatSeconds()).put("at", m.at().toString());
    } else if (message instanceof Heartbeat m) {
      JsonArray jobs = new JsonArray();
      m.jobs().forEach(job -> jobs.add(ModelJson.jobStatus(job)));
      json.put("nodeId", m.nodeId()).put("sentAt", m.sentAt().toString()).put("state", m.state().name())
          .put("jobs", jobs);
    } else if (message instanceof AssignJob m) {
      json.put("jobId", m.jobId()).put("epoch", m.epoch()).put("tenantId", m.tenantId())
          .put("spec", ModelJson.jobSpec(m.spec()));
    } else if (message instanceof RevokeJob m) {
      json.put("jobId", m.jobId()).put("epoch", m.epoch()).put("reason", m.reason());
    } else if (message instanceof Checkpoint m) {
      json.put("jobId", m.jobId()).put("epoch", m.epoch()).put("position", ModelJson.position(m.position()))
          .put("at", m.at().toString());
    } else if (message instanceof JobError m) {
      json.put("jobId", m.jobId()).put("epoch", m.epoch()).put("code", m.code()).put("message", m.message())
          .put("remedy", m.remedy()).put("at", m.at().toString()).put("retriable", m.retriable());
    } else if (message instanceof DrainWorker m) {
      json.put("nodeId", m.nodeId()).put("reason", m.reason());
    } else if (message instanceof VerifyJob m) {
      json.put("jobId", m.jobId()).put("epoch", m.epoch()).put("verifyId", m.verifyId());
    } else if (message instanceof VerifyResult m) {
      JsonArray tables = new JsonArray();
      m.tables().forEach(t -> tables.add(ModelJson.verifyTable(t)));
      json.put("jobId", m.jobId()).put("verifyId", m.verifyId()).put("state", m.state()).put("tables", tables)
          .put("error", m.error() == null ? null : ModelJson.error(m.error())).put("at", m.at().toString());
    } else if (message instanceof VerifyProgress m) {
      json.put("jobId", m.jobId()).put("verifyId", m.verifyId()).put("tablesDone", m.tablesDone())
          .put("tablesTotal", m.tablesTotal()).put("rowsChecked", m.rowsChecked()).put("currentTable", m.currentTable())
          .put("at", m.at().toString());
    } else if (message instanceof Nack m) {
      json.put("code", m.code()).put("reason", m.reason());
    } else if (!(message instanceof Ack)) {
      throw new IllegalArgumentException("no encoding for " + message.getClass().getName());
    }
    return json;
  }

  /**
   * Decodes a message.
   *
   * @throws ProtocolException when the JSON is not a valid message of a compatible version
   */
  public static Message decode(JsonObject json) {
    if (json == null) {
      throw new ProtocolException(Reason.MALFORMED, null, "message is null");
    }
    Fields f = new Fields(json, "");
    String type = f.string("type");
    ProtocolVersion.requireCompatible(f.int32("v"));
    return switch (type) {
      case "register-worker" -> construct(f, () -> new RegisterWorker(f.string("nodeId"), f.string("host"),
          f.int32("capacity"), f.int32("protocolVersion"), f.instant("startedAt")));
      case "worker-registered" -> construct(f, () -> new WorkerRegistered(f.string("nodeId"),
          f.int32("protocolVersion"), f.int32("heartbeatSeconds"), f.instant("at")));
      case "heartbeat" -> construct(f, () -> new Heartbeat(f.string("nodeId"), f.instant("sentAt"),
          f.enumValue("state", WorkerState.class), f.objects("jobs").stream().map(ModelJson::jobStatus).toList()));
      case "assign-job" -> construct(f, () -> new AssignJob(f.string("jobId"), f.int64("epoch"),
          f.string("tenantId"), ModelJson.jobSpec(f.object("spec"))));
      case "revoke-job" -> construct(f, () -> new RevokeJob(f.string("jobId"), f.int64("epoch"), f.string("reason")));
      case "checkpoint" -> construct(f, () -> new Checkpoint(f.string("jobId"), f.int64("epoch"),
          ModelJson.position(f.object("position")), f.instant("at")));
      case "job-error" -> construct(f, () -> new JobError(f.string("jobId"), f.int64("epoch"), f.string("code"),
          f.string("message"), f.string("remedy"), f.instant("at"), f.bool("retriable")));
      case "drain-worker" -> construct(f, () -> new DrainWorker(f.string("nodeId"), f.string("reason")));
      case "verify-job" -> construct(f, () -> new VerifyJob(f.string("jobId"), f.int64("epoch"), f.string("verifyId")));
      case "verify-result" -> construct(f, () -> {
        Fields error = f.optObject("error");
        return new VerifyResult(f.string("jobId"), f.string("verifyId"), f.string("state"),
            f.objects("tables").stream().map(ModelJson::verifyTable).toList(),
            error == null ? null : ModelJson.error(error), f.instant("at"));
      });
      case "verify-progress" -> construct(f, () -> new VerifyProgress(f.string("jobId"), f.string("verifyId"),
          f.int32("tablesDone"), f.int32("tablesTotal"), f.int64("rowsChecked"), f.optString("currentTable"),
          f.instant("at")));
      case "ack" -> new Ack();
      case "nack" -> construct(f, () -> new Nack(f.string("code"), f.string("reason")));
      default -> throw new ProtocolException(Reason.UNKNOWN_TYPE, "type", "unknown message type \""
          + (type.length() > 40 ? type.substring(0, 40) + "..." : type) + "\"; known: " + TYPES.values().stream().sorted().toList());
    };
  }

  /**
   * Decodes a message from JSON bytes.
   *
   * @throws ProtocolException (reason MALFORMED) when the bytes are not a JSON object; the message then
   *     quotes nothing of the payload, which may hold a password
   */
  public static Message decode(Buffer bytes) {
    JsonObject json;
    try {
      json = new JsonObject(bytes);
    } catch (RuntimeException e) {
      throw new ProtocolException(Reason.MALFORMED, null, "message is not a JSON object");
    }
    return decode(json);
  }

  /**
   * A copy of encoded JSON that is safe to log: every {@code "password"} field, at any depth, is
   * replaced by {@link #MASK}.
   */
  public static JsonObject redact(JsonObject json) {
    JsonObject copy = json.copy();
    redactInPlace(copy);
    return copy;
  }

  private static void redactInPlace(Object value) {
    if (value instanceof JsonObject object) {
      for (String key : object.fieldNames()) {
        if ("password".equals(key)) {
          object.put(key, MASK);
        } else {
          redactInPlace(object.getValue(key));
        }
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        redactInPlace(array.getValue(i));
      }
    }
  }

  /**
   * Runs a record constructor on decoded fields, turning its validation failure into a
   * {@link ProtocolException} with the field's path under {@code f}.
   */
  static <T> T construct(Fields f, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (InvalidFieldException e) {
      String path = f.path(e.field());
      throw new ProtocolException(Reason.INVALID_VALUE, path,
          (f.prefix().isEmpty() ? "" : f.prefix() + ".") + e.getMessage(), e);
    }
  }
}
