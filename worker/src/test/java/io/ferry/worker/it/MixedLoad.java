package io.ferry.worker.it;

import io.ferry.mariadb.MariaDbServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A write load of multi-statement transactions on two tables: inserts, updates (also of the primary
 * key and of a unique secondary key), deletes, and an insert-only table without a key. Deterministic
 * per seed; deadlocks between client threads are retried like an application would.
 */
public final class MixedLoad {
  private static final java.util.concurrent.atomic.AtomicInteger NUMBER = new java.util.concurrent.atomic.AtomicInteger();

  private MixedLoad() {}

  public static void createTables(MariaDbServer server, String db) {
    server.execute("CREATE DATABASE " + db + " CHARACTER SET utf8mb4",
        "CREATE TABLE " + db + ".accounts (id INT PRIMARY KEY, code VARCHAR(20) NOT NULL UNIQUE,"
            + " balance DECIMAL(14,2) NOT NULL, name VARCHAR(100), updated DATETIME(6))",
        "CREATE TABLE " + db + ".items (id BIGINT AUTO_INCREMENT PRIMARY KEY, account_id INT NOT NULL, qty INT,"
            + " label VARCHAR(64), payload BLOB, KEY (account_id))",
        "CREATE TABLE " + db + ".journal (account_id INT, amount DECIMAL(14,2), note VARCHAR(40))");
  }

  /** Runs {@code threads} clients, each doing {@code transactions} transactions. */
  public static void run(MariaDbServer server, String db, int threads, int transactions) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        futures.add(pool.submit(() -> {
          clientLoop(server, db, seed, transactions);
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void clientLoop(MariaDbServer server, String db, int seed, int transactions) throws SQLException {
    Random random = new Random(seed);
    try (Connection c = server.rootConnection()) {
      c.setAutoCommit(false);
      for (int i = 0; i < transactions; i++) {
        for (int attempt = 0; ; attempt++) {
          try {
            transaction(c, db, random, NUMBER.incrementAndGet());
            c.commit();
            break;
          } catch (SQLException e) {
            c.rollback();
            if ((e.getErrorCode() != 1213 && e.getErrorCode() != 1205) || attempt > 20) {
              throw e;
            }
          }
        }
      }
    }
  }

  private static void transaction(Connection c, String db, Random r, int n) throws SQLException {
    int account = r.nextInt(500);
    try (Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO " + db + ".accounts VALUES (" + account + ", 'c" + n + "', 0, 'acct " + n
          + " ✓', NOW(6)) ON DUPLICATE KEY UPDATE balance = balance + 1, updated = NOW(6)");
      int items = 1 + r.nextInt(5);
      for (int k = 0; k < items; k++) {
        s.executeUpdate("INSERT INTO " + db + ".items (account_id, qty, label, payload) VALUES (" + account + ", "
            + r.nextInt(100) + ", 'l" + n + "_" + k + "', UNHEX(SHA2('" + n + k + "', 256)))");
      }
      switch (r.nextInt(6)) {
        case 0 -> s.executeUpdate("DELETE FROM " + db + ".items WHERE account_id = " + account + " LIMIT 2");
        case 1 -> s.executeUpdate("UPDATE " + db + ".items SET qty = qty + 1, label = NULL WHERE account_id = "
            + account);
        case 2 -> { // move a primary key
          int to = 1000 + r.nextInt(1_000_000);
          s.executeUpdate("UPDATE IGNORE " + db + ".accounts SET id = " + to + " WHERE id = " + account);
        }
        case 3 -> { // swap a unique secondary value between two rows through a temporary value
          s.executeUpdate("UPDATE " + db + ".accounts SET code = CONCAT('tmp', id) WHERE id = " + account);
          s.executeUpdate("UPDATE " + db + ".accounts SET code = 'c" + n + "x' WHERE id = " + account);
        }
        case 4 -> s.executeUpdate("DELETE FROM " + db + ".accounts WHERE id = " + r.nextInt(500));
        default -> s.executeUpdate("UPDATE " + db + ".accounts SET balance = balance - 2.5 WHERE id = " + account);
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + db + ".journal VALUES (?, ?, ?)")) {
      ps.setInt(1, account);
      ps.setBigDecimal(2, java.math.BigDecimal.valueOf(r.nextInt(100_000), 2));
      ps.setString(3, "n" + n);
      ps.executeUpdate();
    }
  }
}
