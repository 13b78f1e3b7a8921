package io.ferry.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.mariadb.net.TcpProxy;
import io.ferry.worker.JobListener;
import io.ferry.worker.JobOptions;
import io.ferry.worker.JobRunner;
import io.ferry.worker.JobState;
import io.ferry.worker.config.ConnectionConfig;
import io.ferry.worker.config.DdlPolicy;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.StartPosition;
import io.ferry.worker.config.TableFilter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The job reaches its DESTINATION through a TCP proxy: a blackholed destination (no packets, nothing
 * closed) stops a job in the middle of a write — during streaming and during the initial copy — within
 * seconds, not after the driver's 5-minute socket timeout: the job says STARTING with
 * DESTINATION_UNREACHABLE while it retries, and after healing it catches up. A reset, added latency
 * and a bandwidth limit are ridden out. Every case ends equal by checksum (the copy with no chunk
 * copied twice).
 */
class DestinationFaultIT extends SourceAndDestination {
  /** Heartbeat 1 s: a call stuck 3 s is probed, and the probe gets 2 s. */
  private static final Duration DETECTED_WITHIN = Duration.ofSeconds(20);

  private static ConnectionConfig via(TcpProxy proxy) {
    return new ConnectionConfig("127.0.0.1", proxy.port(), destination.adminUser(), destination.adminPassword(),
        ConnectionConfig.TlsMode.DISABLED);
  }

  private static long awaitUnreachable(JobRunner runner) {
    long began = System.nanoTime();
    await().atMost(DETECTED_WITHIN).pollInterval(Duration.ofMillis(50)).until(() -> runner.state() == JobState.STARTING
        && runner.error() != null && "DESTINATION_UNREACHABLE".equals(runner.error().code()));
    long millis = (System.nanoTime() - began) / 1_000_000;
    assertThat(runner.error().getMessage()).contains("destination " + destination.adminUser() + "@127.0.0.1");
    return millis;
  }

