package io.ferry.worker.copy;

import java.util.List;

/**
 * Where a job's initial copy stands.
 *
 * @param rowsPerSecond rows copied per second by this runner so far (0 before its first chunk)
 * @param etaSeconds seconds left at that rate, from the source's row estimates; null when unknown
 * @param currentTable the table being copied ({@code db.table}), null when done
 * @param tables each table's progress, in copy order (at most {@link #MAX_TABLES}: those not done first)
 */
public record CopyProgress(int tablesDone, int tablesTotal, long rowsCopied, double rowsPerSecond, Long etaSeconds,
                           String currentTable, List<Table> tables) {
  /** The most tables whose progress is listed (the status rides in every heartbeat). */
  public static final int MAX_TABLES = 100;

  /**
   * One table's progress: rows copied of the source's estimate (all its key ranges together).
   *
   * @param rowsEstimate the source's estimate when the copy was planned (rows copied once done)
   */
  public record Table(String table, long rowsCopied, long rowsEstimate, boolean done) {}

  public CopyProgress {
    tables = tables == null ? List.of() : List.copyOf(tables);
  }

  public boolean done() {
    return tablesDone >= tablesTotal;
  }
}
