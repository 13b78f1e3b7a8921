package io.ferry.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.mariadb.MariaDbServer;
import io.ferry.worker.JobRunner;
import io.ferry.worker.config.DdlPolicy;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.StartPosition;
import io.ferry.worker.config.TableFilter;
import io.vertx.core.json.JsonArray;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The initial copy splits tables whose key is not one integer column into key ranges copied by parallel
 * lanes: a VARCHAR key in a case-insensitive, PAD SPACE collation (mixed case, accents, trailing spaces
 * and tabs), a latin1 CHAR key, a two-column key of bytes and a DATETIME, a DECIMAL key, and an ENUM and
 * TIMESTAMP key. The copy is
 * stopped twice part-way and resumed from the ranges' bounds and last keys as the destination recorded
 * them; in the end every table holds more than one range, the rows copied add up to the source's rows
 * exactly (no range overlaps another), each stored bound of the string and binary keys is a source key
 * byte for byte, and every table equals the source by row digest and CHECKSUM TABLE.
 */
class KeyRangeCopyIT extends SourceAndDestination {
  private static final int ROWS = 20_000;
  private static final String[] TABLES = {"names", "codes", "pairs", "prices", "stamps"};

  @Test
  void tablesWithStringCompositeAndDecimalKeysAreCopiedInDisjointRangesAcrossRestarts() throws Exception {
    String db = ItSupport.uniqueDb("copy_ranges");
    String copy = db + "_copy";
    source.execute("CREATE DATABASE " + db + " CHARACTER SET utf8mb4",
        // Case-insensitive and PAD SPACE: 'a' sorts with 'A' and 'ä'; every key ends in spaces, which the
        // collation ignores and the copy keeps; 'a1<tab> ' sorts below 'a1'.
        "CREATE TABLE " + db + ".names (k VARCHAR(40) COLLATE utf8mb4_general_ci PRIMARY KEY, v INT NOT NULL)",
        "INSERT INTO " + db + ".names SELECT CONCAT(ELT(1 + seq % 6, 'a', 'B', 'ä', 'Z', 'b', 'Ä'), seq,"
            + " ELT(1 + seq % 4, ' ', '   ', CONCAT(CHAR(9), ' '), 'x ')), seq FROM " + db + ".seq_1_to_" + ROWS,
        // latin1 bytes: a bound read as bytes in the column's own charset.
        "CREATE TABLE " + db + ".codes (c CHAR(12) CHARACTER SET latin1 COLLATE latin1_german1_ci NOT NULL,"
            + " v INT, UNIQUE KEY (c))",
        "INSERT INTO " + db + ".codes SELECT CONCAT(ELT(1 + seq % 4, 'ß', 'Ö', 'ä', 'Ü'), LPAD(seq, 6, '0')), seq"
            + " FROM " + db + ".seq_1_to_" + ROWS,
        // Few distinct first columns: bounds fall inside a run of equal tags. Bytes 0x00, 0xFF, a trailing space.
        "CREATE TABLE " + db + ".pairs (tag VARBINARY(8) NOT NULL, at DATETIME(6) NOT NULL, v VARCHAR(20),"
            + " PRIMARY KEY (tag, at))",
        "INSERT INTO " + db + ".pairs SELECT ELT(1 + seq % 5, X'00', X'41', X'4120', X'61', X'FF00'),"
            + " '2026-01-01' + INTERVAL seq * 1001 MICROSECOND, CONCAT('p', seq) FROM " + db + ".seq_1_to_" + ROWS,
        "CREATE TABLE " + db + ".prices (p DECIMAL(12,3) PRIMARY KEY, v INT)",
        "INSERT INTO " + db + ".prices SELECT (CAST(seq AS SIGNED) - " + ROWS / 2 + ") / 8, seq FROM " + db + ".seq_1_to_" + ROWS,
        // An ENUM orders by its members' numbers, not their names; a TIMESTAMP bound travels in UTC.
        "CREATE TABLE " + db + ".stamps (e ENUM('zeta', 'alpha', 'mid') NOT NULL, ts TIMESTAMP(3) NOT NULL, v INT,"
            + " PRIMARY KEY (e, ts))",
        "INSERT INTO " + db + ".stamps SELECT ELT(1 + seq % 3, 'zeta', 'alpha', 'mid'), FROM_UNIXTIME(1700000000"
            + " + seq * 7.001), seq FROM " + db + ".seq_1_to_" + ROWS);
    for (String t : TABLES) {
      source.execute("ANALYZE TABLE " + db + "." + t); // the row estimate the split is sized by
    }
    JobConfig job = new JobConfig("copy_ranges", ItSupport.admin(source), ItSupport.admin(destination),
        new TableFilter(List.of(db + ".*"), List.of()), Map.of(db, copy),
        new StartPosition.Snapshot(false, 500, 4, 64, StartPosition.Snapshot.Keyless.REFUSE), DdlPolicy.EXEC,
        // every copy step is one chunk per lane, so a stop lands part-way
        new JobConfig.Tuning(JobConfig.Tuning.DEFAULT_BATCH_MAX_ROWS, 0, JobConfig.Tuning.DEFAULT_QUEUE_CAPACITY,
            JobConfig.Tuning.DEFAULT_HEARTBEAT_SECONDS, 0, JobConfig.Tuning.DEFAULT_FERRY_SCHEMA,
            JobConfig.Tuning.DEFAULT_QUEUE_MAX_BYTES));
    String state = "FROM _ferry.copy_state WHERE job_id = 'copy_ranges'";
    long copiedBefore = 0;
    String plannedBounds = null;
    for (int round = 0; round < 2; round++) {
      JobRunner runner = InitialCopyIT.start(job);
      long from = copiedBefore;
      ItSupport.awaitCopied(runner, from + 3_000);
      ItSupport.stop(runner);
      long copied = runner.stats().copy().rowsCopied();
      assertThat(copied).as("round %d went on from %d", round, copiedBefore).isGreaterThan(copiedBefore)
          .isLessThan((long) TABLES.length * ROWS);
      copiedBefore = copied;
      String bounds = destination.queryString("SELECT GROUP_CONCAT(ordinal, ':', COALESCE(range_end, '-')"
          + " ORDER BY ordinal SEPARATOR ' ') " + state);
      if (plannedBounds == null) {
        plannedBounds = bounds;
      }
      assertThat(bounds).as("the ranges planned first are the ones resumed").isEqualTo(plannedBounds);
    }
    JobRunner runner = InitialCopyIT.start(job);
    try {
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> runner.stats() != null
          && runner.stats().copy() != null && runner.stats().copy().done());
      for (String t : TABLES) {
        String ranges = destination.queryString("SELECT COUNT(*) " + state + " AND table_name = '" + t + "'");
        assertThat(Integer.parseInt(ranges)).as("key ranges of %s", t).isGreaterThan(1);
        assertThat(destination.queryString("SELECT SUM(rows_copied) " + state + " AND table_name = '" + t + "'"))
            .as("rows copied of %s: each row in exactly one range", t)
            .isEqualTo(source.queryString("SELECT COUNT(*) FROM " + db + "." + t)).isEqualTo(String.valueOf(ROWS));
      }
      // Each stored bound is a key of the table byte for byte (a trailing space or a 0x00 kept).
      assertThat(boundsFound(db, "names", "CAST(k AS BINARY) = ?")).isEqualTo(3);
      assertThat(boundsFound(db, "codes", "CAST(c AS BINARY) = ?")).as("latin1 bytes").isEqualTo(3);
      assertThat(boundsFound(db, "pairs", "tag = ? AND at = ?")).isEqualTo(3);
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, copy, TABLES);
      for (String t : TABLES) {
        assertThat(checksumTable(destination, copy + "." + t)).as("CHECKSUM TABLE %s", t)
            .isEqualTo(checksumTable(source, db + "." + t));
      }
    } finally {
      ItSupport.stop(runner);
    }
  }

  /**
   * How many of a table's stored range ends match a source row under {@code where}, its parameters bound
   * from the stored key (base64 for bytes and strings, the literal otherwise).
   */
  private static int boundsFound(String db, String table, String where) throws SQLException {
    int found = 0;
    try (Connection d = destination.rootConnection(); Connection c = source.rootConnection();
         Statement s = d.createStatement();
         ResultSet ends = s.executeQuery("SELECT range_end FROM _ferry.copy_state WHERE job_id = 'copy_ranges'"
             + " AND table_name = '" + table + "' AND range_end IS NOT NULL");
         PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + db + "." + table + " WHERE " + where)) {
      while (ends.next()) {
        JsonArray key = new JsonArray(ends.getString(1));
        ps.setBytes(1, Base64.getDecoder().decode(key.getString(0)));
        if (key.size() > 1) {
          ps.setString(2, key.getString(1));
        }
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          found += rs.getInt(1);
        }
      }
    }
    return found;
  }

  private static long checksumTable(MariaDbServer server, String table) throws SQLException {
    try (Connection c = server.rootConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("CHECKSUM TABLE " + table)) {
      rs.next();
      return rs.getLong(2);
    }
  }
}
