package io.ferry.worker.copy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import io.ferry.worker.jdbc.SourceQueries;
import io.ferry.worker.position.BinlogPosition;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both ways of finding a chunk's snapshot position on a real server: MariaDB's snapshot status and the
 * LOCK TABLES moment MySQL needs (which MariaDB runs the same way). Each reads what the snapshot holds and
 * a position at which the snapshot stands: not before a commit it contains, not after one it misses.
 */
class ChunkReaderIT {
  private static MariaDbServer source;

  @BeforeAll
  static void start() {
    source = MariaDbServer.start(MariaDbConfig.builder().role(MariaDbConfig.Role.SOURCE).serverId(1).build());
    source.execute("CREATE DATABASE chunks", "CREATE TABLE chunks.t (id INT PRIMARY KEY, v VARCHAR(10))",
        "INSERT INTO chunks.t SELECT seq, CONCAT('v', seq) FROM chunks.seq_1_to_25");
  }

  @AfterAll
  static void stop() {
    source.close();
  }

  @Test
  void snapshotStatusAndLockTablesBothPlaceTheSnapshot() throws Exception {
    for (ChunkReader.Method method : ChunkReader.Method.values()) {
      try (Connection control = source.rootConnection();
           ChunkReader reader = new ChunkReader(source.rootConnection(), control, method)) {
        TablePlan plan = TablePlan.read(control, "chunks", "t", "chunks_copy");
        BinlogPosition before = SourceQueries.currentPosition(control);
        ChunkReader.Chunk first = reader.read(plan, null, null, 10, Long.MAX_VALUE);
        assertThat(first.at()).as(method.name()).isEqualTo(before.withGtidSet(first.at().gtidSet()));
        assertThat(first.rows()).hasSize(10);
        assertThat(first.lastKey()).containsExactly("10");
        assertThat(first.endOfTable()).isFalse();

        source.execute("UPDATE chunks.t SET v = 'changed' WHERE id = 11");
        BinlogPosition after = SourceQueries.currentPosition(control);
        ChunkReader.Chunk second = reader.read(plan, first.lastKey(), null, 10, Long.MAX_VALUE);
        assertThat(second.at().compareTo(after)).as(method.name() + ": the snapshot holds the update").isEqualTo(0);
        assertThat(new String(second.rows().get(0)[1])).isEqualTo("changed");

        ChunkReader.Chunk rest = reader.read(plan, second.lastKey(), null, 10, Long.MAX_VALUE);
        assertThat(rest.rows()).hasSize(5);
        assertThat(rest.endOfTable()).isTrue();
        ChunkReader.Chunk small = reader.read(plan, null, null, 10, 40);
        assertThat(small.rows()).as("the byte budget cuts the chunk").hasSizeLessThan(10);
        assertThat(small.endOfTable()).isFalse();
        ChunkReader.Chunk range = reader.read(plan, List.of("5"), List.of("12"), 10, Long.MAX_VALUE);
        assertThat(range.rows()).as("a key range: after 5 up to and including 12").hasSize(7);
        assertThat(range.lastKey()).containsExactly("12");
        assertThat(range.endOfTable()).as("the range's end").isTrue();
        source.execute("UPDATE chunks.t SET v = CONCAT('v', id) WHERE id = 11");
      }
    }
  }

  @Test
  void lockTablesGivesUpWhileAnotherSessionHoldsTheTable() throws Exception {
    try (Connection holder = source.rootConnection(); Statement s = holder.createStatement();
         Connection control = source.rootConnection();
         ChunkReader reader = new ChunkReader(source.rootConnection(), control, ChunkReader.Method.LOCK_TABLES)) {
      TablePlan plan = TablePlan.read(control, "chunks", "t", "chunks_copy");
      s.execute("LOCK TABLES chunks.t WRITE");
      assertThat(reader.read(plan, null, null, 10, Long.MAX_VALUE)).as("not granted within a second").isNull();
      s.execute("UNLOCK TABLES");
      assertThat(reader.read(plan, null, null, 10, Long.MAX_VALUE).rows()).hasSize(10);
      assertThat(List.of(reader.method())).containsExactly(ChunkReader.Method.LOCK_TABLES);
    }
  }
}
