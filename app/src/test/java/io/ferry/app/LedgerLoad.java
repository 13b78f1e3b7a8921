package io.ferry.app;

import io.ferry.mariadb.MariaDbServer;
import io.ferry.worker.position.BinlogPosition;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/**
 * A write load of whole transactions on the source, from ONE client thread, so the order of the transactions in the
 * binlog is the order of their numbers. Transaction {@code n} (1, 2, ...) changes {@code accounts} (primary key:
 * upserts, updates, deletes, primary-key moves) and inserts exactly one row {@code n} into {@code ledger}, a table
 * without any key: on the destination, {@code ledger} must hold each number from 1 to the last applied transaction
 * exactly once. A requested big transaction also inserts {@value #BIG_ROWS} rows into {@code bulk} (also keyless).
 *
 * <p>After each commit the source's binlog end is recorded: with a single writer it is the restart position right
 * after transaction {@code n}, i.e. exactly the checkpoint a job must store once it has applied 1..n.
 *
 * <p>The rate is limited by permits a scheduler hands out (no sleeping), to leave CPU for the servers and the job.
 */
final class LedgerLoad implements AutoCloseable {
  static final int BIG_ROWS = 50_000;

  private final MariaDbServer source;
  private final String db;
  private final Random random;
  private final List<BinlogPosition> ends = new ArrayList<>(); // index n: the position after transaction n
  private final List<Long> bigNumbers = new ArrayList<>();
  private final AtomicInteger bigRequests = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Semaphore permits = new Semaphore(0);
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ledger-load-ticker");
    t.setDaemon(true);
    return t;
  });
  private final int perTick;
  private final long tickMillis;
  private volatile boolean running = true;
  private Thread thread;

  /**
   * @param transactionsPerSecond the load's rate limit
   */
  LedgerLoad(MariaDbServer source, String db, long seed, int transactionsPerSecond) {
    this.source = source;
    this.db = db;
    this.random = new Random(seed);
    // Permits every 10 ms for fast loads; one permit every 1000/tps ms for slower ones (a permit per
    // 10 ms tick would let a "5 per second" load run at up to 100 per second).
    this.tickMillis = Math.max(10, 1000 / Math.max(1, transactionsPerSecond));
    this.perTick = (int) Math.max(1, transactionsPerSecond * tickMillis / 1000);
  }

  static void createTables(MariaDbServer server, String db) {
    server.execute("CREATE DATABASE " + db + " CHARACTER SET utf8mb4",
        "CREATE TABLE " + db + ".accounts (id INT PRIMARY KEY, code VARCHAR(24) NOT NULL,"
            + " balance DECIMAL(14,2) NOT NULL, name VARCHAR(100), updated DATETIME(6), KEY (code))",
        "CREATE TABLE " + db + ".ledger (n BIGINT NOT NULL, account_id INT, amount DECIMAL(14,2), note VARCHAR(40))",
        "CREATE TABLE " + db + ".bulk (n BIGINT NOT NULL, k INT NOT NULL, label VARCHAR(40))");
  }

  /** Starts the load; {@code start} is the source position before its first transaction. */
  void start() throws SQLException {
    try (Connection c = source.rootConnection()) {
      ends.add(binlogEnd(c));
    }
    ticker.scheduleAtFixedRate(() -> {
      if (permits.availablePermits() < perTick * 5) {
        permits.release(perTick);
      }
    }, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    thread = new Thread(this::loop, "ledger-load");
    thread.setDaemon(true);
    thread.start();
  }

  /** Asks for one big transaction ({@value #BIG_ROWS} rows in {@code bulk}) as the next transaction. */
  void requestBigTransaction() {
    bigRequests.incrementAndGet();
  }

  /** Transactions committed so far. */
  synchronized long committed() {
    return ends.size() - 1;
  }

  /** The binlog position right after transaction {@code n} (0: before the first). */
  synchronized BinlogPosition endOf(long n) {
    return ends.get((int) n);
  }

  /** Numbers of the big transactions committed so far. */
  synchronized List<Long> bigNumbers() {
    return List.copyOf(bigNumbers);
  }

  /** How many rows {@code bulk} holds once transactions 1..n are applied. */
  synchronized long bulkRowsUpTo(long n) {
    return bigNumbers.stream().filter(b -> b <= n).count() * BIG_ROWS;
  }

  /**
   * Waits until transaction {@code n} and {@code bigs} big transactions are recorded. A job may apply a transaction a
   * moment before this thread has recorded it (right after its commit), so a test looks up {@link #endOf} only after
   * this.
   */
  void awaitRecorded(long n, int bigs) {
    Awaitility.await("the load records transaction " + n + " and " + bigs + " big ones").atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
        .until(() -> failure() != null || (committed() >= n && bigNumbers().size() >= bigs));
  }

  /** The load's failure, if it stopped on one. */
  Throwable failure() {
    return failure.get();
  }

  String describe() {
    return "load: " + committed() + " transactions, big ones " + bigNumbers() + (failure() == null ? ""
        : ", FAILED: " + failure());
  }

  private void loop() {
    try (Connection c = source.rootConnection()) {
      c.setAutoCommit(false);
      long n = 0;
      while (running) {
        if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        n++;
        boolean big = bigRequests.get() > 0;
        transaction(c, n, big);
        c.commit();
        BinlogPosition end = binlogEnd(c);
        c.commit();
        synchronized (this) {
          ends.add(end);
          if (big) {
            bigNumbers.add(n);
            bigRequests.decrementAndGet();
          }
        }
      }
    } catch (Throwable t) {
      failure.set(t);
    }
  }

  private void transaction(Connection c, long n, boolean big) throws SQLException {
    int account = random.nextInt(300);
    try (Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO " + db + ".accounts VALUES (" + account + ", 'c" + n + "', 0, 'acct " + n
          + " ✓ ü', NOW(6)) ON DUPLICATE KEY UPDATE balance = balance + 1, updated = NOW(6)");
      switch (random.nextInt(8)) {
        case 0, 1 -> s.executeUpdate("DELETE FROM " + db + ".accounts WHERE id = " + random.nextInt(300));
        case 2 -> { // move a primary key (IGNORE: the target may be taken)
          int to = 300 + random.nextInt(100_000);
          s.executeUpdate("UPDATE IGNORE " + db + ".accounts SET id = " + to + " WHERE id = " + account);
        }
        case 3 -> s.executeUpdate("UPDATE " + db + ".accounts SET name = NULL, code = 'u" + n + "' WHERE id % 50 = "
            + random.nextInt(50));
        case 4 -> s.executeUpdate("DELETE FROM " + db + ".accounts WHERE id >= 300 ORDER BY id LIMIT 1");
        default -> s.executeUpdate("UPDATE " + db + ".accounts SET balance = balance - 2.5 WHERE id = "
            + random.nextInt(300));
      }
      if (big) {
        s.executeUpdate("INSERT INTO " + db + ".bulk (n, k, label) SELECT " + n + ", seq, CONCAT('bulk ', seq)"
            + " FROM " + db + ".seq_1_to_" + BIG_ROWS);
        s.executeUpdate("UPDATE " + db + ".accounts SET updated = NOW(6), balance = balance + 0.01");
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + db + ".ledger VALUES (?, ?, ?, ?)")) {
      ps.setLong(1, n);
      ps.setInt(2, account);
      ps.setBigDecimal(3, BigDecimal.valueOf(random.nextInt(100_000), 2));
      ps.setString(4, "tx " + n + (big ? " big" : ""));
      ps.executeUpdate();
    }
  }

  /** The end of the source's binlog. */
  static BinlogPosition binlogEnd(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
      if (!rs.next()) {
        throw new SQLException("the source has no binlog");
      }
      return new BinlogPosition(rs.getString(1), rs.getLong(2), "");
    }
  }

  /** Stops the load and waits for its thread; rethrows a failure of the load. */
  void stop() throws InterruptedException {
    running = false;
    ticker.shutdownNow();
    if (thread != null) {
      thread.join(TimeUnit.SECONDS.toMillis(60));
      if (thread.isAlive()) {
        throw new AssertionError("the load thread did not stop");
      }
    }
    if (failure() != null) {
      throw new AssertionError("the load failed: " + failure(), failure());
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    ticker.shutdownNow();
    if (thread != null) {
      thread.join(TimeUnit.SECONDS.toMillis(60));
    }
  }
}
