package io.ferry.app.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code ferry bench grid} runs: every workload with every client count, then (optionally) the single huge
 * transaction once, with the sizes of a preset ({@link Sizes#DEFAULT} or {@link Sizes#QUICK}) or the options.
 */
final class GridPlan {
  private GridPlan() {}

  /**
   * The sizes of one grid run.
   *
   * @param tables sbtest tables
   * @param tableSize rows per table
   * @param transactions transactions in each workload's backlog
   * @param hugeRows rows the single huge transaction updates (0: no huge case)
   * @param liveSeconds seconds of each live step
   */
  record Sizes(int tables, int tableSize, int transactions, int hugeRows, int liveSeconds) {
    /** About 10–15 minutes on 2 cores for the whole grid and the live phase. */
    static final Sizes DEFAULT = new Sizes(4, 50_000, 10_000, 500_000, 15);
    /** A smoke run of about 3 minutes: every phase runs, the ratios mean nothing. */
    static final Sizes QUICK = new Sizes(2, 5_000, 500, 20_000, 4);

    String describe() {
      return String.format(java.util.Locale.ROOT, "%d tables x %,d rows, %,d transactions per backlog, huge transaction"
          + " of %,d rows, live steps of %d s", tables, tableSize, transactions, hugeRows, liveSeconds);
    }
  }

  /**
   * One backlog of the grid.
   *
   * @param workload the sysbench workload, or null for the single huge transaction
   * @param clients connections building the backlog
   * @param transactions transactions in the backlog
   */
  record Case(Workload workload, int clients, int transactions) {
    String name() {
      return workload == null ? "huge transaction" : workload.sysbenchName();
    }

    String label() {
      return workload == null ? name() : name() + ", " + clients + (clients == 1 ? " client" : " clients");
    }

    /** The row changes a backlog is expected to make (each committed statement's affected rows are counted too). */
    long expectedRowChanges(int hugeRows) {
      return workload == null ? hugeRows : (long) transactions * workload.rowChangesPerTransaction;
    }
  }

  /**
   * The cases in running order: for each workload, each client count; the huge transaction last (one client: it is
   * one transaction) when {@code hugeRows > 0}.
   */
  static List<Case> cases(List<Workload> workloads, List<Integer> clients, Sizes sizes) {
    if (workloads.isEmpty() && sizes.hugeRows() <= 0) {
      throw new IllegalArgumentException("nothing to run: no workload and no huge transaction");
    }
    List<Case> out = new ArrayList<>();
    for (Workload w : workloads) {
      for (int c : clients) {
        if (c < 1) {
          throw new IllegalArgumentException("client counts must be positive, got " + c);
        }
        out.add(new Case(w, c, sizes.transactions()));
      }
    }
    if (sizes.hugeRows() > 0) {
      out.add(new Case(null, 1, 1));
    }
    return out;
  }

  /**
   * The rates of the live search, in transactions per second: {@code fractions} of {@code nativeBest}, rounded to
   * whole transactions, without repeats, ascending.
   */
  static List<Integer> liveRates(double nativeBest, double... fractions) {
    List<Integer> out = new ArrayList<>();
    for (double f : fractions) {
      int r = (int) Math.max(1, Math.round(nativeBest * f));
      if (out.isEmpty() || r > out.get(out.size() - 1)) {
        out.add(r);
      }
    }
    return out;
  }
}
