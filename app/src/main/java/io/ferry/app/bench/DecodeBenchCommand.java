package io.ferry.app.bench;

import com.github.shyiko.mysql.binlog.BinaryLogFileReader;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import io.ferry.worker.binlog.decode.BinlogEventDeserializers;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferry bench decode}: how fast Ferry's binlog decoding alone runs on one core — real binlog
 * files written by an embedded MariaDB (inserts, then updates of every row, then deletes), read from
 * disk with Ferry's deserializers, several rounds, rows and row events per CPU second of the reading
 * thread. Two shapes: {@code bulk} (statements of 10,000 rows, which MariaDB packs about 57 to a rows
 * event) and {@code oltp} (one row per statement in small transactions, so every rows event holds one
 * row and comes with its table map, as replication of an OLTP load sees it).
 */
@Command(name = "decode", mixinStandardHelpOptions = true, usageHelpWidth = 120,
    description = {"Measures Ferry's binlog decoding alone: an embedded MariaDB writes a binlog of sysbench-shaped rows",
        "(inserted, then every row updated, then deleted); Ferry's deserializers read the files from disk on one",
        "thread, warm-up rounds and then measured rounds; prints row events and rows per CPU second (the median and",
        "the best of the measured rounds).",
        "--shape bulk writes statements of 10,000 rows (about 57 rows per rows event); --shape oltp one row per",
        "statement, three statements (insert, update, delete of one row) per transaction, so each rows event holds",
        "one row and comes with its own table map."})
final class DecodeBenchCommand implements Callable<Integer> {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");

  @Option(names = "--rows", defaultValue = "500000", description = "Rows written (default ${DEFAULT-VALUE}).")
  int rows;

  @Option(names = "--rounds", defaultValue = "10", description = "Measured read rounds (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--warmup", defaultValue = "5",
      description = "Read rounds before them, not counted: the JIT compiles and recompiles the decoders (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--shape", defaultValue = "bulk",
      description = "bulk or oltp: rows per statement, see above (default ${DEFAULT-VALUE}).")
  Shape shape;

  /** How the rows are written: many per statement, or one per statement. */
  enum Shape { bulk, oltp }

  /** One round's counts and the reading thread's CPU and wall time. */
  private record Round(long events, long rowEvents, long rowImages, long cpuNanos, long wallNanos) {}

  @Override
  public Integer call() throws Exception {
    if (rows < 1 || rounds < 1 || warmup < 0) {
      CONSOLE.info("--rows and --rounds must be positive, --warmup at least 0.");
      return 1;
    }
    try (MariaDbServer server = MariaDbServer.start(MariaDbConfig.source())) {
      CONSOLE.info("Writing a binlog: {} rows inserted, updated and deleted, {}...", rows,
          shape == Shape.bulk ? "10,000 per statement" : "one per statement, one row per transaction");
      write(server);
      List<Path> files = binlogs(server.dataDir());
      long bytes = 0;
      for (Path f : files) {
        bytes += Files.size(f);
      }
      CONSOLE.info("Reading {} binlog file(s), {} MB, {} warm-up and {} measured rounds", files.size(),
          bytes / 1_000_000, warmup, rounds);
      List<Round> measured = new ArrayList<>();
      for (int i = 0; i < warmup + rounds; i++) {
        Round r = read(files);
        if (i >= warmup) {
          measured.add(r);
        }
        CONSOLE.info("  round {}: {} events, {} row events, {} row images in {} ms CPU{}", i + 1, r.events(),
            r.rowEvents(), r.rowImages(), r.cpuNanos() / 1_000_000, i < warmup ? " (warm-up)" : "");
      }
      List<Double> eventsPerCpuSecond = new ArrayList<>();
      List<Double> imagesPerCpuSecond = new ArrayList<>();
      for (Round r : measured) {
        eventsPerCpuSecond.add(r.rowEvents() / (r.cpuNanos() / 1e9));
        imagesPerCpuSecond.add(r.rowImages() / (r.cpuNanos() / 1e9));
      }
      CONSOLE.info("Decoding on one thread (median of {} rounds): {} row events/s and {} row images/s per CPU second"
          + " (best round: {} and {})", measured.size(), Math.round(median(eventsPerCpuSecond)),
          Math.round(median(imagesPerCpuSecond)), Math.round(Collections.max(eventsPerCpuSecond)),
          Math.round(Collections.max(imagesPerCpuSecond)));
      return 0;
    }
  }

  private void write(MariaDbServer server) {
    server.execute("CREATE DATABASE sbtest", "CREATE TABLE sbtest.sbtest1 (id INT PRIMARY KEY, k INT NOT NULL,"
        + " c CHAR(120) NOT NULL, pad CHAR(60) NOT NULL, KEY k_1 (k))");
    int chunk = 10_000;
    for (int from = 1; from <= rows; from += chunk) {
      int to = Math.min(rows, from + chunk - 1);
      if (shape == Shape.oltp) {
        server.execute("BEGIN NOT ATOMIC DECLARE i INT DEFAULT " + from + "; WHILE i <= " + to + " DO"
            + " START TRANSACTION;"
            + " INSERT INTO sbtest.sbtest1 VALUES (i, i % 1000, REPEAT(CONCAT(i, '-'), 10), REPEAT('p', 60));"
            + " UPDATE sbtest.sbtest1 SET k = k + 1, c = REVERSE(c) WHERE id = i;"
            + " DELETE FROM sbtest.sbtest1 WHERE id = i;"
            + " COMMIT; SET i = i + 1; END WHILE; END");
        continue;
      }
      server.execute("INSERT INTO sbtest.sbtest1 SELECT seq, seq % 1000, REPEAT(CONCAT(seq, '-'), 10),"
          + " REPEAT('p', 60) FROM sbtest.seq_" + from + "_to_" + to);
      server.execute("UPDATE sbtest.sbtest1 SET k = k + 1, c = REVERSE(c) WHERE id BETWEEN " + from + " AND " + to);
    }
    if (shape == Shape.bulk) {
      server.execute("DELETE FROM sbtest.sbtest1");
    }
    server.execute("FLUSH BINARY LOGS");
  }

  private static List<Path> binlogs(Path dataDir) throws IOException {
    try (Stream<Path> s = Files.list(dataDir)) {
      return s.filter(p -> p.getFileName().toString().matches("mysql-bin\\.\\d+")).sorted().toList();
    }
  }

  private static Round read(List<Path> files) throws IOException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long wall0 = System.nanoTime();
    long events = 0;
    long rowEvents = 0;
    long images = 0;
    for (Path f : files) {
      try (BinaryLogFileReader reader = new BinaryLogFileReader(new BufferedInputStream(Files.newInputStream(f), 1 << 16),
          BinlogEventDeserializers.create())) {
        for (Event e = reader.readEvent(); e != null; e = reader.readEvent()) {
          events++;
          Object d = e.getData();
          if (d instanceof WriteRowsEventData w) {
            rowEvents++;
            images += w.getRows().size();
          } else if (d instanceof UpdateRowsEventData u) {
            rowEvents++;
            images += 2L * u.getRows().size();
          } else if (d instanceof DeleteRowsEventData x) {
            rowEvents++;
            images += x.getRows().size();
          }
        }
      }
    }
    return new Round(events, rowEvents, images, threads.getCurrentThreadCpuTime() - cpu0, System.nanoTime() - wall0);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
