package io.ferry.worker.schema;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A table's definition at one point in time: columns in ordinal order, the primary key, and the unique
 * keys whose columns are all NOT NULL (usable as a row identity when there is no primary key).
 */
public record TableDef(String database, String table, List<ColumnDef> columns, List<String> primaryKey,
                       List<List<String>> uniqueKeys) {
  public TableDef {
    columns = List.copyOf(columns);
    primaryKey = List.copyOf(primaryKey);
    uniqueKeys = List.copyOf(uniqueKeys);
  }

  public Optional<ColumnDef> column(String name) {
    return columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
  }

  /** The columns that identify a row: the primary key, else the first NOT NULL unique key, else none. */
  public List<String> identity() {
    if (!primaryKey.isEmpty()) {
      return primaryKey;
    }
    return uniqueKeys.isEmpty() ? List.of() : uniqueKeys.get(0);
  }

  public JsonObject toJson() {
    JsonArray cols = new JsonArray();
    for (ColumnDef c : columns) {
      cols.add(new JsonObject().put("name", c.name()).put("dataType", c.dataType()).put("columnType", c.columnType())
          .put("unsigned", c.unsigned()).put("generated", c.generated()));
    }
    JsonArray uks = new JsonArray();
    uniqueKeys.forEach(k -> uks.add(new JsonArray(new ArrayList<>(k))));
    return new JsonObject().put("database", database).put("table", table).put("columns", cols)
        .put("primaryKey", new JsonArray(new ArrayList<>(primaryKey))).put("uniqueKeys", uks);
  }

  public static TableDef fromJson(JsonObject json) {
    List<ColumnDef> cols = new ArrayList<>();
    for (Object o : json.getJsonArray("columns")) {
      JsonObject c = (JsonObject) o;
      cols.add(new ColumnDef(c.getString("name"), c.getString("dataType"), c.getString("columnType"),
          c.getBoolean("unsigned"), c.getBoolean("generated")));
    }
    List<List<String>> uks = new ArrayList<>();
    for (Object o : json.getJsonArray("uniqueKeys")) {
      uks.add(strings((JsonArray) o));
    }
    return new TableDef(json.getString("database"), json.getString("table"), cols,
        strings(json.getJsonArray("primaryKey")), uks);
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    a.forEach(x -> out.add((String) x));
    return out;
  }
}
