package io.ferry.protocol.model;

import io.ferry.protocol.Checks;

/**
 * Where a new job begins reading; a job with a checkpoint at its destination always resumes from the
 * checkpoint. On the wire: {@code {"mode":"current"}}, {@code {"mode":"snapshot","overwrite":false,
 * "chunkRows":10000,"parallel":4,"bufferMb":256,"keyless":"refuse"}} (all optional),
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
   * @param parallel copy lanes (tables and key ranges copied at once)
   * @param bufferMb the bound on chunk data all lanes hold in memory together
   * @param keyless a table without a key: {@code refuse} (the job stops naming it) or {@code copy} (read
   *     whole in one consistent snapshot)
   */
  record Snapshot(boolean overwrite, int chunkRows, int parallel, int bufferMb, String keyless) implements StartSpec {
    public static final int DEFAULT_CHUNK_ROWS = 10_000;
    public static final int DEFAULT_PARALLEL = 4;
    public static final int DEFAULT_BUFFER_MB = 256;
    public static final String KEYLESS_REFUSE = "refuse";
    public static final String KEYLESS_COPY = "copy";

    public Snapshot {
      Checks.between("chunkRows", chunkRows, 1, 1_000_000);
      Checks.between("parallel", parallel, 1, 64);
      Checks.between("bufferMb", bufferMb, 1, 65_536);
      if (!KEYLESS_REFUSE.equals(keyless) && !KEYLESS_COPY.equals(keyless)) {
        throw new IllegalArgumentException("keyless must be refuse or copy");
      }
    }

    public Snapshot(boolean overwrite, int chunkRows) {
      this(overwrite, chunkRows, DEFAULT_PARALLEL, DEFAULT_BUFFER_MB, KEYLESS_REFUSE);
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
