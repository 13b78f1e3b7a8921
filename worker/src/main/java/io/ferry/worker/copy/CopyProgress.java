package io.ferry.worker.copy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  /**
   * The progress of these ranges (a job's, in copy order): per table, its ranges added up, those not done
   * listed first.
   *
   * @param rate rows copied per second (0: unknown, no ETA)
   * @param current the table being worked on, null when none
   */
  static CopyProgress of(List<CopyStore.TableProgress> ranges, double rate, String current) {
    Map<String, long[]> byTable = new LinkedHashMap<>(); // rows copied, estimate, done (1/0)
    long copied = 0;
    long estimate = 0;
    for (CopyStore.TableProgress t : ranges) {
      long[] p = byTable.computeIfAbsent(t.name(), n -> new long[] {0, 0, 1});
      long rangeEstimate = t.done ? t.rowsCopied : Math.max(t.rowsEstimate, t.rowsCopied);
      p[0] += t.rowsCopied;
      p[1] += rangeEstimate;
      p[2] &= t.done ? 1 : 0;
      copied += t.rowsCopied;
      estimate += rangeEstimate;
    }
    int done = (int) byTable.values().stream().filter(d -> d[2] == 1).count();
    List<Table> perTable = new ArrayList<>();
    for (boolean finished : new boolean[] {false, true}) {
      for (Map.Entry<String, long[]> e : byTable.entrySet()) {
        long[] p = e.getValue();
        if ((p[2] == 1) == finished && perTable.size() < MAX_TABLES) {
          perTable.add(new Table(e.getKey(), p[0], p[1], finished));
        }
      }
    }
    Long eta = rate <= 0 ? null : (long) Math.ceil((estimate - copied) / rate);
    return new CopyProgress(done, byTable.size(), copied, rate, eta, current, perTable);
  }
}
