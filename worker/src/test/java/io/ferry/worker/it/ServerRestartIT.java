package io.ferry.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.worker.JobRunner;
import io.ferry.worker.JobState;
import io.ferry.worker.config.DdlPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The source and the destination killed with SIGKILL and restarted while a job runs: the job rides
 * out both (reconnecting from its last committed checkpoint) and ends equal, nothing lost or doubled.
 */
class ServerRestartIT extends SourceAndDestination {
  @Test
  void jobSurvivesSourceAndDestinationRestarts() throws Exception {
    String db = ItSupport.uniqueDb("restart");
    String copy = db + "_copy";
    MixedLoad.createTables(source, db);
    JobRunner runner = ItSupport.start(ItSupport.job("restarts", source, destination, List.of(db + ".*"),
        Map.of(db, copy), DdlPolicy.EXEC));
    try {
      MixedLoad.run(source, db, 2, 300);
      source.kill();
      source.restart();
      java.util.concurrent.CompletableFuture<Void> load = java.util.concurrent.CompletableFuture.runAsync(() -> {
        try {
          MixedLoad.run(source, db, 2, 600);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      long before = runner.stats() == null ? 0 : runner.stats().rowsApplied();
      await().atMost(Duration.ofSeconds(60)).until(() -> runner.stats() != null && runner.stats().rowsApplied() > before);
      destination.kill();
      await().atMost(Duration.ofSeconds(30)).until(() -> runner.state() == JobState.STARTING);
      assertThat(runner.error().retriable()).isTrue();
      destination.restart();
      load.get();
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, copy, "accounts", "items", "journal");
    } finally {
      ItSupport.stop(runner);
    }
  }

  @Test
  void anIdleJobNoticesALostDestinationWithoutWaitingForAWrite() throws Exception {
    String db = ItSupport.uniqueDb("idle");
    MixedLoad.createTables(source, db);
    JobRunner runner = ItSupport.start(ItSupport.job("idle", source, destination, List.of(db + ".*"),
        Map.of(db, db + "_copy"), DdlPolicy.EXEC));
    try {
      ItSupport.awaitCaughtUp(runner, source);
      destination.kill();
      await().atMost(Duration.ofSeconds(30)).until(() -> runner.state() == JobState.STARTING);
      assertThat(runner.error().code()).startsWith("DESTINATION_");
      destination.restart();
      MixedLoad.run(source, db, 1, 50);
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, db + "_copy", "accounts", "items", "journal");
    } finally {
      ItSupport.stop(runner);
    }
  }
}
