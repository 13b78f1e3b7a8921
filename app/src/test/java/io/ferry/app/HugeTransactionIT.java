package io.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.worker.position.BinlogPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A source transaction of 1,000,000 rows, and one of 200 one-megabyte rows, arrive whole through a job process
 * whose heap is capped far below the transaction's size: the reader/applier queue and the applier's buffer bound
 * memory, the destination transaction is streamed and committed once, with the checkpoint.
 */
class HugeTransactionIT extends ChildJobBase {
  private static final Logger LOG = LoggerFactory.getLogger(HugeTransactionIT.class);
  private static final int ROWS = 1_000_000;

  @Test
  void aMillionRowTransactionFitsInASmallHeap() throws Exception {
    replicateOneTransaction("huge", "a INT, b VARCHAR(100), c DATETIME(6), d DOUBLE",
        "seq % 1000, REPEAT(CHAR(65 + seq % 26), 60 + seq % 40), '2024-05-06 07:08:09.123456' + INTERVAL seq SECOND,"
            + " seq / 7", ROWS);
  }

  /**
   * 200 rows of a megabyte each, fewer than the applier buffers by count and than the queue holds by events: only
   * the bounds by size (the queue's binlog bytes, the buffer's) keep the 200 MB out of the 128 MB heap.
   */
  @Test
  void aTransactionOfWideRowsFitsInASmallHeap() throws Exception {
    replicateOneTransaction("wide", "a LONGBLOB", "CONCAT(seq, ':', REPEAT(CHAR(65 + seq % 26), 1048576))", 200);
  }

  /**
   * A 15 MB row through a 32 MB heap cannot be decoded: the attempt fails with OUT_OF_MEMORY and its remedy and is
   * retried from the checkpoint (the process goes on), where a dead reader thread used to leave the job silent.
   */
  @Test
  void aRowTheHeapCannotHoldFailsTheAttemptWithOutOfMemoryAndARemedy() throws Exception {
    String db = "oom_src";
    source.execute("CREATE DATABASE " + db, "CREATE TABLE " + db + ".big (id BIGINT PRIMARY KEY, a LONGBLOB)");
    Path config = ChildJobSupport.writeJob(dir, "oom", source, destination, db, "oom_copy");
    FerryProcess child = FerryProcess.replicate(config, dir.resolve("oom.log"), "-Xmx32m");
    children.add(child);
    ChildJobSupport.await("the job's first checkpoint", Duration.ofSeconds(60), child, () -> "",
        () -> Files.readString(child.log()).contains("starting from"));
    source.execute("INSERT INTO " + db + ".big VALUES (1, REPEAT('x', 15 * 1024 * 1024))");
    BinlogPosition end = ChildJobSupport.sourceEnd(source);
    ChildJobSupport.await("the attempt failing with OUT_OF_MEMORY", Duration.ofSeconds(60), child, () -> "",
        () -> Files.readString(child.log()).contains("[OUT_OF_MEMORY]"));
    String log = Files.readString(child.log());
    assertThat(log).contains("ran out of heap").contains("FERRY_JAVA_OPTS").contains("retry 1 of");
    assertThat(child.isAlive()).as("the job is retried, not ended" + child.tail()).isTrue();
    try (Connection d = destination.rootConnection()) {
      assertThat(ChildJobSupport.checkpoint(d, "oom").compareTo(end)).as("nothing committed past the row").isLessThan(0);
    }
    child.sigterm();
  }

  /**
   * Starts a job process with a 128 MB heap on database {@code id}_src, inserts {@code rows} rows of {@code columns}
   * (after {@code id BIGINT PRIMARY KEY}) with {@code values} of {@code seq} in one transaction, and checks that they
   * arrive whole in the job's process without running out of memory.
   */
  private void replicateOneTransaction(String id, String columns, String values, int rows) throws Exception {
    String db = id + "_src";
    String copy = id + "_copy";
    source.execute("CREATE DATABASE " + db, "CREATE TABLE " + db + ".big (id BIGINT PRIMARY KEY, " + columns + ")");
    Path config = ChildJobSupport.writeJob(dir, id, source, destination, db, copy);
    FerryProcess child = FerryProcess.replicate(config, dir.resolve(id + ".log"), "-Xmx128m");
    children.add(child);
    ChildJobSupport.await("the job's first checkpoint", Duration.ofSeconds(60), child, () -> "",
        () -> Files.readString(child.log()).contains("starting from"));

    source.execute("INSERT INTO " + db + ".big SELECT seq, " + values + " FROM " + db + ".seq_1_to_" + rows);
    BinlogPosition end = ChildJobSupport.sourceEnd(source);
    long started = System.nanoTime();
    try (Connection d = destination.rootConnection()) {
      ChildJobSupport.await("the " + rows + "-row transaction applied", Duration.ofMinutes(5), child, () -> "",
          () -> !ChildJobSupport.checkpoint(d, id).isAfter(end) && ChildJobSupport.checkpoint(d, id)
              .compareTo(end) >= 0);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    String peak = Files.readString(Path.of("/proc/" + child.pid() + "/status")).lines()
        .filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM: unknown");
    LOG.info("applied {} rows in one transaction in {} s ({} rows/s) with -Xmx128m; child peak RSS {}", rows,
        String.format("%.1f", seconds), Math.round(rows / seconds), peak.replaceAll("\\s+", " "));
    assertThat(child.isAlive()).as("the job process is still running" + child.tail()).isTrue();
    assertThat(Files.readString(child.log())).doesNotContain("OutOfMemoryError");
    ChildJobSupport.assertSameData(source, db, destination, copy, "big");
    child.sigterm();
  }
}
