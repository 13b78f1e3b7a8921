package io.ferry.app.bench;

import io.ferry.mariadb.MariaDbServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java rendition of sysbench {@code oltp_write_only} without its reads: each transaction runs, each on a table
 * chosen at random, {@code UPDATE k=k+1 WHERE id=?}, {@code UPDATE c=? WHERE id=?}, then {@code DELETE WHERE id=?}
 * and {@code INSERT (id,k,c,pad)} of the same id. Ids are uniform (sysbench defaults to a "special" skewed
 * distribution). A transaction that hits a deadlock or lock wait timeout is rolled back and retried, as sysbench does.
 */
final class WriteOnlyLoad {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");

  private final MariaDbServer source;
  private final int tables;
  private final int rows;
  private final long seed;
  private final Workload workload;
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong rowChanges = new AtomicLong();
  private final AtomicLong tickets = new AtomicLong();
  private volatile boolean quiet;
  private long lastLog = System.nanoTime();

  WriteOnlyLoad(MariaDbServer source, int tables, int rows, long seed, Workload workload) {
    this.workload = workload;
    this.source = source;
    this.tables = tables;
    this.rows = rows;
    this.seed = seed;
  }

  /** Runs {@code transactions} transactions split over {@code clients} connections; returns the seconds taken. */
  double run(int transactions, int clients) throws Exception {
    return run(transactions, clients, 0);
  }

  /**
   * Runs {@code transactions} transactions split over {@code clients} connections, at most {@code rate} per second
   * when {@code rate > 0} (open loop: transaction i is due at start + i / rate, whichever client is free takes it, and a
   * late one starts at once); returns the seconds taken.
   */
  double run(int transactions, int clients, double rate) throws Exception {
    long t0 = System.nanoTime();
    done.set(0);
    rowChanges.set(0);
    tickets.set(0);
    ExecutorService pool = Executors.newFixedThreadPool(clients, r -> {
      Thread t = new Thread(r, "bench-load");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        int share = transactions / clients + (i < transactions % clients ? 1 : 0);
        int client = i;
        futures.add(pool.submit(() -> {
          client(client, rate > 0 ? Integer.MAX_VALUE : share, rate > 0 ? transactions : 0, rate, t0);
          return null;
        }));
      }
      for (Future<?> f : futures) {
        while (!f.isDone()) {
          Thread.sleep(200);
          logProgress(transactions, t0);
        }
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (quiet) {
      return seconds;
    }
    CONSOLE.info("  backlog built: {} transactions by {} client(s) in {} s ({} tx/s on the source){}", done.get(),
        clients, fmt(seconds), Math.round(done.get() / seconds),
        retries.get() == 0 ? "" : ", " + retries.get() + " deadlock retries");
    return seconds;
  }

  /** Row changes the committed transactions made (the sum of the statements' affected rows). */
  long rowChanges() {
    return rowChanges.get();
  }

  /** Transactions committed by the last {@link #run}. */
  long transactions() {
    return done.get();
  }

  /** No progress or summary lines (the live phase prints its own). */
  WriteOnlyLoad quiet() {
    quiet = true;
    return this;
  }

  private synchronized void logProgress(int total, long t0) {
    if (!quiet && System.nanoTime() - lastLog > 10_000_000_000L) {
      lastLog = System.nanoTime();
      CONSOLE.info("  ... {} of {} transactions after {} s", done.get(), total, fmt((lastLog - t0) / 1e9));
    }
  }

  /**
   * One connection's share: {@code transactions} of them, or when {@code rate > 0}, tickets from the shared counter
   * until {@code total} are taken, each started no earlier than its due time.
   */
  private void client(int client, int transactions, int total, double rate, long t0)
      throws SQLException, InterruptedException {
    Random random = new Random(seed * 7_919 + client);
    try (Connection c = DriverManager.getConnection(source.jdbcUrl(null) + "&useServerPrepStmts=true"
        + "&cachePrepStmts=true", source.adminUser(), source.adminPassword())) {
      c.setAutoCommit(false);
      Statements[] st = new Statements[tables + 1];
      for (int t = 1; t <= tables; t++) {
        st[t] = new Statements(c, Sbtest.table(t));
      }
      for (int i = 0; i < transactions; i++) {
        if (rate > 0) {
          long ticket = tickets.getAndIncrement();
          if (ticket >= total) {
            break;
          }
          long due = t0 + (long) (ticket * 1e9 / rate);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
        long txSeed = random.nextLong();
        while (true) {
          try {
            int changed = transaction(st, new Random(txSeed));
            c.commit();
            rowChanges.addAndGet(changed);
            done.incrementAndGet();
            break;
          } catch (SQLException e) {
            c.rollback();
            if (e.getErrorCode() != 1213 && e.getErrorCode() != 1205) {
              throw e;
            }
            retries.incrementAndGet();
          }
        }
      }
    }
  }

  /** Runs one transaction's statements; returns the rows they changed. */
  private int transaction(Statements[] st, Random r) throws SQLException {
    return switch (workload) {
      case OLTP_INSERT -> insert(st[1 + r.nextInt(tables)], 0, r);
      case OLTP_UPDATE_INDEX -> updateIndex(st, r);
      case OLTP_UPDATE_NON_INDEX -> updateNonIndex(st, r);
      case OLTP_DELETE -> deleteAndInsert(st, r);
      default -> updateIndex(st, r) + updateNonIndex(st, r) + deleteAndInsert(st, r);
    };
  }

  private int updateIndex(Statements[] st, Random r) throws SQLException {
    PreparedStatement index = st[1 + r.nextInt(tables)].indexUpdate;
    index.setInt(1, 1 + r.nextInt(rows));
    return index.executeUpdate();
  }

  private int updateNonIndex(Statements[] st, Random r) throws SQLException {
    PreparedStatement nonIndex = st[1 + r.nextInt(tables)].nonIndexUpdate;
    nonIndex.setString(1, Sbtest.digits(r, 10));
    nonIndex.setInt(2, 1 + r.nextInt(rows));
    return nonIndex.executeUpdate();
  }

  private int deleteAndInsert(Statements[] st, Random r) throws SQLException {
    Statements dt = st[1 + r.nextInt(tables)];
    int id = 1 + r.nextInt(rows);
    dt.delete.setInt(1, id);
    int deleted = dt.delete.executeUpdate();
    return deleted + insert(dt, id, r);
  }

  /** An INSERT of {@code id}, or of a new auto-increment id when {@code id} is 0 (as oltp_insert does). */
  private int insert(Statements dt, int id, Random r) throws SQLException {
    dt.insert.setInt(1, id);
    dt.insert.setInt(2, 1 + r.nextInt(rows));
    dt.insert.setString(3, Sbtest.digits(r, 10));
    dt.insert.setString(4, Sbtest.digits(r, 5));
    return dt.insert.executeUpdate();
  }

  private static final class Statements {
    final PreparedStatement indexUpdate;
    final PreparedStatement nonIndexUpdate;
    final PreparedStatement delete;
    final PreparedStatement insert;

    Statements(Connection c, String table) throws SQLException {
      indexUpdate = c.prepareStatement("UPDATE " + table + " SET k = k + 1 WHERE id = ?");
      nonIndexUpdate = c.prepareStatement("UPDATE " + table + " SET c = ? WHERE id = ?");
      delete = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?");
      insert = c.prepareStatement("INSERT INTO " + table + " (id, k, c, pad) VALUES (?, ?, ?, ?)");
    }
  }

  static String fmt(double seconds) {
    return String.format(java.util.Locale.ROOT, "%.1f", seconds);
  }
}
