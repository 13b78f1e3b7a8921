package io.ferry.protocol.model;

/** What a job does with a schema change (DDL) on an included table. */
public enum DdlPolicy {
  /** Run it on the destination (database names rewritten by the rename map), then checkpoint. */
  EXEC,
  /** Leave the destination alone; the job goes on. */
  IGNORE,
  /** Pause the job before the statement. */
  STOP
}
