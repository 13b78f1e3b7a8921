package io.ferry.app;

import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import io.ferry.mariadb.check.TableChecksum;
import io.ferry.worker.JobOptions;
import io.ferry.worker.JobRunner;
import io.ferry.worker.JobState;
import io.ferry.worker.JobStats;
import io.ferry.worker.config.ConnectionConfig;
import io.ferry.worker.config.DdlPolicy;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.StartPosition;
import io.ferry.worker.config.TableFilter;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.jdbc.SourceQueries;
import io.ferry.worker.position.BinlogPosition;
import io.ferry.worker.schema.SchemaReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferry demo}: two embedded MariaDB servers (source with a live shop write load, destination),
 * one job from {@code shop} to {@code shop_copy}, and a progress line until Ctrl+C, which stops
 * everything it started.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, usageHelpWidth = 120,
    description = {"Runs Ferry on this machine with nothing installed beforehand.",
        "Starts an embedded source MariaDB with a live write load on a small shop schema, an embedded destination,",
        "and one job (shop -> shop_copy); prints progress until Ctrl+C, which stops everything it started."})
final class DemoCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");

  @Option(names = "--seconds", description = "Stop by itself after this many seconds (default: run until Ctrl+C).")
  long seconds;

  @Option(names = "--data-dir", description = "Where the demo keeps its lock file (default: $FERRY_DATA_DIR or ./data).")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    Path dir = dataDir != null ? dataDir : Path.of(System.getenv().getOrDefault("FERRY_DATA_DIR", "data"));
    Files.createDirectories(dir);
    try (FileChannel lockFile = FileChannel.open(dir.resolve("demo.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock lock = lockFile.tryLock()) {
      if (lock == null) {
        CONSOLE.info("A ferry demo is already running from {} (its lock file is held); stop it first.", dir.toAbsolutePath());
        return 1;
      }
      return runDemo();
    }
  }

  private int runDemo() throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    Signals.onTermination(stop::countDown);
    CONSOLE.info("Starting two embedded MariaDB servers (the first run unpacks the binaries)...");
    try (MariaDbServer source = MariaDbServer.start(MariaDbConfig.source());
         MariaDbServer destination = MariaDbServer.start(MariaDbConfig.destination())) {
      String sourcePassword = secret();
      String destinationPassword = secret();
      source.createUser("ferry_repl", sourcePassword, "REPLICATION SLAVE, BINLOG MONITOR ON *.*", "SELECT ON shop.*");
      destination.createUser("ferry", destinationPassword, "ALL ON shop_copy.*", "ALL ON _ferry.*");
      try (Connection c = source.rootConnection()) {
        DemoShop.createSchema(c);
      }
      JobConfig job = new JobConfig("demo",
          new ConnectionConfig(source.host(), source.port(), "ferry_repl", sourcePassword, ConnectionConfig.TlsMode.DISABLED),
          new ConnectionConfig(destination.host(), destination.port(), "ferry", destinationPassword,
              ConnectionConfig.TlsMode.DISABLED),
          new TableFilter(List.of("shop.*"), List.of()), Map.of("shop", "shop_copy"), new StartPosition.Current(),
          DdlPolicy.EXEC, null);
      JobRunner runner = new JobRunner(job, JobOptions.DEFAULTS, io.ferry.worker.JobListener.NONE);
      runner.start();
      // The job starts at the source's current position; the load starts only once that is recorded.
      long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(60);
      while (runner.state() != JobState.RUNNING && runner.state() != JobState.ERROR
          && System.currentTimeMillis() < deadline) {
        TimeUnit.MILLISECONDS.sleep(50);
      }
      CONSOLE.info("Source      {}:{} (MariaDB {}), database shop", source.host(), source.port(), source.version());
      CONSOLE.info("Destination {}:{}, database shop_copy (admin login: {}, no password)", destination.host(),
          destination.port(), destination.adminUser());
      CONSOLE.info("Job 'demo' replicates shop.* -> shop_copy.*; a write load runs on the source. Ctrl+C stops.");
      try (Connection load = source.rootConnection(); DemoShop shop = new DemoShop(load)) {
        shop.start();
        report(runner, shop, stop);
      }
      if (runner.state() == JobState.RUNNING) {
        verify(source, destination, runner);
      }
      runner.stop();
      runner.awaitTermination(30, TimeUnit.SECONDS);
      return finalReport(runner);
    }
  }

  private void report(JobRunner runner, DemoShop shop, CountDownLatch stop) throws InterruptedException {
    long deadline = seconds > 0 ? System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(seconds) : Long.MAX_VALUE;
    while (!stop.await(2, TimeUnit.SECONDS) && System.currentTimeMillis() < deadline) {
      JobStats s = runner.stats();
      if (runner.state() == JobState.ERROR) {
        return;
      }
      CONSOLE.info("{}  source transactions {}  |  applied rows {}  transactions {}  lag {}s  at {}",
          runner.state(), shop.transactions(), s == null ? 0 : s.rowsApplied(), s == null ? 0 : s.transactionsApplied(),
          s == null ? "-" : String.format("%.1f", s.lagSeconds()), s == null ? "-" : s.position());
    }
  }

  /** With the load stopped: waits until the job has caught up, then compares every table by checksum. */
  private void verify(MariaDbServer source, MariaDbServer destination, JobRunner runner) throws SQLException,
      InterruptedException {
    BinlogPosition end;
    try (Connection c = source.rootConnection()) {
      end = SourceQueries.currentPosition(c);
    }
    long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(30);
    while (runner.stats() == null || runner.stats().position().compareTo(end) < 0) {
      if (System.currentTimeMillis() > deadline || runner.state() != JobState.RUNNING) {
        CONSOLE.info("The job did not catch up within 30 s; skipping the final comparison.");
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    try (Connection s = source.rootConnection(); Connection d = destination.rootConnection()) {
      for (String table : SchemaReader.tables(s, DemoShop.DATABASE)) {
        TableChecksum a = TableChecksum.compute(s, DemoShop.DATABASE, table);
        TableChecksum b = TableChecksum.compute(d, "shop_copy", table);
        CONSOLE.info("  {} {} rows: {}", String.format("%-12s", table), a.rowCount(),
            a.sameDataAs(b) ? "shop_copy equals shop (checksum)" : "DIFFERS (" + b.rowCount() + " rows in shop_copy)");
      }
    }
  }

  private int finalReport(JobRunner runner) {
    FerryException e = runner.error();
    if (runner.state() == JobState.ERROR && e != null) {
      LOG.error("{}", e.describe());
      return 2;
    }
    CONSOLE.info("Demo stopped; the embedded servers are shut down and their data removed.");
    return 0;
  }

  private static String secret() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

}
