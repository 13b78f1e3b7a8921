package io.ferry.worker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.worker.JobRunner;
import io.ferry.worker.config.DdlPolicy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Invariant 1 and 4 on real servers: a concurrent mixed load and a 200,000-row transaction arrive whole. */
class MixedLoadIT extends SourceAndDestination {
  @Test
  void mixedConcurrentLoadAndAHugeTransactionEndEqual() throws Exception {
    String db = ItSupport.uniqueDb("mixed");
    String copy = db + "_copy";
    MixedLoad.createTables(source, db);
    JobRunner runner = ItSupport.start(ItSupport.job("mixed", source, destination, List.of(db + ".*"),
        Map.of(db, copy), DdlPolicy.EXEC));
    try {
      MixedLoad.run(source, db, 4, 400);
      try (Connection c = source.rootConnection(); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        s.execute("INSERT INTO " + db + ".items (account_id, qty, label, payload)"
            + " SELECT seq % 500, seq, CONCAT('bulk', seq), NULL FROM " + db + ".seq_1_to_200000");
        s.execute("UPDATE " + db + ".accounts SET name = 'after bulk'");
        c.commit();
      }
      MixedLoad.run(source, db, 2, 100);
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, copy, "accounts", "items", "journal");
      assertThat(runner.stats().rowsApplied()).isGreaterThan(200_000);
    } finally {
      ItSupport.stop(runner);
    }
  }
}
