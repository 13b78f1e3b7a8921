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
   * @param parallel copy lanes: tables and key ranges copied at once, each on its own source and
   *     destination sessions
   * @param bufferMb the bound on chunk data held in memory by all lanes together
   * @param keyless what happens to a table with neither a primary key nor a NOT NULL unique key
   */
  record Snapshot(boolean overwrite, int chunkRows, int parallel, int bufferMb, Keyless keyless)
      implements StartPosition {
    public static final int DEFAULT_CHUNK_ROWS = 10_000;
    public static final int DEFAULT_PARALLEL = 4;
    public static final int DEFAULT_BUFFER_MB = 256;
    /** A chunk stops growing past this many bytes of row data, whatever its row count. */
    public static final long CHUNK_BYTES = 16L << 20;

    /** A table without a row identity: refused (the default), or copied whole in one consistent read. */
    public enum Keyless { REFUSE, COPY }

    public Snapshot() {
      this(false, DEFAULT_CHUNK_ROWS);
    }

    public Snapshot(boolean overwrite, int chunkRows) {
      this(overwrite, chunkRows, DEFAULT_PARALLEL, DEFAULT_BUFFER_MB, Keyless.REFUSE);
    }

    /**
     * The byte budget of one chunk: the lanes' bound shared out, each lane holding up to three chunks'
     * worth (the chunk being read, the chunk being written and its LOAD DATA file), at most
     * {@link #CHUNK_BYTES} and at least 1 MB.
     */
    public long chunkBytes() {
      long share = ((long) bufferMb << 20) / (3L * parallel);
      return Math.max(1L << 20, Math.min(CHUNK_BYTES, share));
    }
  }

  /** An explicit binlog file and offset, which must be the start of a transaction. */
  record File(String file, long position) implements StartPosition {}

  /** An executed GTID set; streaming starts right after it. */
  record Gtid(String gtidSet) implements StartPosition {}
}
