package io.ferry.app.bench;

import io.ferry.mariadb.MariaDbServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * The write load of {@code ferry bench copy}: at a fixed rate, one transaction that updates a random
 * row, inserts a new one and deletes another, on a random table; records each transaction's latency.
 */
final class CopyBenchLoad {
  private final MariaDbServer source;
  private final int tables;
  private final int rows;
  private final int rate;
  /** Ids of inserted rows follow this one (each load of a run inserts above the last one's). */
  private final long firstId;
  private final List<Long> latenciesNanos = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean stop;
  private volatile Exception failure;
  private Thread thread;

  CopyBenchLoad(MariaDbServer source, int tables, int rows, int rate, long firstId) {
    this.source = source;
    this.firstId = firstId;
    this.tables = tables;
    this.rows = rows;
    this.rate = rate;
  }

  void start() {
    if (rate == 0) {
      return;
    }
    thread = new Thread(this::run, "copy-bench-load");
    thread.start();
  }

  void stop() throws Exception {
    stop = true;
    if (thread != null) {
      thread.join();
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void run() {
    Random random = new Random(7);
    long interval = 1_000_000_000L / rate;
    long next = System.nanoTime();
    long id = firstId;
    try (Connection c = source.rootConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      while (!stop) {
        LockSupport.parkNanos(next - System.nanoTime());
        next += interval;
        String t = CopyBenchTables.table(1 + random.nextInt(tables));
        long began = System.nanoTime();
        s.executeUpdate("UPDATE " + t + " SET k = k + 1, name = CONCAT('upd ', k) WHERE id = "
            + (1 + random.nextInt(rows / tables)));
        s.executeUpdate("INSERT INTO " + t + " VALUES (" + (++id) + ", 1, 'new', 1.5, NOW(6), 1, 'x', NULL)");
        s.executeUpdate("DELETE FROM " + t + " WHERE id = " + (1 + random.nextInt(rows / tables)));
        c.commit();
        latenciesNanos.add(System.nanoTime() - began);
      }
    } catch (SQLException e) {
      failure = e;
    }
  }

  /** Transactions done and their latency: p50, p99, max in milliseconds. */
  String describe() {
    List<Long> sorted;
    synchronized (latenciesNanos) {
      sorted = new ArrayList<>(latenciesNanos);
    }
    if (sorted.isEmpty()) {
      return "no load";
    }
    Collections.sort(sorted);
    return String.format("%d transactions, latency p50 %.1f ms, p99 %.1f ms, max %.1f ms", sorted.size(),
        sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.99)) / 1e6,
        sorted.get(sorted.size() - 1) / 1e6);
  }
}
