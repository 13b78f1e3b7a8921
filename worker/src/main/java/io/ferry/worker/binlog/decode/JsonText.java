package io.ferry.worker.binlog.decode;

import java.io.Serializable;
import java.util.Objects;

/**
 * A MySQL JSON column value (binary JSON, column type 245) rendered as JSON text the way MySQL
 * prints it, so that {@code CAST(text AS JSON)} on the destination yields the same JSON value.
 *
 * @param text the JSON text; never null (an SQL NULL cell is a null cell, not a JsonText)
 */
public record JsonText(String text) implements Serializable {
  public JsonText {
    Objects.requireNonNull(text, "text");
  }

  @Override
  public String toString() {
    return text;
  }
}
