package io.ferry.controlplane.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Validates a job body's replication part and builds the canonical {@code spec} the scheduler reads
 * (see the {@code fleet} package-info): every key present, defaults filled in, nothing else.
 */
public final class JobSpecs {
  static final Set<String> SPEC_FIELDS = Set.of("tables", "databaseMap", "start", "ddl");
  private static final Set<String> TABLE_FIELDS = Set.of("include", "exclude");
  private static final Set<String> START_FIELDS = Set.of("file", "position", "gtid", "snapshot");
  private static final Set<String> SNAPSHOT_FIELDS = Set.of("overwrite", "chunkRows", "parallel", "bufferMb", "keyless");
  private static final String START_FORMS =
      "must be \"snapshot\" (the default), \"current\", {\"snapshot\":{\"overwrite\",\"chunkRows\",\"parallel\",\"bufferMb\",\"keyless\"}}, "
          + "{\"file\",\"position\"} or {\"gtid\"}";
  private static final List<String> DDL = List.of("exec", "ignore", "stop");
  private static final Pattern BINLOG_FILE = Pattern.compile("[A-Za-z0-9_.-]{1,255}");
  private static final Pattern GTID_SET = Pattern.compile("[0-9A-Za-z:,\\-\\s]{1,65535}");
  private static final int MAX_PATTERNS = 1_000;

  private JobSpecs() {}

  /** The canonical spec of a job body. */
  public static JsonObject spec(Body body) {
    Body tables = body.object("tables", TABLE_FIELDS);
    List<String> include = tables.optStrings("include", MAX_PATTERNS, Validation::tablePattern);
    if (include == null) {
      throw ApiException.missing("tables.include");
    }
    if (include.isEmpty()) {
      throw ApiException.invalid("tables.include", "must list at least one pattern such as shop.*");
    }
    List<String> exclude = tables.optStrings("exclude", MAX_PATTERNS, Validation::tablePattern);
    Map<String, String> map = body.optStringMap("databaseMap", MAX_PATTERNS, Validation::databaseName);
    String ddl = body.optChoice("ddl", DDL);
    return new JsonObject()
        .put("tables", new JsonObject().put("include", new JsonArray(include))
            .put("exclude", new JsonArray(exclude == null ? List.of() : exclude)))
        .put("databaseMap", new JsonObject(new TreeMap<String, Object>(map == null ? Map.of() : map)))
        .put("start", start(body))
        .put("ddl", ddl == null ? "exec" : ddl);
  }

  private static Object start(Body body) {
    Object raw = body.raw("start");
    if (raw == null) {
      return "snapshot"; // a new job copies its tables first
    }
    if (raw instanceof String s) {
      if (s.equals("current") || s.equals("snapshot")) {
        return s;
      }
      throw ApiException.invalid("start", START_FORMS);
    }
    if (!(raw instanceof JsonObject)) {
      throw ApiException.invalid("start", START_FORMS);
    }
    Body start = body.object("start", START_FIELDS);
    if (start.has("snapshot")) {
      if (start.has("file") || start.has("position") || start.has("gtid")) {
        throw ApiException.invalid("start", "takes snapshot, gtid, or file and position, one of them");
      }
      Body options = start.object("snapshot", SNAPSHOT_FIELDS);
      Boolean overwrite = options.optBool("overwrite");
      Long chunkRows = options.optInteger("chunkRows", 1, 1_000_000);
      Long parallel = options.optInteger("parallel", 1, 64);
      Long bufferMb = options.optInteger("bufferMb", 1, 65_536);
      String keyless = options.optChoice("keyless", List.of("refuse", "copy"));
      return new JsonObject().put("snapshot", new JsonObject().put("overwrite", overwrite != null && overwrite)
          .put("chunkRows", chunkRows == null ? 10_000 : chunkRows)
          .put("parallel", parallel == null ? 4 : parallel)
          .put("bufferMb", bufferMb == null ? 256 : bufferMb)
          .put("keyless", keyless == null ? "refuse" : keyless));
    }
    if (start.has("gtid")) {
      if (start.has("file") || start.has("position")) {
        throw ApiException.invalid("start", "takes either gtid or file and position, not both");
      }
      String gtid = start.optText("gtid", 65_535);
      if (!GTID_SET.matcher(gtid).matches() || gtid.isBlank()) {
        throw ApiException.invalid("start.gtid", "must be a GTID set such as 0-1-100 or uuid:1-10");
      }
      return new JsonObject().put("gtid", gtid.replaceAll("\\s+", ""));
    }
    String file = start.string("file", 255);
    if (!BINLOG_FILE.matcher(file).matches()) {
      throw ApiException.invalid("start.file", "must be a binlog file name such as mysql-bin.000003");
    }
    long position = start.integer("position", 4, Long.MAX_VALUE);
    return new JsonObject().put("file", file).put("position", position);
  }
}
