package io.ferry.controlplane.fleet;

import io.ferry.protocol.model.ConnectionSpec;
import io.ferry.protocol.model.DdlPolicy;
import io.ferry.protocol.model.JobSpec;
import io.ferry.protocol.model.StartSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a job's stored {@code spec} (the API's shape, validated by the API when it was stored) and its
 * two connections into the {@link JobSpec} that travels in an assignment.
 */
final class JobDefinitions {
  private JobDefinitions() {}

  static JobSpec toSpec(JsonObject spec, ConnectionSpec source, ConnectionSpec destination) {
    JsonObject tables = spec.getJsonObject("tables", new JsonObject());
    Map<String, String> databaseMap = new LinkedHashMap<>();
    spec.getJsonObject("databaseMap", new JsonObject()).forEach(e -> databaseMap.put(e.getKey(), (String) e.getValue()));
    return new JobSpec(source, destination, strings(tables.getJsonArray("include")),
        strings(tables.getJsonArray("exclude")), databaseMap, start(spec.getValue("start")),
        DdlPolicy.valueOf(spec.getString("ddl", "exec").toUpperCase(Locale.ROOT)));
  }

  static StartSpec start(Object start) {
    if (start == null || "snapshot".equals(start)) {
      return new StartSpec.Snapshot();
    }
    if ("current".equals(start)) {
      return new StartSpec.Current();
    }
    if (start instanceof JsonObject o && o.containsKey("snapshot")) {
      JsonObject options = o.getJsonObject("snapshot");
      return new StartSpec.Snapshot(options.getBoolean("overwrite", false),
          options.getInteger("chunkRows", StartSpec.Snapshot.DEFAULT_CHUNK_ROWS),
          options.getInteger("parallel", StartSpec.Snapshot.DEFAULT_PARALLEL),
          options.getInteger("bufferMb", StartSpec.Snapshot.DEFAULT_BUFFER_MB),
          options.getString("keyless", StartSpec.Snapshot.KEYLESS_REFUSE));
    }
    if (start instanceof JsonObject o && o.containsKey("gtid")) {
      return new StartSpec.Gtid(o.getString("gtid"));
    }
    if (start instanceof JsonObject o && o.containsKey("file")) {
      return new StartSpec.File(o.getString("file"), o.getLong("position", 4L));
    }
    throw new IllegalArgumentException("a stored job has an unknown start: " + start);
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> out.add((String) v));
    }
    return out;
  }
}
