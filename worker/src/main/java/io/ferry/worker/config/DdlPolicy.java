package io.ferry.worker.config;

import java.util.Locale;

/** What a job does with a schema change (DDL) on an included table. */
public enum DdlPolicy {
  /** Run it on the destination (database names rewritten by the rename map), then checkpoint. */
  EXEC,
  /** Leave the destination alone; the job goes on. */
  IGNORE,
  /** Pause the job with the statement shown, before anything of it is applied. */
  STOP;

  public static DdlPolicy parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT));
  }
}