  /**
   * A job held by a lock at the destination (a reachable server that does not let it write) reports a
   * lag that grows while it waits, not the lag of its last commit, and catches up once the lock goes.
   */
  @Test
  void aJobHeldByADestinationLockShowsAGrowingLag() throws Exception {
    String db = ItSupport.uniqueDb("dlock");
    String copy = db + "_copy";
    source.execute("CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v INT)",
        "INSERT INTO " + db + ".t VALUES (1, 1)");
    JobRunner runner = ItSupport.start(ItSupport.job("dlock", source, destination, List.of(db + ".*"),
        Map.of(db, copy), DdlPolicy.EXEC));
    try (java.sql.Connection holder = destination.rootConnection()) {
      source.execute("INSERT INTO " + db + ".t VALUES (2, 2)");
      ItSupport.awaitCaughtUp(runner, source);
      long applied = runner.stats().rowsApplied();
      try (java.sql.Statement s = holder.createStatement()) {
        s.execute("LOCK TABLES " + copy + ".t WRITE");
      }
      source.execute("UPDATE " + db + ".t SET v = v + 10");
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> runner.stats().lagSeconds() >= 4);
      assertThat(runner.stats().rowsApplied()).as("nothing applied while the lock holds").isEqualTo(applied);
      assertThat(runner.state()).isEqualTo(JobState.RUNNING);
      try (java.sql.Statement s = holder.createStatement()) {
        s.execute("UNLOCK TABLES");
      }
      ItSupport.awaitCaughtUp(runner, source);
      await().atMost(Duration.ofSeconds(10)).until(() -> runner.stats().lagSeconds() < 2);
      ItSupport.assertSameData(source, db, destination, copy, "t");
    } finally {
      ItSupport.stop(runner);
    }
  }

  @Test
  void blackholeResetLatencyAndBandwidthOfTheDestinationDuringStreaming() throws Exception {
    String db = ItSupport.uniqueDb("dnet");
    String copy = db + "_copy";
    MixedLoad.createTables(source, db);
    try (TcpProxy proxy = TcpProxy.start(destination.port())) {
      JobConfig job = new JobConfig("dnet", ItSupport.admin(source), via(proxy),
          new TableFilter(List.of(db + ".*"), List.of()), Map.of(db, copy), new StartPosition.Current(), DdlPolicy.EXEC,
          new JobConfig.Tuning(5_000, 200, 2_048, 1, 0, "_ferry", JobConfig.Tuning.DEFAULT_QUEUE_MAX_BYTES));
      JobRunner runner = ItSupport.start(job);
      try {
        MixedLoad.run(source, db, 2, 100);
        ItSupport.awaitCaughtUp(runner, source);

        CompletableFuture<Void> load = loadAsync(db, 300);
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.stats().transactionsApplied() > 0);
        proxy.blackhole();
        long detected = awaitUnreachable(runner);
        System.out.printf("destination blackhole during streaming detected in %d ms%n", detected);
        // no RUNNING while the destination is dark, for as long as it stays dark
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
            .until(() -> runner.state() == JobState.STARTING);
        proxy.heal();
        load.get(2, TimeUnit.MINUTES);
        ItSupport.awaitCaughtUp(runner, source);
        ItSupport.assertSameData(source, db, destination, copy, "accounts", "items", "journal");

        long appliedBefore = runner.stats().transactionsApplied();
        load = loadAsync(db, 100);
        // the reset meets a session that is applying the new load
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.stats().transactionsApplied() > appliedBefore);
        proxy.resetAll();
        load.get(2, TimeUnit.MINUTES);
        ItSupport.awaitCaughtUp(runner, source);
        ItSupport.assertSameData(source, db, destination, copy, "accounts", "items", "journal");

        proxy.latency(40);
        proxy.bandwidth(200_000);
        MixedLoad.run(source, db, 2, 60);
        ItSupport.awaitCaughtUp(runner, source);
        proxy.heal();
        ItSupport.assertSameData(source, db, destination, copy, "accounts", "items", "journal");
      } finally {
        ItSupport.stop(runner);
      }
    }
  }

  @Test
  void blackholedDestinationDuringTheInitialCopy() throws Exception {
    int rows = 100_000;
    String db = ItSupport.uniqueDb("dcopy");
    String copy = db + "_copy";
    source.execute("CREATE DATABASE " + db, "CREATE TABLE " + db + ".big (id INT PRIMARY KEY, v VARCHAR(60))",
        "INSERT INTO " + db + ".big SELECT seq, CONCAT('row ', seq, ' ', SHA1(seq)) FROM " + db + ".seq_1_to_" + rows);
    try (TcpProxy proxy = TcpProxy.start(destination.port())) {
      proxy.bandwidth(400_000); // about 6 MB of rows: a copy of a dozen seconds to blackhole in the middle
      JobConfig job = new JobConfig("dcopy", ItSupport.admin(source), via(proxy),
          new TableFilter(List.of(db + ".*"), List.of()), Map.of(db, copy), new StartPosition.Snapshot(false, 1_000),
          DdlPolicy.EXEC, new JobConfig.Tuning(5_000, 200, 2_048, 1, 0, "_ferry", JobConfig.Tuning.DEFAULT_QUEUE_MAX_BYTES));
      JobRunner runner = new JobRunner(job, JobOptions.DEFAULTS, JobListener.NONE);
      runner.start();
      try {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> runner.state()
            == JobState.SNAPSHOT && runner.stats() != null && runner.stats().copy() != null
            && runner.stats().copy().rowsCopied() >= 5_000);
        source.execute("UPDATE " + db + ".big SET v = 'during the copy' WHERE id % 997 = 0");
        proxy.blackhole();
        long detected = awaitUnreachable(runner);
        System.out.printf("destination blackhole during the copy detected in %d ms%n", detected);
        proxy.heal();
        ItSupport.awaitCaughtUp(runner, source);
        ItSupport.assertSameData(source, db, destination, copy, "big");
        assertThat(runner.stats().copy().done()).isTrue();
        assertThat(runner.stats().copy().rowsCopied()).as("no chunk copied twice").isEqualTo(rows);
      } finally {
        ItSupport.stop(runner);
      }
    }
  }

  private static CompletableFuture<Void> loadAsync(String db, int transactions) {
    return CompletableFuture.runAsync(() -> {
      try {
        MixedLoad.run(source, db, 2, transactions);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
