package io.ferry.mariadb.check;

import io.ferry.mariadb.MariaDbServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * A write load with latency measurement: one writer on its own thread and its own root connection runs a
 * transaction at up to a fixed rate (fewer when its transactions take longer than the interval) and records
 * how long each took from its first statement to its commit — so a test or a bench can show that something
 * running beside it (an initial copy) does not block the source's writers. The statements come from the
 * caller; the load commits them.
 */
public final class WriteLoad {
  /** The statements of one transaction; {@code newId} is a fresh id for an insert (one more each time). */
  @FunctionalInterface
  public interface Transaction {
    void run(Statement statement, Random random, long newId) throws SQLException;
  }

  private final MariaDbServer server;
  private final int rate;
  private final long seed;
  private final long firstId;
  private final String name;
  private final Transaction transaction;
  private final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean stop;
  private volatile Exception failure;
  private Thread thread;

  /**
   * @param rate transactions per second at most; 0 makes a load that never starts
   * @param seed of the random the transactions draw from
   * @param firstId the new ids follow this one
   * @param name of the writer's thread
   */
  public WriteLoad(MariaDbServer server, int rate, long seed, long firstId, String name, Transaction transaction) {
    if (rate < 0) {
      throw new IllegalArgumentException("the rate must not be negative, was " + rate);
    }
    this.server = server;
    this.rate = rate;
    this.seed = seed;
    this.firstId = firstId;
    this.name = name;
    this.transaction = transaction;
  }

  public void start() {
    if (rate == 0) {
      return;
    }
    thread = new Thread(this::run, name);
    thread.start();
  }

  /** Stops the writer and waits for it; throws what made it stop early, if anything did. */
  public void stop() throws Exception {
    stop = true;
    if (thread != null) {
      thread.join();
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void run() {
    Random random = new Random(seed);
    long interval = 1_000_000_000L / rate;
    long next = System.nanoTime();
    long id = firstId;
    try (Connection c = server.rootConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      while (!stop) {
        LockSupport.parkNanos(next - System.nanoTime());
        next += interval;
        long began = System.nanoTime();
        transaction.run(s, random, ++id);
        c.commit();
        nanos.add(System.nanoTime() - began);
      }
    } catch (SQLException e) {
      failure = e;
    }
  }

  /** Transactions committed so far. */
  public long transactions() {
    return nanos.size();
  }

  /** The slowest transaction so far, in milliseconds (0 before the first). */
  public double worstMillis() {
    synchronized (nanos) {
      return nanos.stream().mapToLong(Long::longValue).max().orElse(0) / 1e6;
    }
  }

  /** Transactions done, the rate, and their latency: p50, p99, max in milliseconds. */
  public String describe() {
    List<Long> sorted;
    synchronized (nanos) {
      sorted = new ArrayList<>(nanos);
    }
    if (sorted.isEmpty()) {
      return "no transactions";
    }
    Collections.sort(sorted);
    return String.format(Locale.ROOT, "%d transactions at up to %d/s, latency p50 %.1f ms, p99 %.1f ms, max %.1f ms",
        sorted.size(), rate, sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.99)) / 1e6,
        sorted.get(sorted.size() - 1) / 1e6);
  }
}
