package io.ferry.controlplane.api;

import io.ferry.controlplane.fleet.JobLive;
import io.ferry.controlplane.store.JobStore.Job;
import io.ferry.controlplane.store.Sql;
import io.ferry.protocol.model.ErrorInfo;
import io.ferry.protocol.model.Position;
import io.ferry.protocol.model.SnapshotProgress;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.Set;

/**
 * A job in the API's shape: the definition and wish from the database, the state, owner and error the
 * scheduler recorded there, and the figures of the owner's last heartbeat where there is one (else the
 * checkpoint mirror).
 */
final class JobView {
  private JobView() {}

  static JsonObject of(Job j, Optional<JobLive> live) {
    JobLive l = live.orElse(null);
    JsonObject spec = j.spec();
    return new JsonObject()
        .put("id", j.id())
        .put("name", j.name())
        .put("tenant", j.tenantId())
        .put("source", j.sourceId())
        .put("destination", j.destinationId())
        .put("tables", spec.getJsonObject("tables"))
        .put("databaseMap", spec.getJsonObject("databaseMap"))
        .put("start", spec.getValue("start"))
        .put("ddl", spec.getString("ddl"))
        .put("desiredState", j.desiredState())
        .put("state", j.state())
        .put("worker", j.workerId() != null ? j.workerId() : l == null ? null : l.workerId())
        .put("epoch", l == null ? j.epoch() : Math.max(j.epoch(), l.epoch()))
        .put("position", position(j, l))
        // Object-typed on purpose: a ?: over Long and Double would unbox a null
        .put("lagSeconds", l != null ? (Object) l.lagSeconds() : j.lagSeconds())
        .put("rowsApplied", l != null ? (Object) l.rowsApplied() : j.rowsApplied())
        .put("eventsPerSecond", l != null ? (Object) l.eventsPerSecond() : j.eventsPerSecond())
        .put("snapshot", l == null || l.snapshot() == null ? null : snapshot(l.snapshot()))
        .put("error", error(j, l))
        .put("createdAt", Sql.text(j.createdAt()))
        .put("updatedAt", Sql.text(j.updatedAt()));
  }

  static JsonObject live(JobLive l) {
    return new JsonObject()
        .put("id", l.jobId())
        .put("tenant", l.tenantId())
        .put("state", l.state().name())
        .put("worker", l.workerId())
        .put("epoch", l.epoch())
        .put("position", l.position() == null ? null : position(l.position()))
        .put("lagSeconds", l.lagSeconds())
        .put("rowsApplied", l.rowsApplied())
        .put("eventsPerSecond", l.eventsPerSecond())
        .put("snapshot", l.snapshot() == null ? null : snapshot(l.snapshot()))
        .put("error", l.error() == null ? null : error(l.error()))
        .put("at", Sql.text(l.at()));
  }

  private static JsonObject snapshot(SnapshotProgress p) {
    return new JsonObject().put("tablesDone", p.tablesDone()).put("tablesTotal", p.tablesTotal())
        .put("rowsCopied", p.rowsCopied()).put("rowsPerSecond", Math.round(p.rowsPerSecond()))
        .put("etaSeconds", p.etaSeconds()).put("currentTable", p.currentTable())
        .put("tables", new io.vertx.core.json.JsonArray(p.tables().stream().map(t -> (Object) new JsonObject()
            .put("table", t.table()).put("rowsCopied", t.rowsCopied()).put("rowsEstimate", t.rowsEstimate())
            .put("done", t.done())).toList()));
  }

  private static JsonObject position(Job j, JobLive l) {
    if (l != null && l.position() != null) {
      return position(l.position());
    }
    if (j.binlogFile() == null) {
      return null;
    }
    return new JsonObject().put("file", j.binlogFile()).put("position", j.binlogPos())
        .put("gtid", j.gtidSet() == null ? "" : j.gtidSet());
  }

  private static JsonObject position(Position p) {
    return new JsonObject().put("file", p.file()).put("position", p.offset()).put("gtid", p.gtidSet());
  }

  private static JsonObject error(Job j, JobLive l) {
    if (j.errorCode() != null) {
      return new JsonObject().put("code", j.errorCode()).put("message", j.errorMessage())
          .put("remedy", j.errorRemedy()).put("at", Sql.text(j.errorAt()));
    }
    // a heartbeat's error is shown only while the job is with a worker: after a start or resume (STARTING)
    // the last heartbeat still carries the error that start just cleared
    boolean running = Set.of("SNAPSHOT", "RUNNING", "PAUSED").contains(j.state());
    return l == null || l.error() == null || !running ? null : error(l.error());
  }

  private static JsonObject error(ErrorInfo e) {
    return new JsonObject().put("code", e.code()).put("message", e.message()).put("remedy", e.remedy())
        .put("at", Sql.text(e.at()));
  }
}
