package io.ferry.worker.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import io.ferry.worker.position.BinlogFiles;
import io.ferry.worker.position.BinlogPosition;
import java.sql.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The checkpoint row keeps, with each position, when the source created the position's binlog file; a
 * checkpoint table of an earlier version gets the column and its row resumes without it.
 */
class CheckpointStoreIT {
  private static MariaDbServer destination;

  @BeforeAll
  static void start() {
    destination = MariaDbServer.start(MariaDbConfig.destination());
  }

  @AfterAll
  static void stop() {
    destination.close();
  }

  @Test
  void anOlderCheckpointTableGetsTheFileCreationTimeAndEveryAdvanceWritesIt() throws Exception {
    // the table as a version before owner_connection and binlog_file_created made it, with a job's row
    destination.execute("CREATE DATABASE ferry_old", "CREATE TABLE ferry_old.checkpoint (job_id VARCHAR(64) NOT NULL"
        + " PRIMARY KEY, epoch BIGINT NOT NULL, binlog_file VARCHAR(255) NULL, binlog_pos BIGINT NULL, gtid_set TEXT NULL,"
        + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)) ENGINE=InnoDB",
        "INSERT INTO ferry_old.checkpoint (job_id, epoch, binlog_file, binlog_pos, gtid_set)"
        + " VALUES ('j', 3, 'mysql-bin.000007', 1234, '0-1-99')");
    BinlogFiles files = new BinlogFiles("job j");
    CheckpointStore store = new CheckpointStore("ferry_old", "j", files);
    try (Connection c = destination.rootConnection()) {
      store.ensureTables(c);
      store.ensureTables(c); // a second time changes nothing
      CheckpointStore.Claim claim = store.claim(c, 0);
      assertThat(claim.epoch()).isEqualTo(4);
      assertThat(claim.position()).isEqualTo(new BinlogPosition("mysql-bin.000007", 1234, "0-1-99"));
      assertThat(claim.fileCreated()).as("written by an older version").isNull();

      c.setAutoCommit(false);
      files.record("mysql-bin.000007", 1_700_000_000L, "test");
      store.advance(c, 4, claim.position());
      c.commit();
      assertThat(store.claim(c, 0).fileCreated()).isEqualTo(1_700_000_000L);

      // a position in a file whose creation time is not known stores none, never the previous file's
      store.advance(c, 5, new BinlogPosition("mysql-bin.000008", 4, "0-1-99"));
      c.rollback(); // nothing committed: the row keeps its position and time
      assertThat(store.claim(c, 0).fileCreated()).isEqualTo(1_700_000_000L);
      store.advance(c, 6, new BinlogPosition("mysql-bin.000008", 4, "0-1-99"));
      c.commit();
      assertThat(store.claim(c, 0).fileCreated()).isNull();

      files.record("mysql-bin.000008", 1_700_000_100L, "test");
      store.advance(c, 7, new BinlogPosition("mysql-bin.000008", 500, "0-1-100"));
      c.commit();
      assertThat(files.created("mysql-bin.000007")).as("files before the checkpoint's are forgotten").isNull();
      assertThat(destination.queryString("SELECT CONCAT(binlog_file, ':', binlog_pos, '@', binlog_file_created)"
          + " FROM ferry_old.checkpoint WHERE job_id = 'j'")).isEqualTo("mysql-bin.000008:500@1700000100");

      store.reset(c);
      c.commit();
      CheckpointStore.Claim afterReset = store.claim(c, 0);
      assertThat(afterReset.position()).isNull();
      assertThat(afterReset.fileCreated()).isNull();
    }
  }
}
