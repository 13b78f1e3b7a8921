package io.ferry.worker.schema;

/**
 * One column as the server describes it: name, {@code DATA_TYPE} (lower case, e.g. {@code int}),
 * the full {@code COLUMN_TYPE} (e.g. {@code int(10) unsigned}), whether it is unsigned, and whether it
 * is generated (virtual or stored), which Ferry never writes.
 */
public record ColumnDef(String name, String dataType, String columnType, boolean unsigned, boolean generated) {
  /** The type without display widths, for comparing two servers: {@code int(11)} and {@code int} match. */
  public String comparableType() {
    String t = columnType.toLowerCase().replaceAll("(tinyint|smallint|mediumint|int|bigint|year)\\(\\d+\\)", "$1");
    return t.replace(" zerofill", "").trim();
  }
}
