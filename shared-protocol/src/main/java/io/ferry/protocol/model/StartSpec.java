package io.ferry.protocol.model;

import io.ferry.protocol.Checks;

/**
 * Where a new job begins reading; a job with a checkpoint at its destination always resumes from the
 * checkpoint. On the wire: {@code {"mode":"current"}}, {@code {"mode":"snapshot","overwrite":false,
 * "chunkRows":10000}} (both optional),
 * {@code {"mode":"file","file":...,"position":...}} or {@code {"mode":"gtid","gtidSet":...}}.
 */
public sealed interface StartSpec {
  /** The source's current end of binlog: changes from now on. */
  record Current() implements StartSpec {}

  /**
   * Copy the tables first, then stream.
   *
   * @param overwrite empty destination tables that hold rows (else such a table is refused)
   * @param chunkRows rows per copied chunk
   */
  record Snapshot(boolean overwrite, int chunkRows) implements StartSpec {
    public static final int DEFAULT_CHUNK_ROWS = 10_000;

    public Snapshot {
      Checks.between("chunkRows", chunkRows, 1, 1_000_000);
    }

    public Snapshot() {
      this(false, DEFAULT_CHUNK_ROWS);
    }
  }

  /** An explicit binlog file and offset, which must be the start of a transaction (at least 4). */
  record File(String file, long position) implements StartSpec {
    public File {
      Checks.notBlank("file", file);
      Checks.atLeast("position", position, 4);
    }
  }

  /** An executed GTID set; streaming starts right after it. Whitespace is removed. */
  record Gtid(String gtidSet) implements StartSpec {
    public Gtid {
      gtidSet = Checks.notBlank("gtidSet", gtidSet).replaceAll("\\s+", "");
    }
  }
}
