package io.ferry.worker.config;

/** Where a new job begins reading; a job with a checkpoint always resumes from the checkpoint. */
public sealed interface StartPosition {
  /** The source's current end of binlog: changes from now on. */
  record Current() implements StartPosition {}

  /** Copy the tables first, then stream (the initial copy; see docs/ARCHITECTURE.md). */
  record Snapshot() implements StartPosition {}

  /** An explicit binlog file and offset, which must be the start of a transaction. */
  record File(String file, long position) implements StartPosition {}

  /** An executed GTID set; streaming starts right after it. */
  record Gtid(String gtidSet) implements StartPosition {}
}
