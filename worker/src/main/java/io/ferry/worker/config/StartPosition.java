package io.ferry.worker.config;

/** Where a new job begins reading; a job with a checkpoint always resumes from the checkpoint. */
public sealed interface StartPosition {
  /** The source's current end of binlog: changes from now on. */
  record Current() implements StartPosition {}

  /**
   * Copy the tables first, then stream (the initial copy; see docs/ARCHITECTURE.md).
   *
   * @param overwrite empty destination tables that already hold rows (otherwise such a table is refused)
   * @param chunkRows rows per copied chunk (a chunk is also cut at {@link #CHUNK_BYTES})
   */
  record Snapshot(boolean overwrite, int chunkRows) implements StartPosition {
    public static final int DEFAULT_CHUNK_ROWS = 10_000;
    /** A chunk stops growing past this many bytes of row data, whatever its row count. */
    public static final long CHUNK_BYTES = 16L << 20;

    public Snapshot() {
      this(false, DEFAULT_CHUNK_ROWS);
    }
  }

  /** An explicit binlog file and offset, which must be the start of a transaction. */
  record File(String file, long position) implements StartPosition {}

  /** An executed GTID set; streaming starts right after it. */
  record Gtid(String gtidSet) implements StartPosition {}
}
