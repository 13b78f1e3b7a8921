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
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requirement 3: {@code kill -9} of the job's process (a real child JVM) at varied moments of a load, twelve times;
 * after each kill the destination holds exactly a prefix of the source's transactions with the checkpoint right after
 * it, and after the last restart the job catches up to exactly the source's data.
 */
class KillNineIT extends ChildJobBase {
  private static final Logger LOG = LoggerFactory.getLogger(KillNineIT.class);
  private static final int KILLS = 12;
  private static final Duration WAIT = Duration.ofSeconds(60);


  /** When a kill happens, relative to the child's start. */
  private enum Moment {
    /** Right after the process started (JVM start-up, preflight or claim). */
    IMMEDIATELY,
    /** As soon as the job has claimed the checkpoint and says where it resumes. */
    AFTER_RESUME,
    /** After the destination gained a random number of transactions. */
    AFTER_TRANSACTIONS,
    /** While a big transaction of the load is being applied (or, if that was too quick to see, right after it). */
    DURING_BIG_TRANSACTION
  }

  @Test
  void killNineAtRandomMomentsUnderLoadLosesAndDoublesNothing() throws Exception {
    long seed = Long.getLong("ferry.it.seed", System.nanoTime());
    Random random = new Random(seed);
    String db = "kill9_src";
    String copy = "kill9_copy";
    String job = "kill9";
    LedgerLoad.createTables(source, db);
    Path config = ChildJobSupport.writeJob(dir, job, source, destination, db, copy);

    List<Moment> moments = new ArrayList<>();
    for (int i = 0; i < KILLS - 2; i++) {
      moments.add(i < 2 ? Moment.IMMEDIATELY : i < 4 ? Moment.AFTER_RESUME : Moment.AFTER_TRANSACTIONS);
    }
    Collections.shuffle(moments, random);
    moments.add(2, Moment.DURING_BIG_TRANSACTION);
    moments.add(8, Moment.DURING_BIG_TRANSACTION);

    try (Connection d = destination.rootConnection();
         Connection dirty = ChildJobSupport.readUncommitted(destination)) {
      FerryProcess child = start(config);
      FerryProcess first = child;
      await("the first run records its start position", WAIT, child, () -> "seed " + seed,
          () -> ChildJobSupport.checkpoint(d, job) != null && first.logContains("RUNNING"));
      load = new LedgerLoad(source, db, seed, 400);
      load.start();
      Supplier<String> context = () -> "seed " + seed + ", " + load.describe();

      List<String> history = new ArrayList<>();
      int midBig = 0;
      for (int i = 0; i < KILLS; i++) {
        Moment moment = moments.get(i);
        FerryProcess running = child;
        long base = ChildJobSupport.ledgerRows(d, copy);
        int before = load.bigNumbers().size();
        String detail = "";
        switch (moment) {
          case IMMEDIATELY -> { }
          case AFTER_RESUME -> await("run " + i + " resumes", WAIT, running, load, context,
              () -> running.logContains("resuming from") || running.logContains("starting from"));
          case AFTER_TRANSACTIONS -> {
            int n = 1 + random.nextInt(120);
            detail = " +" + n;
            await("run " + i + " applies " + n + " more transactions", WAIT, running, load, context,
                () -> ChildJobSupport.ledgerRows(d, copy) >= base + n);
          }
          case DURING_BIG_TRANSACTION -> {
            long threshold = before * (long) LedgerLoad.BIG_ROWS + 1_000 + random.nextInt(45_000);
            load.requestBigTransaction();
            await("run " + i + " applies the big transaction", WAIT, running, load, context,
                () -> ChildJobSupport.bulkRowsIncludingUncommitted(dirty, copy) >= threshold
                    || bigApplied(d, copy, before));
            detail = " (uncommitted bulk rows >= " + threshold + ")";
          }
        }
        int exit = running.kill9();
        assertThat(exit).as("run %d killed by SIGKILL%s", i, running.tail()).isEqualTo(137);
        DestState state = destState(d, copy, job);
        if (moment == Moment.DURING_BIG_TRANSACTION) {
          load.awaitRecorded(0, before + 1); // the destination saw its rows: the source has committed it
          boolean mid = state.max() < load.bigNumbers().get(load.bigNumbers().size() - 1);
          midBig += mid ? 1 : 0;
          detail += mid ? " mid-transaction" : " after it";
        }
        history.add(i + ":" + moment + detail + " -> " + state.max());
        assertExactPrefix(state, load, "after kill " + i + " (" + moment + detail + "), seed " + seed
            + ", kills " + history + running.tail());
        child = start(config);
      }

      FerryProcess last = child;
      load.stop();
      BinlogPosition end = ChildJobSupport.sourceEnd(source);
      await("the last run catches up to " + end, Duration.ofSeconds(120), last, load, context, () -> {
        BinlogPosition cp = ChildJobSupport.checkpoint(d, job);
        return cp != null && cp.compareTo(end) >= 0;
      });
      last.sigterm();
      assertThat(last.awaitExit(30)).as("exit code after SIGTERM%s", last.tail()).isZero();

      DestState state = destState(d, copy, job);
      LOG.info("seed {}: kills (run:moment -> transactions applied) {}; {} of 2 big-transaction kills mid-transaction;"
          + " final {}; {}", seed, history, midBig, state, load.describe());
      String why = "seed " + seed + ", kills " + history + ", mid-big kills " + midBig + ", " + load.describe();
      assertExactPrefix(state, load, "at the end, " + why);
      assertThat(state.max()).as("every committed transaction applied once (%s)", why).isEqualTo(load.committed());
      assertThat(load.bigNumbers()).as("big transactions during the kills").hasSize(2);
      assertThat(state.bulkRows()).as("bulk rows (%s)", why).isEqualTo(2L * LedgerLoad.BIG_ROWS);
      ChildJobSupport.assertSameData(source, db, destination, copy, "accounts", "ledger", "bulk");
    }
  }

  /** Whether the destination has committed the big transaction after the first {@code before} ones. */
  private boolean bigApplied(Connection d, String copy, int before) throws Exception {
    List<Long> bigs = load.bigNumbers();
    return bigs.size() > before && ChildJobSupport.ledgerMax(d, copy) >= bigs.get(before);
  }

  private FerryProcess start(Path config) throws Exception {
    FerryProcess p = FerryProcess.replicate(config, dir.resolve(String.format("run-%02d.log", children.size())));
    children.add(p);
    return p;
  }
}
