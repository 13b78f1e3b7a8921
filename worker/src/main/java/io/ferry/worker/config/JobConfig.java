package io.ferry.worker.config;

import io.ferry.worker.error.FerryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One replication job: from which server to which, which tables, the database rename map, where a
 * new job starts, what happens to DDL, and the tuning of the pipeline.
 */
public record JobConfig(
    String id,
    ConnectionConfig source,
    ConnectionConfig destination,
    TableFilter tables,
    Map<String, String> databaseMap,
    StartPosition start,
    DdlPolicy ddl,
    Tuning tuning) {

  public JobConfig {
    databaseMap = Map.copyOf(databaseMap == null ? Map.of() : databaseMap);
    start = start == null ? new StartPosition.Current() : start;
    ddl = ddl == null ? DdlPolicy.EXEC : ddl;
    tuning = tuning == null ? Tuning.DEFAULTS : tuning;
  }

  /** The destination database of a source database (the rename map, else the same name). */
  public String destinationDatabase(String sourceDatabase) {
    return databaseMap.getOrDefault(sourceDatabase, sourceDatabase);
  }

  /** Collects every problem at once; throws one {@link FerryException} listing them all. */
  public JobConfig validate() {
    List<String> problems = new ArrayList<>();
    if (id == null || !id.matches("[A-Za-z0-9_.-]{1,64}")) {
      problems.add("job id must be 1-64 characters of letters, digits, '_', '.', '-'; was \"" + id + "\"");
    }
    if (source == null) {
      problems.add("source is required");
    } else {
      source.validate("source", problems);
    }
    if (destination == null) {
      problems.add("destination is required");
    } else {
      destination.validate("destination", problems);
    }
    if (tables == null) {
      problems.add("tables.include is required");
    } else {
      tables.validate(problems);
    }
    databaseMap.forEach((from, to) -> {
      if (from.isBlank() || to.isBlank() || from.contains("`") || to.contains("`")) {
        problems.add("databaseMap: \"" + from + "\" -> \"" + to + "\" is not a valid database name pair");
      }
    });
    if (start instanceof StartPosition.File f && (f.file() == null || f.file().isBlank() || f.position() < 4)) {
      problems.add("start: file is required and position must be at least 4");
    }
    tuning.validate(problems);
    if (!problems.isEmpty()) {
      throw FerryException.fatal("CONFIG_INVALID", "Job configuration has " + problems.size() + " problem(s): "
          + String.join("; ", problems), "Fix the listed settings (see ferry replicate --help).");
    }
    return this;
  }

  /** Pipeline tuning; every field has a {@code DEFAULT_*} that suits a small server. */
  public record Tuning(
      int batchMaxRows, long batchMaxMillis, int queueCapacity, int heartbeatSeconds, long serverId,
      String ferrySchema, long queueMaxBytes) {
    public static final int DEFAULT_BATCH_MAX_ROWS = 5_000;
    public static final long DEFAULT_BATCH_MAX_MILLIS = 200;
    public static final int DEFAULT_QUEUE_CAPACITY = 2_048;
    /** Binlog bytes of rows events the reader may decode ahead of the applier. */
    public static final long DEFAULT_QUEUE_MAX_BYTES = 2L << 20;
    public static final int DEFAULT_HEARTBEAT_SECONDS = 5;
    public static final String DEFAULT_FERRY_SCHEMA = TableFilter.FERRY_SCHEMA;
    public static final Tuning DEFAULTS = new Tuning(DEFAULT_BATCH_MAX_ROWS, DEFAULT_BATCH_MAX_MILLIS,
        DEFAULT_QUEUE_CAPACITY, DEFAULT_HEARTBEAT_SECONDS, 0, DEFAULT_FERRY_SCHEMA, DEFAULT_QUEUE_MAX_BYTES);

    void validate(List<String> problems) {
      if (batchMaxRows < 1) {
        problems.add("tuning.batchMaxRows must be positive");
      }
      if (batchMaxMillis < 0) {
        problems.add("tuning.batchMaxMillis must not be negative");
      }
      if (queueCapacity < 16) {
        problems.add("tuning.queueCapacity must be at least 16");
      }
      if (queueMaxBytes < 65_536) {
        problems.add("tuning.queueMaxBytes must be at least 65536");
      }
      if (heartbeatSeconds < 1) {
        problems.add("tuning.heartbeatSeconds must be at least 1");
      }
      if (serverId < 0 || serverId > 0xFFFFFFFFL) {
        problems.add("tuning.serverId must be between 0 (derive from the job id) and 4294967295");
      }
      if (ferrySchema == null || !ferrySchema.matches("[A-Za-z0-9_]{1,64}")) {
        problems.add("tuning.ferrySchema must be a plain database name");
      }
    }
  }
}
