package io.ferry.worker.copy;

/**
 * Where a job's initial copy stands.
 *
 * @param rowsPerSecond rows copied per second by this runner so far (0 before its first chunk)
 * @param etaSeconds seconds left at that rate, from the source's row estimates; null when unknown
 * @param currentTable the table being copied ({@code db.table}), null when done
 */
public record CopyProgress(int tablesDone, int tablesTotal, long rowsCopied, double rowsPerSecond, Long etaSeconds,
                           String currentTable) {
  public boolean done() {
    return tablesDone >= tablesTotal;
  }
}
