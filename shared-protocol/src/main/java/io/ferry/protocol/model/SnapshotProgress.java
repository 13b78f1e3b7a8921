package io.ferry.protocol.model;

import io.ferry.protocol.Checks;

/**
 * Where a job's initial copy stands, as its worker reports it.
 *
 * @param rowsPerSecond rows copied per second by the current owner so far
 * @param etaSeconds seconds left at that rate (from the source's row estimates), or null when unknown
 * @param currentTable the table being copied ({@code db.table}), or null when the copy is done
 * @param tables per table (up to 100, those not done first): rows copied of the source's estimate
 */
public record SnapshotProgress(int tablesDone, int tablesTotal, long rowsCopied, double rowsPerSecond, Long etaSeconds,
                               String currentTable, java.util.List<Table> tables) {
  /** One table's copy: rows copied, the source's estimate of its rows (rows copied once done), done. */
  public record Table(String table, long rowsCopied, long rowsEstimate, boolean done) {
    public Table {
      Checks.notBlank("table", table);
      Checks.atLeast("rowsCopied", rowsCopied, 0);
      Checks.atLeast("rowsEstimate", rowsEstimate, 0);
    }
  }

  public SnapshotProgress(int tablesDone, int tablesTotal, long rowsCopied, double rowsPerSecond, Long etaSeconds,
                          String currentTable) {
    this(tablesDone, tablesTotal, rowsCopied, rowsPerSecond, etaSeconds, currentTable, java.util.List.of());
  }

  public SnapshotProgress {
    tables = tables == null ? java.util.List.of() : java.util.List.copyOf(tables);
    Checks.atLeast("tablesDone", tablesDone, 0);
    Checks.atLeast("tablesTotal", tablesTotal, 0);
    Checks.atLeast("rowsCopied", rowsCopied, 0);
    Checks.nonNegative("rowsPerSecond", rowsPerSecond);
    if (etaSeconds != null) {
      Checks.atLeast("etaSeconds", etaSeconds, 0);
    }
  }
}
