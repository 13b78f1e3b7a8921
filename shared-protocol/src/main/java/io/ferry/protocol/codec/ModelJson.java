package io.ferry.protocol.codec;

import io.ferry.protocol.ProtocolException;
import io.ferry.protocol.ProtocolException.Reason;
import io.ferry.protocol.model.ConnectionSpec;
import io.ferry.protocol.model.DdlPolicy;
import io.ferry.protocol.model.ErrorInfo;
import io.ferry.protocol.model.JobSpec;
import io.ferry.protocol.model.JobState;
import io.ferry.protocol.model.JobStatus;
import io.ferry.protocol.model.SnapshotProgress;
import io.ferry.protocol.model.VerifyTable;
import io.ferry.protocol.model.Position;
import io.ferry.protocol.model.StartSpec;
import io.ferry.protocol.model.TlsMode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.TreeMap;

/** JSON of the value types carried inside messages. Times are ISO-8601 strings, enums their names. */
final class ModelJson {
  private ModelJson() {}

  static JsonObject position(Position p) {
    return new JsonObject().put("file", p.file()).put("offset", p.offset()).put("gtidSet", p.gtidSet());
  }

  static Position position(Fields f) {
    return MessageCodec.construct(f, () -> new Position(f.string("file"), f.int64("offset"), f.string("gtidSet")));
  }

  static JsonObject connection(ConnectionSpec c) {
    JsonObject json = new JsonObject().put("host", c.host()).put("port", c.port()).put("user", c.user())
        .put("password", c.password()).put("tls", c.tls().name());
    return c.caCert() == null ? json : json.put("ca", c.caCert());
  }

  static ConnectionSpec connection(Fields f) {
    return MessageCodec.construct(f, () -> new ConnectionSpec(f.string("host"), f.int32("port"), f.string("user"),
        f.string("password"), f.enumValue("tls", TlsMode.class), f.optString("ca")));
  }

  static JsonObject start(StartSpec s) {
    if (s instanceof StartSpec.Current) {
      return new JsonObject().put("mode", "current");
    } else if (s instanceof StartSpec.Snapshot snapshot) {
      return new JsonObject().put("mode", "snapshot").put("overwrite", snapshot.overwrite())
          .put("chunkRows", snapshot.chunkRows()).put("parallel", snapshot.parallel())
          .put("bufferMb", snapshot.bufferMb()).put("keyless", snapshot.keyless());
    } else if (s instanceof StartSpec.File file) {
      return new JsonObject().put("mode", "file").put("file", file.file()).put("position", file.position());
    } else if (s instanceof StartSpec.Gtid gtid) {
      return new JsonObject().put("mode", "gtid").put("gtidSet", gtid.gtidSet());
    }
    throw new IllegalArgumentException("unknown start " + s.getClass().getName());
  }

  static StartSpec start(Fields f) {
    String mode = f.string("mode");
    return MessageCodec.construct(f, () -> switch (mode) {
      case "current" -> new StartSpec.Current();
      case "snapshot" -> new StartSpec.Snapshot(f.has("overwrite") && f.bool("overwrite"),
          f.has("chunkRows") ? f.int32("chunkRows") : StartSpec.Snapshot.DEFAULT_CHUNK_ROWS,
          f.has("parallel") ? f.int32("parallel") : StartSpec.Snapshot.DEFAULT_PARALLEL,
          f.has("bufferMb") ? f.int32("bufferMb") : StartSpec.Snapshot.DEFAULT_BUFFER_MB,
          f.has("keyless") ? f.string("keyless") : StartSpec.Snapshot.KEYLESS_REFUSE);
      case "file" -> new StartSpec.File(f.string("file"), f.int64("position"));
      case "gtid" -> new StartSpec.Gtid(f.string("gtidSet"));
      default -> throw new ProtocolException(Reason.INVALID_VALUE, f.path("mode"),
          f.path("mode") + " must be one of current, snapshot, file, gtid");
    });
  }

  static JsonObject jobSpec(JobSpec s) {
    return new JsonObject()
        .put("source", connection(s.source()))
        .put("destination", connection(s.destination()))
        .put("include", new JsonArray(s.include()))
        .put("exclude", new JsonArray(s.exclude()))
        .put("databaseMap", new JsonObject(new TreeMap<String, Object>(s.databaseMap())))
        .put("start", start(s.start()))
        .put("ddl", s.ddl().name());
  }

