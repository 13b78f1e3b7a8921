package io.ferry.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.mariadb.check.WriteLoad;
import io.ferry.worker.JobRunner;
import io.ferry.worker.config.DdlPolicy;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.StartPosition;
import io.ferry.worker.config.TableFilter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The initial copy of a table set of mixed types (200,000 rows; {@code -Dferry.copy.rows=1000000} for the
 * full million) in parallel lanes while a write load changes every table: the copy never blocks the
 * source's writers for more than a second (the load's worst transaction latency), and every table ends
 * equal to the source by checksum. Prints its figures.
 */
class CopyUnderLoadIT extends SourceAndDestination {
  private static final int ROWS = Integer.getInteger("ferry.copy.rows", 200_000);
  private static final int RATE = 200;

  @Test
  void aMixedTableSetIsCopiedUnderWritesWithoutBlockingThem() throws Exception {
    String db = ItSupport.uniqueDb("copy_under_load");
    String copy = db + "_copy";
    int orders = ROWS * 4 / 10;
    int customers = ROWS * 2 / 10;
    int events = ROWS / 4;
    int tags = ROWS - orders - customers - events;
    long t0 = System.nanoTime();
    source.execute("CREATE DATABASE " + db + " CHARACTER SET utf8mb4",
        "CREATE TABLE " + db + ".orders (id BIGINT PRIMARY KEY, customer INT NOT NULL, item VARCHAR(64),"
            + " price DECIMAL(12,2), placed DATETIME(6), note TEXT, code VARBINARY(32), KEY (customer))",
        "INSERT INTO " + db + ".orders SELECT seq, seq % 5003, CONCAT('item ', seq, ' ✓'), seq / 100,"
            + " '2026-01-01' + INTERVAL seq SECOND, IF(seq % 7 = 0, NULL, REPEAT('n', seq % 60)), UNHEX(MD5(seq))"
            + " FROM " + db + ".seq_1_to_" + orders,
        "CREATE TABLE " + db + ".customers (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, email VARCHAR(80) NOT NULL,"
            + " tier ENUM('free','pro','team') NOT NULL, attrs JSON, UNIQUE KEY (email))",
        "INSERT INTO " + db + ".customers SELECT seq, CONCAT('Kundë ', seq), CONCAT('c', seq, '@example.org'),"
            + " ELT(1 + seq % 3, 'free', 'pro', 'team'), JSON_OBJECT('n', seq, 'odd', seq % 2 = 1) FROM " + db
            + ".seq_1_to_" + customers,
        "CREATE TABLE " + db + ".events (day DATE NOT NULL, n INT NOT NULL, payload BLOB, score DOUBLE,"
            + " PRIMARY KEY (day, n))",
        "INSERT INTO " + db + ".events SELECT '2026-01-01' + INTERVAL (seq % 365) DAY, seq, RANDOM_BYTES(24),"
            + " seq / 7 FROM " + db + ".seq_1_to_" + events,
        "CREATE TABLE " + db + ".tags (name VARCHAR(40) COLLATE utf8mb4_general_ci PRIMARY KEY, bits BIT(8),"
            + " seen TIMESTAMP(3) NULL)",
        "INSERT INTO " + db + ".tags SELECT CONCAT(ELT(1 + seq % 4, 'a', 'Ä', 'b', 'Z'), seq), seq % 256,"
            + " '2026-02-01' + INTERVAL seq SECOND FROM " + db + ".seq_1_to_" + tags);
    double fill = (System.nanoTime() - t0) / 1e9;

    WriteLoad load = load(db, orders, customers);
    load.start();
    JobRunner runner = null;
    try {
      // the load runs before, during and after the copy
      await("the load runs before the copy").atMost(Duration.ofSeconds(30)).until(() -> load.transactions() >= 50);
      JobConfig job = new JobConfig("copy_under_load", ItSupport.admin(source), ItSupport.admin(destination),
          new TableFilter(List.of(db + ".*"), List.of()), Map.of(db, copy), new StartPosition.Snapshot(),
          DdlPolicy.EXEC, null);
      long c0 = System.nanoTime();
      long before = load.transactions();
      JobRunner started = InitialCopyIT.start(job);
      runner = started;
      await().atMost(Duration.ofSeconds(600)).pollInterval(Duration.ofMillis(20)).until(() -> started.stats() != null
          && started.stats().copy() != null && started.stats().copy().done());
      double seconds = (System.nanoTime() - c0) / 1e9;
      long during = load.transactions() - before;
      await("the load runs after the copy").atMost(Duration.ofSeconds(30))
          .until(() -> load.transactions() >= before + during + 50);
      load.stop();
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, copy, "orders", "customers", "events", "tags");
      System.out.printf("CopyUnderLoadIT: %d rows filled in %.1f s; copied in %.1f s (%.0f rows/s, 4 lanes) while the"
          + " load committed %d transactions; load in all: %s; equal by checksum%n", ROWS, fill, seconds, ROWS / seconds,
          during, load.describe());
      assertThat(load.worstMillis()).as("the source's worst write latency during the copy (%s)", load.describe())
          .isLessThan(1_000);
      assertThat(during).as("the load's transactions committed while the copy ran (%s)", load.describe())
          .isGreaterThan(20);
    } finally {
      load.stop();
      if (runner != null) {
        ItSupport.stop(runner);
      }
    }
  }

  /**
   * One writer at up to {@link #RATE} transactions/s (fewer when its transactions take longer) changing every
   * table; records each transaction's latency.
   */
  private static WriteLoad load(String db, int orders, int customers) {
    return new WriteLoad(source, RATE, 11, 100_000_000L, "copy-under-load", (s, r, id) -> {
      int o = 1 + r.nextInt(orders);
      s.executeUpdate("UPDATE " + db + ".orders SET price = price + 1, note = CONCAT('upd ', " + o + ") WHERE id = "
          + o);
      s.executeUpdate("INSERT INTO " + db + ".orders VALUES (" + id + ", 1, 'new', 9.99, NOW(6), NULL, NULL)");
      s.executeUpdate("DELETE FROM " + db + ".orders WHERE id = " + (1 + r.nextInt(orders)));
      s.executeUpdate("UPDATE " + db + ".customers SET tier = 'team', attrs = JSON_SET(attrs, '$.seen', " + id
          + ") WHERE id = " + (1 + r.nextInt(customers)));
      s.executeUpdate("DELETE FROM " + db + ".events WHERE n = " + (1 + r.nextInt(orders)) + " LIMIT 1");
      s.executeUpdate("UPDATE " + db + ".tags SET bits = bits ^ 1 WHERE name = CONCAT('b', "
          + (4 * r.nextInt(Math.max(1, orders / 8)) + 2) + ")");
    });
  }
}
