package io.ferry.worker.schema;

import java.util.HashMap;
import java.util.Map;

/**
 * The source table definitions as of the stream's current position: loaded at start from the
 * history kept on the destination (never the source's current schema for an older position), and
 * replaced when a DDL passes. Used where the source does not log column names
 * ({@code binlog_row_metadata} below FULL). Owned by the applier thread.
 */
public final class SchemaHistory {
  private final Map<String, TableDef> tables = new HashMap<>();

  public SchemaHistory(Map<String, TableDef> initial) {
    tables.putAll(initial);
  }

  /** The definition at the current position, or null when the history does not know the table. */
  public TableDef get(String database, String table) {
    return tables.get(key(database, table));
  }

  public boolean knows(String database, String table) {
    return tables.containsKey(key(database, table));
  }

  public void put(String database, String table, TableDef def) {
    tables.put(key(database, table), def);
  }

  private static String key(String database, String table) {
    return database + "." + table;
  }
}
