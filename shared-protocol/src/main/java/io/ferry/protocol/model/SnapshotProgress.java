package io.ferry.protocol.model;

import io.ferry.protocol.Checks;

/**
 * Where a job's initial copy stands, as its worker reports it.
 *
 * @param rowsPerSecond rows copied per second by the current owner so far
 * @param etaSeconds seconds left at that rate (from the source's row estimates), or null when unknown
 * @param currentTable the table being copied ({@code db.table}), or null when the copy is done
 */
public record SnapshotProgress(int tablesDone, int tablesTotal, long rowsCopied, double rowsPerSecond, Long etaSeconds,
                               String currentTable) {
  public SnapshotProgress {
    Checks.atLeast("tablesDone", tablesDone, 0);
    Checks.atLeast("tablesTotal", tablesTotal, 0);
    Checks.atLeast("rowsCopied", rowsCopied, 0);
    Checks.nonNegative("rowsPerSecond", rowsPerSecond);
    if (etaSeconds != null) {
      Checks.atLeast("etaSeconds", etaSeconds, 0);
    }
  }
}