  static JobSpec jobSpec(Fields f) {
    return MessageCodec.construct(f, () -> new JobSpec(
        connection(f.object("source")),
        connection(f.object("destination")),
        f.strings("include"),
        f.strings("exclude"),
        f.stringMap("databaseMap"),
        start(f.object("start")),
        f.enumValue("ddl", DdlPolicy.class)));
  }

  static JsonObject error(ErrorInfo e) {
    return new JsonObject().put("code", e.code()).put("message", e.message()).put("remedy", e.remedy())
        .put("at", e.at().toString()).put("retriable", e.retriable());
  }

  static ErrorInfo error(Fields f) {
    return MessageCodec.construct(f, () -> new ErrorInfo(f.string("code"), f.string("message"), f.string("remedy"),
        f.instant("at"), f.bool("retriable")));
  }

  static JsonObject jobStatus(JobStatus s) {
    return new JsonObject()
        .put("jobId", s.jobId())
        .put("epoch", s.epoch())
        .put("state", s.state().name())
        .put("position", s.position() == null ? null : position(s.position()))
        .put("lagSeconds", s.lagSeconds())
        .put("rowsApplied", s.rowsApplied())
        .put("eventsPerSecond", s.eventsPerSecond())
        .put("error", s.error() == null ? null : error(s.error()))
        .put("snapshot", s.snapshot() == null ? null : snapshot(s.snapshot()))
        .put("binlogEvents", s.binlogEvents());
  }

  static JsonObject verifyTable(VerifyTable t) {
    return new JsonObject().put("table", t.table()).put("match", t.match()).put("rowsChecked", t.rowsChecked())
        .put("mismatches", new JsonArray(new java.util.ArrayList<>(t.mismatches())));
  }

  static VerifyTable verifyTable(Fields f) {
    return MessageCodec.construct(f, () -> new VerifyTable(f.string("table"), f.bool("match"), f.int64("rowsChecked"),
        f.strings("mismatches")));
  }

  static JsonObject snapshot(SnapshotProgress p) {
    return new JsonObject().put("tablesDone", p.tablesDone()).put("tablesTotal", p.tablesTotal())
        .put("rowsCopied", p.rowsCopied()).put("rowsPerSecond", p.rowsPerSecond()).put("etaSeconds", p.etaSeconds())
        .put("currentTable", p.currentTable())
        .put("tables", new JsonArray(p.tables().stream().map(t -> (Object) new JsonObject().put("table", t.table())
            .put("rowsCopied", t.rowsCopied()).put("rowsEstimate", t.rowsEstimate()).put("done", t.done())).toList()));
  }

  static SnapshotProgress snapshot(Fields f) {
    return MessageCodec.construct(f, () -> new SnapshotProgress(f.int32("tablesDone"), f.int32("tablesTotal"),
        f.int64("rowsCopied"), f.number("rowsPerSecond"), f.optInt64("etaSeconds"), f.optString("currentTable"),
        f.has("tables") ? f.objects("tables").stream().map(ModelJson::snapshotTable).toList() : java.util.List.of()));
  }

  static SnapshotProgress.Table snapshotTable(Fields f) {
    return MessageCodec.construct(f, () -> new SnapshotProgress.Table(f.string("table"), f.int64("rowsCopied"),
        f.int64("rowsEstimate"), f.bool("done")));
  }

  static JobStatus jobStatus(Fields f) {
    return MessageCodec.construct(f, () -> {
      Fields position = f.optObject("position");
      Fields error = f.optObject("error");
      Fields snapshot = f.optObject("snapshot");
      return new JobStatus(
          f.string("jobId"),
          f.int64("epoch"),
          f.enumValue("state", JobState.class),
          position == null ? null : position(position),
          f.optInt64("lagSeconds"),
          f.int64("rowsApplied"),
          f.number("eventsPerSecond"),
          error == null ? null : error(error),
          snapshot == null ? null : snapshot(snapshot),
          f.has("binlogEvents") ? f.int64("binlogEvents") : 0); // older workers do not send it
    });
  }
}
