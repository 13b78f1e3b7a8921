package io.ferry.worker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.worker.JobRunner;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.copy.Verifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Verify on real servers: twenty runs under a running write load report "match" (lag is never a
 * mismatch), and rows changed or deleted behind Ferry's back on the destination are found and named by
 * their keys, also in a table with a case-insensitive composite key.
 */
class VerifyIT extends SourceAndDestination {
  @Test
  void matchesUnderLoadAndNamesRowsChangedBehindFerrysBack() throws Exception {
    String db = ItSupport.uniqueDb("verify");
    String copy = db + "_copy";
    MixedLoad.createTables(source, db);
    source.execute("INSERT INTO " + db + ".items (account_id, qty, label, payload) SELECT seq % 500, seq,"
            + " CONCAT('item ', seq), UNHEX(SHA2(seq, 256)) FROM " + db + ".seq_1_to_5000",
        "CREATE TABLE " + db + ".tags (name VARCHAR(20) COLLATE utf8mb4_general_ci NOT NULL, n INT NOT NULL,"
            + " note VARCHAR(10), PRIMARY KEY (name, n))",
        "INSERT INTO " + db + ".tags SELECT ELT(1 + seq % 4, 'a', 'B', 'ä', 'Ü'), seq, 'x' FROM " + db + ".seq_1_to_2500",
        // An ENUM in the key (members out of name order): range bounds are its index, as the copy reads it.
        "CREATE TABLE " + db + ".zenums (f ENUM('z', 'a', 'm') NOT NULL, n INT NOT NULL, PRIMARY KEY (f, n))",
        "INSERT INTO " + db + ".zenums SELECT ELT(1 + seq % 3, 'z', 'a', 'm'), seq FROM " + db + ".seq_1_to_2500");
    JobConfig job = InitialCopyIT.snapshotJob("verify", source, destination, db, copy, 1_000, false, db + ".journal");
    JobRunner runner = InitialCopyIT.start(job);
    try {
      ItSupport.awaitCaughtUp(runner, source);
      // A steady load of about 60 transactions/s, which the job keeps up with while verify runs.
      ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
      ScheduledFuture<?> ticks = load.scheduleAtFixedRate(() -> {
        try {
          MixedLoad.run(source, db, 1, 3);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, 0, 50, TimeUnit.MILLISECONDS);
      List<String> runs = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Verifier.Report report = verifier(job).run();
        runs.add(i + ": " + report);
        assertThat(report.match()).as("run %d under load: %s", i, runs).isTrue();
        assertThat(report.tables()).extracting(Verifier.TableResult::table)
            .containsExactly(db + ".accounts", db + ".items", db + ".tags", db + ".zenums");
      }
      assertThat(ticks.isDone()).as("the load still runs (it stops only on a failure)").isFalse();
      load.shutdown();
      assertThat(load.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
      ItSupport.awaitCaughtUp(runner, source);

      destination.execute("UPDATE " + copy + ".items SET qty = qty + 1000 WHERE id IN (17, 4321)",
          "DELETE FROM " + copy + ".tags WHERE name = 'Ü' AND n = 7",
          "INSERT INTO " + copy + ".tags VALUES ('zz', 1, 'extra')",
          "DELETE FROM " + copy + ".zenums WHERE n = 2000");
      List<String> progress = new ArrayList<>();
      Verifier.Report report = verifier(job).run((done, total, rows, table) -> progress.add(done + "/" + total + " "
          + rows + " " + table));
      // Told after every key range and every table; the last call counts every row of every table.
      long rowsChecked = report.tables().stream().mapToLong(Verifier.TableResult::rowsChecked).sum();
      assertThat(progress).hasSizeGreaterThan(4).endsWith("4/4 " + rowsChecked + " null")
          .anyMatch(line -> line.startsWith("0/4 ") && line.endsWith(" " + db + ".accounts"))
          .anyMatch(line -> line.startsWith("1/4 ") && line.endsWith(" " + db + ".items"));
      assertThat(report.match()).isFalse();
      assertThat(report.tables().get(0).match()).as("accounts").isTrue();
      Verifier.TableResult items = report.tables().get(1);
      assertThat(items.match()).isFalse();
      assertThat(items.mismatches()).containsExactly("id=17", "id=4321");
      assertThat(items.rowsChecked()).isGreaterThanOrEqualTo(5_000);
      assertThat(report.tables().get(2).mismatches()).containsExactlyInAnyOrder("name=Ü,n=7", "name=zz,n=1");
      Verifier.TableResult enums = report.tables().get(3);
      assertThat(enums.rowsChecked()).isGreaterThanOrEqualTo(2_499);
      assertThat(enums.mismatches()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .endsWith(",n=2000");
    } finally {
      ItSupport.stop(runner);
    }
  }

  private static Verifier verifier(JobConfig job) {
    return new Verifier(job, Duration.ofSeconds(60), 10, Clock.systemUTC());
  }
}
