package io.ferry.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.mariadb.net.TcpProxy;
import io.ferry.worker.JobRunner;
import io.ferry.worker.JobState;
import io.ferry.worker.config.ConnectionConfig;
import io.ferry.worker.config.DdlPolicy;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.StartPosition;
import io.ferry.worker.config.TableFilter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The job reaches its source through a TCP proxy that cuts the network: a blackholed source (no
 * packets, nothing closed) is detected within three heartbeat intervals — never RUNNING while nothing
 * moves — and a reset connection is retried; after each the job catches up, equal by checksum.
 */
class NetworkFaultIT extends SourceAndDestination {
  @Test
  void blackholeAndResetOfTheSourceConnectionAreDetectedAndRecovered() throws Exception {
    String db = ItSupport.uniqueDb("net");
    String copy = db + "_copy";
    MixedLoad.createTables(source, db);
    try (TcpProxy proxy = TcpProxy.start(source.port())) {
      ConnectionConfig viaProxy = new ConnectionConfig("127.0.0.1", proxy.port(), source.adminUser(),
          source.adminPassword(), ConnectionConfig.TlsMode.DISABLED);
      JobConfig job = new JobConfig("net", viaProxy, ItSupport.admin(destination),
          new TableFilter(List.of(db + ".*"), List.of()), Map.of(db, copy), new StartPosition.Current(), DdlPolicy.EXEC,
          new JobConfig.Tuning(5_000, 200, 2_048, 1, 0, "_ferry", JobConfig.Tuning.DEFAULT_QUEUE_MAX_BYTES));
      JobRunner runner = ItSupport.start(job);
      try {
        MixedLoad.run(source, db, 2, 100);
        ItSupport.awaitCaughtUp(runner, source);

        proxy.blackhole();
        MixedLoad.run(source, db, 1, 50);
        await().atMost(Duration.ofSeconds(15)).until(() -> runner.state() == JobState.STARTING);
        assertThat(runner.error().code()).isIn("SOURCE_STALLED", "SOURCE_STREAM", "SOURCE_UNREACHABLE");
        proxy.heal();
        ItSupport.awaitCaughtUp(runner, source);
        ItSupport.assertSameData(source, db, destination, copy, "accounts", "items", "journal");

        proxy.resetAll();
        MixedLoad.run(source, db, 1, 50);
        ItSupport.awaitCaughtUp(runner, source);
        ItSupport.assertSameData(source, db, destination, copy, "accounts", "items", "journal");
      } finally {
        ItSupport.stop(runner);
      }
    }
  }
}
