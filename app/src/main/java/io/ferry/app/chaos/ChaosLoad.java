package io.ferry.app.chaos;

import io.ferry.mariadb.MariaDbServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The write load of a chaos run: two threads of small transactions on {@code chaos} (their own threads, each
 * with its own connection, reconnecting after a failure); {@link #pause()} waits for those in flight.
 */
final class ChaosLoad implements AutoCloseable {
  /** Rows of {@code chaos.accounts}, which the run inserts before the load starts. */
  static final int ACCOUNTS = 1_000;

  private final MariaDbServer source;
  private final Random seeds;
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong committed = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();

  /** {@code seeds} gives each thread its seed when the load starts (the run's seeded random). */
  ChaosLoad(MariaDbServer source, Random seeds) {
    this.source = source;
    this.seeds = seeds;
  }

  void start() {
    for (int i = 0; i < 2; i++) {
      long threadSeed = seeds.nextLong();
      Thread t = new Thread(() -> loop(new Random(threadSeed)), "chaos-load-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void loop(Random r) {
    Connection c = null;
    while (running.get()) {
      gate.readLock().lock();
      try {
        if (!running.get()) {
          return;
        }
        if (c == null) {
          c = DriverManager.getConnection(source.jdbcUrl("chaos"), source.adminUser(), source.adminPassword());
          c.setAutoCommit(false);
        }
        transaction(c, r);
        committed.incrementAndGet();
      } catch (SQLException e) {
        failures.incrementAndGet();
        try {
          if (c != null) {
            c.close();
          }
        } catch (SQLException ignored) {
          // reconnect next time
        }
        c = null;
      } finally {
        gate.readLock().unlock();
      }
      try {
        Thread.sleep(4);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static void transaction(Connection c, Random r) throws SQLException {
    try {
      try (PreparedStatement up = c.prepareStatement(
          "UPDATE accounts SET balance = balance + ?, note = ?, updated = NOW(6) WHERE id = ?")) {
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
          up.setInt(1, r.nextInt(2_001) - 1_000);
          up.setString(2, "note " + r.nextInt(1_000_000));
          up.setInt(3, 1 + r.nextInt(ACCOUNTS));
          up.executeUpdate();
        }
      }
      try (PreparedStatement in = c.prepareStatement(
          "INSERT INTO events (account, amount, payload) VALUES (?, ?, ?)")) {
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
          byte[] payload = new byte[r.nextInt(120)];
          r.nextBytes(payload);
          in.setInt(1, 1 + r.nextInt(ACCOUNTS));
          in.setInt(2, r.nextInt(10_000));
          in.setBytes(3, payload);
          in.executeUpdate();
        }
      }
      if (r.nextInt(10) == 0) {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM events WHERE account = ? ORDER BY id LIMIT 1")) {
          del.setInt(1, 1 + r.nextInt(ACCOUNTS));
          del.executeUpdate();
        }
      }
      c.commit();
    } catch (SQLException e) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // the connection is gone
      }
      throw e;
    }
  }

  void pause() {
    gate.writeLock().lock();
  }

  void resume() {
    gate.writeLock().unlock();
  }

  void stopWriting() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join(30_000);
    }
  }

  long committed() {
    return committed.get();
  }

  long failures() {
    return failures.get();
  }

  @Override
  public void close() throws InterruptedException {
    stopWriting();
  }
}
