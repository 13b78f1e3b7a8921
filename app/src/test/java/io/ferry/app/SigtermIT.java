package io.ferry.app;

import static io.ferry.app.ChildJobSupport.assertExactPrefix;
import static io.ferry.app.ChildJobSupport.await;
import static io.ferry.app.ChildJobSupport.destState;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.app.ChildJobSupport.DestState;
import io.ferry.worker.position.BinlogPosition;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requirement 6 and the graceful stop: SIGTERM to the job's process (a real child JVM) during a load exits 0 with the
 * checkpoint exact (the destination holds exactly the source's transactions up to it), also when the signal arrives
 * in the middle of a big transaction; the next start resumes from that checkpoint and ends equal to the source.
 */
class SigtermIT extends ChildJobBase {
  private static final Logger LOG = LoggerFactory.getLogger(SigtermIT.class);
  private static final Duration WAIT = Duration.ofSeconds(60);


  @Test
  void sigtermUnderLoadStopsCleanlyWithAnExactCheckpointAndTheNextStartContinuesExactly() throws Exception {
    long seed = Long.getLong("ferry.it.seed", System.nanoTime());
    Random random = new Random(seed);
    String db = "sigterm_src";
    String copy = "sigterm_copy";
    String job = "sigterm";
    LedgerLoad.createTables(source, db);
    Path config = ChildJobSupport.writeJob(dir, job, source, destination, db, copy);

    try (Connection d = destination.rootConnection();
         Connection dirty = ChildJobSupport.readUncommitted(destination)) {
      FerryProcess first = start(config);
      await("the first run records its start position", WAIT, first, () -> "seed " + seed,
          () -> ChildJobSupport.checkpoint(d, job) != null && first.logContains("RUNNING"));
      load = new LedgerLoad(source, db, seed, 400);
      load.start();
      Supplier<String> context = () -> "seed " + seed + ", " + load.describe();

      // 1. SIGTERM while small transactions stream in.
      int n = 100 + random.nextInt(200);
      await("the first run applies " + n + " transactions", WAIT, first, load, context,
          () -> ChildJobSupport.ledgerRows(d, copy) >= n);
      DestState afterFirst = stop(first, d, copy, job, "SIGTERM under load, seed " + seed);
      long k = afterFirst.max();
      assertThat(k).as("applied before the stop").isGreaterThanOrEqualTo(n);
      await("the source moves on while the job is stopped", WAIT, null, load, context,
          () -> load.committed() >= k + 100);

      // 2. The next start resumes at exactly that checkpoint; SIGTERM it while a big transaction is applied.
      FerryProcess second = start(config);
      await("the second run resumes", WAIT, second, load, context, () -> second.logContains("resuming from"));
      assertThat(second.logNames("resuming from", afterFirst.checkpoint().file() + ":"
          + afterFirst.checkpoint().position()))
          .as("the second run resumes from the stored checkpoint %s%s", afterFirst.checkpoint(), second.tail())
          .isTrue();
      await("the second run applies past " + k, WAIT, second, load, context,
          () -> ChildJobSupport.ledgerMax(d, copy) > k);
      long threshold = 2_000 + random.nextInt(40_000);
      load.requestBigTransaction();
      await("the second run applies the big transaction", WAIT, second, load, context,
          () -> ChildJobSupport.bulkRowsIncludingUncommitted(dirty, copy) >= threshold || bigApplied(d, copy));
      DestState afterSecond = stop(second, d, copy, job, "SIGTERM while the big transaction is applied (uncommitted"
          + " bulk rows >= " + threshold + "), seed " + seed);
      load.awaitRecorded(0, 1); // the destination saw its rows: the source has committed it
      boolean midBig = afterSecond.max() < load.bigNumbers().get(0);
      assertThat(afterSecond.max()).as("progress of the second run").isGreaterThan(k);
      if (midBig) {
        assertThat(afterSecond.bulkRows()).as("the big transaction in flight was rolled back").isZero();
      }

      // 3. The third run continues exactly, catches up and ends equal to the source.
      FerryProcess third = start(config);
      await("the third run resumes", WAIT, third, load, context, () -> third.logContains("resuming from"));
      assertThat(third.logNames("resuming from", afterSecond.checkpoint().file() + ":"
          + afterSecond.checkpoint().position()))
          .as("the third run resumes from the stored checkpoint %s%s", afterSecond.checkpoint(), third.tail()).isTrue();
      await("the third run applies more", WAIT, third, load, context,
          () -> ChildJobSupport.ledgerMax(d, copy) > afterSecond.max());
      load.stop();
      BinlogPosition end = ChildJobSupport.sourceEnd(source);
      await("the third run catches up to " + end, Duration.ofSeconds(120), third, load, context, () -> {
        BinlogPosition cp = ChildJobSupport.checkpoint(d, job);
        return cp != null && cp.compareTo(end) >= 0;
      });
      DestState last = stop(third, d, copy, job, "SIGTERM after catching up, seed " + seed);
      LOG.info("seed {}: stopped at {} / {} (big transaction {}) / {}; {}", seed, afterFirst, afterSecond,
          midBig ? "in flight, rolled back" : "already applied", last, load.describe());
      String why = "seed " + seed + ", mid-big " + midBig + ", " + load.describe();
      assertThat(last.max()).as("every committed transaction applied once (%s)", why).isEqualTo(load.committed());
      assertThat(last.bulkRows()).as("bulk rows (%s)", why).isEqualTo(LedgerLoad.BIG_ROWS);
      ChildJobSupport.assertSameData(source, db, destination, copy, "accounts", "ledger", "bulk");
    }
  }

  /** SIGTERM, exit 0 within a deadline, the log says it stopped, and the destination is an exact prefix. */
  private DestState stop(FerryProcess child, Connection d, String copy, String job, String context) throws Exception {
    child.sigterm();
    int exit = child.awaitExit(30);
    assertThat(exit).as("exit code after %s%s", context, child.tail()).isZero();
    assertThat(child.logContains("received SIGTERM, stopping cleanly")).as("log of %s%s", context, child.tail())
        .isTrue();
    assertThat(child.logContains("stopped at")).as("log of %s%s", context, child.tail()).isTrue();
    DestState state = destState(d, copy, job);
    assertExactPrefix(state, load, context + child.tail());
    assertThat(child.logNames("stopped at", state.checkpoint().file() + ":" + state.checkpoint().position()))
        .as("the log names the stored checkpoint %s (%s)%s", state.checkpoint(), context, child.tail()).isTrue();
    return state;
  }

  private boolean bigApplied(Connection d, String copy) throws Exception {
    List<Long> bigs = load.bigNumbers();
    return !bigs.isEmpty() && ChildJobSupport.ledgerMax(d, copy) >= bigs.get(0);
  }

  private FerryProcess start(Path config) throws Exception {
    FerryProcess p = FerryProcess.replicate(config, dir.resolve(String.format("run-%02d.log", children.size())));
    children.add(p);
    return p;
  }
}
