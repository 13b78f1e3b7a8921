package io.ferry.protocol.model;

import io.ferry.protocol.Checks;
import io.ferry.protocol.InvalidFieldException;
import java.util.List;
import java.util.Map;

/**
 * What a job replicates: source and destination servers, table patterns ({@code db.table},
 * {@code db.*}), the database rename map, where a new job starts and what happens to DDL. Collections
 * are copied and immutable. {@link #toString()} masks the passwords (through {@link ConnectionSpec}).
 */
public record JobSpec(
    ConnectionSpec source,
    ConnectionSpec destination,
    List<String> include,
    List<String> exclude,
    Map<String, String> databaseMap,
    StartSpec start,
    DdlPolicy ddl) {

  public JobSpec {
    Checks.notNull("source", source);
    Checks.notNull("destination", destination);
    include = List.copyOf(Checks.notNull("include", include));
    if (include.isEmpty()) {
      throw new InvalidFieldException("include", "must list at least one table pattern");
    }
    exclude = List.copyOf(exclude == null ? List.of() : exclude);
    databaseMap = Map.copyOf(databaseMap == null ? Map.of() : databaseMap);
    Checks.notNull("start", start);
    Checks.notNull("ddl", ddl);
  }
}
