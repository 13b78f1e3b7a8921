package io.ferry.protocol.model;

import io.ferry.protocol.Checks;

/**
 * A restart position in the source's binary log: the file and offset where the next source
 * transaction begins, and the GTID set executed up to there, in the server's own form (MariaDB
 * {@code 0-1-5,1-2-7}, MySQL {@code 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-10,...}), or empty.
 * Whitespace in the GTID set (MySQL prints a newline after each comma) is removed.
 */
public record Position(String file, long offset, String gtidSet) {
  public Position {
    Checks.notNull("file", file);
    Checks.atLeast("offset", offset, 0);
    gtidSet = gtidSet == null ? "" : gtidSet.replaceAll("\\s+", "");
  }

  @Override
  public String toString() {
    return file + ":" + offset + (gtidSet.isEmpty() ? "" : " gtid=" + gtidSet);
  }
}
