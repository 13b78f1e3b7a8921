package io.ferry.worker.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.position.BinlogPosition;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An owner that hangs inside an apply transaction holds the checkpoint row; the next owner ends its
 * session and takes the job, and the hung owner's uncommitted work is gone.
 */
class TakeoverIT {
  private static MariaDbServer destination;

  @BeforeAll
  static void start() {
    destination = MariaDbServer.start(MariaDbConfig.destination());
    destination.execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)");
  }

  @AfterAll
  static void stop() {
    destination.close();
  }

  @Test
  void aNewOwnerEndsTheHungSessionOfAnOlderOne() throws Exception {
    CheckpointStore store = new CheckpointStore("_ferry", "hung");
    try (Connection old = destination.rootConnection(); Connection fresh = destination.rootConnection()) {
      store.ensureTables(old);
      assertThat(store.claim(old, 1).epoch()).isEqualTo(1);
      old.setAutoCommit(false);
      old.createStatement().executeUpdate("INSERT INTO app.t VALUES (1)");
      store.advance(old, 1, new BinlogPosition("mysql-bin.000001", 400, "")); // holds the row lock, never commits

      long t0 = System.nanoTime();
      CheckpointStore.Claim claim = store.claim(fresh, 2);
      long waited = (System.nanoTime() - t0) / 1_000_000;
      assertThat(claim.epoch()).isEqualTo(2);
      assertThat(waited).as("ms until the takeover").isLessThan((Takeover.LOCK_WAIT_SECONDS + 10) * 1000L);
      assertThat(destination.queryString("SELECT COUNT(*) FROM app.t")).as("the hung owner's uncommitted row").isEqualTo("0");
      assertThatThrownBy(old::commit).as("the old session is gone").isInstanceOf(SQLException.class);
    }
  }

  @Test
  void anOwnerDoesNotEndANewerOne() throws Exception {
    CheckpointStore store = new CheckpointStore("_ferry", "newer");
    try (Connection newer = destination.rootConnection(); Connection stale = destination.rootConnection()) {
      store.ensureTables(newer);
      store.claim(newer, 5);
      newer.setAutoCommit(false);
      store.advance(newer, 5, new BinlogPosition("mysql-bin.000001", 400, ""));
      assertThatThrownBy(() -> store.claim(stale, 4)).isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo("FENCED"))
          .hasMessageContaining("stored epoch 5");
      newer.commit();
      assertThat(destination.queryString("SELECT epoch FROM _ferry.checkpoint WHERE job_id = 'newer'")).isEqualTo("5");
    }
  }
}
