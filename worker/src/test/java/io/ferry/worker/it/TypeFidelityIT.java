package io.ferry.worker.it;

import io.ferry.protocol.FileTrees;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import io.ferry.mariadb.check.TableChecksum;
import io.ferry.mariadb.check.TableDiff;
import io.ferry.worker.JobRunner;
import io.ferry.worker.apply.Applier;
import io.ferry.worker.config.DdlPolicy;
import io.ferry.worker.it.TypeTorture.Spec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Types, byte for byte: every integer width signed and unsigned at its limits, DECIMAL(65,30), FLOAT, DOUBLE
 * (subnormals, negative zero), BIT(1/7/64), DATE/DATETIME/TIME/TIMESTAMP at every fractional precision (negative
 * and >24h TIME, partial and zero dates, the zero TIMESTAMP, the first and last TIMESTAMP second), YEAR, utf8mb4
 * (4-byte, ZWJ), latin1 and utf8mb4_bin text, BINARY/VARBINARY/BLOBs up to 320 KB, ENUM (its '' error value: see
 * {@link #enumErrorValueArrivesExactly}), SET (64 members), JSON, GEOMETRY/POINT/POLYGON, NULL in every column,
 * VIRTUAL and PERSISTENT/STORED generated columns — with source and destination in different non-UTC time zones.
 *
 * <p>Rows are inserted, then every column of most rows is updated (one update also moves the primary key), then
 * rows are deleted, all while the job runs, into a keyed table and a keyless one (whose updates and deletes match
 * the whole row image). The copies must be equal three ways: by {@link TableChecksum}, by a per-column
 * {@link TableDiff} that names any differing column, and by the values themselves ({@link TypeValues}: HEX /
 * CAST AS CHAR at time_zone +00:00, generated columns included), which guards against the checksum being blind.
 */
class TypeFidelityIT {
  private static final String SOURCE_ZONE = "+05:30";
  private static final String DESTINATION_ZONE = "-03:00";
  private static final String STRICT = "SET SESSION sql_mode = 'STRICT_ALL_TABLES'";

  private static MariaDbServer sourceFull;
  private static MariaDbServer sourceMinimal;
  private static MariaDbServer destination;

  /** Each server's own tmpdir (see {@link #ownTmpdir}), deleted after the servers. */
  private static final List<Path> TMPDIRS = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void servers() {
    CompletableFuture<MariaDbServer> full = CompletableFuture.supplyAsync(
        () -> ItSupport.startSource(b -> ownTmpdir(b).timeZone(SOURCE_ZONE)));
    CompletableFuture<MariaDbServer> minimal = CompletableFuture.supplyAsync(
        () -> ItSupport.startSource(b -> ownTmpdir(b).timeZone(SOURCE_ZONE).binlogRowMetadata("MINIMAL")));
    CompletableFuture<MariaDbServer> dest = CompletableFuture.supplyAsync(
        () -> ItSupport.startDestination(b -> ownTmpdir(b).timeZone(DESTINATION_ZONE)));
    sourceFull = full.join();
    sourceMinimal = minimal.join();
    destination = dest.join();
  }

  /**
   * A server deletes every {@code #sql*} file in its tmpdir when it starts, so with the shared /tmp a server
   * started by a concurrent test removes the on-disk temporary tables of a query running here (sorting rows
   * with BLOBs needs them): "Error on delete of '/tmp/#sql-temptable-...MAI'".
   */
  private static MariaDbConfig.Builder ownTmpdir(MariaDbConfig.Builder b) {
    try {
      Path dir = Files.createTempDirectory("ferry-typefidelity-");
      TMPDIRS.add(dir);
      return b.option("tmpdir", dir.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void close() throws IOException {
    for (MariaDbServer s : new MariaDbServer[] {destination, sourceMinimal, sourceFull}) {
      if (s != null) {
        s.close();
      }
    }
    for (Path dir : TMPDIRS) {
      FileTrees.delete(dir);
    }
  }

  @Test
  void everyTypeArrivesExactlyWithFullRowMetadata() throws Exception {
    assertThat(sourceFull.queryString("SELECT @@binlog_row_metadata")).isEqualTo("FULL");
    String copy = replicateAndCompare(sourceFull, "types_full");

    // The comparison is not blind: one FLOAT ulp (id 4), one DOUBLE ulp (id 1), one TIMESTAMP microsecond (id 2)
    // and, where the server keeps it, the sign of a zero FLOAT (id 70), changed on the destination, are each named.
    String t = copy + ".torture";
    destination.execute("UPDATE " + t + " SET f = 1.0000002 WHERE id = 4",
        "UPDATE " + t + " SET d = 1.7976931348623155e308 WHERE id = 1",
        "UPDATE " + t + " SET ts6 = ts6 + INTERVAL 1 MICROSECOND WHERE id = 2",
        "UPDATE " + t + " SET f = 0e0 WHERE id = 70");
    boolean signedZero = keepsNegativeZero(sourceFull);
    List<String> keys = signedZero ? List.of("id=1", "id=2", "id=4", "id=70") : List.of("id=1", "id=2", "id=4");
    String db = copy.substring(0, copy.length() - "_copy".length());
    try (Connection s = sourceFull.rootConnection(); Connection d = destination.rootConnection()) {
      TableDiff diff = TableDiff.compare(s, db, d, copy, TypeTorture.KEYED);
      assertThat(diff.differingColumns()).as(diff.describe()).containsExactly("f", "d", "ts6");
      assertThat(diff.differingKeys()).as(diff.describe()).containsExactlyElementsOf(keys);
      assertThat(TableChecksum.compute(d, copy, TypeTorture.KEYED).sameDataAs(
          TableChecksum.compute(s, db, TypeTorture.KEYED))).isFalse();
      assertThat(TypeValues.differences(TypeTorture.KEYED, TypeValues.read(s, db, TypeTorture.KEYED),
          TypeValues.read(d, copy, TypeTorture.KEYED))).hasSize(keys.size());
    }
  }

  /**
   * The initial copy reads values through SQL rather than the binlog: every torture value, the emoji ENUM/SET
   * and the ENUM error value arrive exactly, in chunks of two rows (so keys are ranged at every edge value),
   * between servers in different time zones.
   */
  @Test
  void everyTypeSurvivesTheInitialCopy() throws Exception {
    String db = ItSupport.uniqueDb("copy_types");
    String copy = db + "_copy";
    try (Connection c = sourceFull.rootConnection()) {
      TypeTorture.createTables(c, db);
    }
    sourceFull.execute("CREATE TABLE " + db + "." + TypeTorture.EMOJI_ENUM + TypeTorture.EMOJI_ENUM_DDL);
    // SHOW CREATE TABLE loses 4-byte characters of ENUM/SET members (a known gap of created tables).
    destination.execute("CREATE DATABASE " + copy + " CHARACTER SET utf8mb4",
        "CREATE TABLE " + copy + "." + TypeTorture.EMOJI_ENUM + TypeTorture.EMOJI_ENUM_DDL);
    load(sourceFull, db, () -> { });
    sourceFull.execute("SET SESSION sql_mode = ''", "CREATE TABLE " + db + ".e (id INT PRIMARY KEY, e ENUM('a','b'))",
        "INSERT INTO " + db + ".e VALUES (1, 'not a member'), (2, 'b')");
    JobRunner runner = InitialCopyIT.start(InitialCopyIT.snapshotJob("copy_types", sourceFull, destination, db, copy, 2,
        false, db + "." + TypeTorture.KEYLESS));
    try {
      ItSupport.awaitCaughtUp(runner, sourceFull);
      try (Connection s = sourceFull.rootConnection(); Connection d = destination.rootConnection()) {
        for (String table : List.of(TypeTorture.KEYED, TypeTorture.EMOJI_ENUM, "e")) {
          TableDiff diff = TableDiff.compare(s, db, d, copy, table);
          assertThat(TypeValues.differences(table, TypeValues.read(s, db, table), TypeValues.read(d, copy, table)))
              .as("values of %s that differ", table).isEmpty();
          assertThat(diff.equal()).as(diff.describe()).isTrue();
        }
      }
      ItSupport.assertSameData(sourceFull, db, destination, copy, TypeTorture.KEYED, TypeTorture.EMOJI_ENUM, "e");
      assertThat(runner.stats().copy().rowsCopied()).isEqualTo(6 + 2 + 2);
    } finally {
      ItSupport.stop(runner);
    }
  }

  /** MariaDB 11 stores and prints -0 in FLOAT/DOUBLE columns; 10.11 stores +0 (so there is no sign to keep). */
  private static boolean keepsNegativeZero(MariaDbServer server) {
    return "-0".equals(server.queryString("SELECT CAST(-0e0 AS CHAR)"));
  }

  @Test
  void everyTypeArrivesExactlyWithMinimalRowMetadata() throws Exception {
    // Without column names and signedness in the table map they come from the job's schema history.
    assertThat(sourceMinimal.queryString("SELECT @@binlog_row_metadata")).isEqualTo("MINIMAL");
    replicateAndCompare(sourceMinimal, "types_min");
  }

  /**
   * Updates of changed columns reach MariaDB as a table value constructor; MySQL gets one {@code SELECT} per
   * row instead, which this sends to MariaDB to show that every type survives that form too.
   */
  @Test
  void everyTypeArrivesExactlyThroughUpdatesOfUnionAllSelectRows() throws Exception {
    System.setProperty(Applier.UNION_ALL_SELECT_PROPERTY, "true");
    try {
      replicateAndCompare(sourceFull, "types_sel");
    } finally {
      System.clearProperty(Applier.UNION_ALL_SELECT_PROPERTY);
    }
  }

  /**
   * ENUM's error value: '' with index 0, which a non-strict source stores for a value that is not a member. The
   * applier session is strict ({@code Applier.SQL_MODE}, so that a value that does not fit a destination column
   * fails instead of being truncated), and no strict INSERT/REPLACE can store index 0: the applier writes such a
   * row alone in a lenient session.
   */
  @Test
  void enumErrorValueArrivesExactly() throws Exception {
    String db = ItSupport.uniqueDb("types_enum0");
    String copy = db + "_copy";
    sourceFull.execute("CREATE DATABASE " + db + " CHARACTER SET utf8mb4",
        "CREATE TABLE " + db + ".e (id INT PRIMARY KEY, e ENUM('a','b'))");
    JobRunner runner = ItSupport.start(ItSupport.job("types_enum0", sourceFull, destination, List.of(db + ".*"),
        Map.of(db, copy), DdlPolicy.EXEC));
    try {
      sourceFull.execute("SET SESSION sql_mode = ''",
          "INSERT INTO " + db + ".e VALUES (1, 'not a member'), (2, 'b')",
          "UPDATE " + db + ".e SET e = 'neither' WHERE id = 2");
      ItSupport.awaitCaughtUp(runner, sourceFull);
      try (Connection s = sourceFull.rootConnection(); Connection d = destination.rootConnection()) {
        Map<String, Map<String, String>> values = TypeValues.read(s, db, "e");
        assertThat(values.get("1")).containsEntry("e", " #0");
        assertThat(TypeValues.differences("e", values, TypeValues.read(d, copy, "e"))).isEmpty();
      }
      ItSupport.assertSameData(sourceFull, db, destination, copy, "e");
    } finally {
      ItSupport.stop(runner);
    }
  }

  /**
   * An update of integer and DECIMAL columns over consecutive keys goes as one single-table {@code UPDATE … SET c =
   * ELT(key - lo + 1, …) WHERE key BETWEEN lo AND hi} (no derived table: the destination's {@code Com_update_multi}
   * stays put): every width signed and unsigned at its limits, DECIMAL(65,30), negatives and NULL arrive exactly,
   * with a negative key range and a row the destination lacks (written whole).
   */
  @Test
  void numbersUpdatedByTheirKeysPositionArriveExactly() throws Exception {
    String db = ItSupport.uniqueDb("types_pos");
    String copy = db + "_copy";
    sourceFull.execute("CREATE DATABASE " + db + " CHARACTER SET utf8mb4",
        "CREATE TABLE " + db + ".n (id BIGINT PRIMARY KEY, i8 TINYINT, u8 TINYINT UNSIGNED, i16 SMALLINT,"
            + " u16 SMALLINT UNSIGNED, i24 MEDIUMINT, u24 MEDIUMINT UNSIGNED, i32 INT, u32 INT UNSIGNED, i64 BIGINT,"
            + " u64 BIGINT UNSIGNED, d65 DECIMAL(65,30), d2 DECIMAL(10,2) NOT NULL, note VARCHAR(10))");
    JobRunner runner = ItSupport.start(ItSupport.job("types_pos", sourceFull, destination, List.of(db + ".*"),
        Map.of(db, copy), DdlPolicy.EXEC));
    try {
      sourceFull.execute("INSERT INTO " + db + ".n SELECT CAST(seq AS SIGNED) - 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 'x'"
          + " FROM " + db + ".seq_1_to_8");
      ItSupport.awaitCaughtUp(runner, sourceFull);
      destination.execute("DELETE FROM " + copy + ".n WHERE id = 2");
      long multiBefore = comUpdateMulti();
      sourceFull.execute("UPDATE " + db + ".n SET"
          + " i8 = IF(id % 2, -128, 127), u8 = IF(id % 2, 0, 255), i16 = IF(id % 2, -32768, 32767),"
          + " u16 = IF(id % 2, 0, 65535), i24 = IF(id % 2, -8388608, 8388607), u24 = IF(id % 2, 0, 16777215),"
          + " i32 = IF(id % 2, -2147483648, 2147483647), u32 = IF(id % 2, 0, 4294967295),"
          + " i64 = IF(id % 2, -9223372036854775808, 9223372036854775807),"
          + " u64 = IF(id % 2, 0, 18446744073709551615),"
          + " d65 = IF(id % 2, -99999999999999999999999999999999999.999999999999999999999999999999,"
          + " 0.000000000000000000000000000001), d2 = id * -1.25",
          "UPDATE " + db + ".n SET i8 = NULL, u64 = NULL, d65 = NULL WHERE id = 0");
      ItSupport.awaitCaughtUp(runner, sourceFull);
      assertThat(comUpdateMulti()).as("updates that joined a derived table").isEqualTo(multiBefore);
      try (Connection s = sourceFull.rootConnection(); Connection d = destination.rootConnection()) {
        assertThat(TypeValues.differences("n", TypeValues.read(s, db, "n"), TypeValues.read(d, copy, "n"))).isEmpty();
      }
      ItSupport.assertSameData(sourceFull, db, destination, copy, "n");
    } finally {
      ItSupport.stop(runner);
    }
  }

  private static long comUpdateMulti() {
    return Long.parseLong(destination.queryString(
        "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'COM_UPDATE_MULTI'"));
  }

  /** Creates, loads and checks the torture tables; returns the destination database. */
  private static String replicateAndCompare(MariaDbServer source, String label) throws Exception {
    String db = ItSupport.uniqueDb(label);
    String copy = db + "_copy";
    try (Connection c = source.rootConnection(); Connection d = destination.rootConnection();
         Statement ds = d.createStatement()) {
      TypeTorture.createTables(c, db);
      source.execute("CREATE TABLE " + db + "." + TypeTorture.EMOJI_ENUM + TypeTorture.EMOJI_ENUM_DDL);
      ds.execute("CREATE DATABASE " + copy + " CHARACTER SET utf8mb4");
      ds.execute("CREATE TABLE " + copy + "." + TypeTorture.EMOJI_ENUM + TypeTorture.EMOJI_ENUM_DDL);
    }
    JobRunner runner = ItSupport.start(ItSupport.job(label, source, destination, List.of(db + ".*"),
        Map.of(db, copy), DdlPolicy.EXEC));
    try {
      load(source, db, () -> ItSupport.awaitCaughtUp(runner, source));
      ItSupport.awaitCaughtUp(runner, source);
      try (Connection s = source.rootConnection(); Connection d = destination.rootConnection()) {
        String negativeZero = keepsNegativeZero(source) ? "-0" : "0";
        assertSourceHoldsTheEdges(TypeValues.read(s, db, TypeTorture.KEYED), negativeZero);
        for (String table : TypeTorture.TABLES) {
          TableDiff diff = TableDiff.compare(s, db, d, copy, table);
          List<String> values = TypeValues.differences(table, TypeValues.read(s, db, table),
              TypeValues.read(d, copy, table));
          assertThat(diff.equal()).as("%s%nvalues that differ:%n%s", diff.describe(), String.join("\n", values))
              .isTrue();
          assertThat(diff.sourceRows()).isEqualTo(6);
          assertThat(values).as("values of %s that differ between %s and %s", table, db, copy).isEmpty();
          assertDigestIgnoresSessionTimeZone(s, db, table);
        }
        TableDiff emoji = TableDiff.compare(s, db, d, copy, TypeTorture.EMOJI_ENUM);
        assertThat(emoji.equal()).as(emoji.describe()).isTrue();
        Map<String, Map<String, String>> emojiValues = TypeValues.read(s, db, TypeTorture.EMOJI_ENUM);
        assertThat(emojiValues.get("1")).containsEntry("e", "F09F9880 #2").containsEntry("s", "782CF09D849E #3");
        assertThat(TypeValues.differences(TypeTorture.EMOJI_ENUM, emojiValues,
            TypeValues.read(d, copy, TypeTorture.EMOJI_ENUM))).isEmpty();
      }
      ItSupport.assertSameData(source, db, destination, copy, TypeTorture.KEYED, TypeTorture.KEYLESS,
          TypeTorture.EMOJI_ENUM);
    } finally {
      ItSupport.stop(runner);
    }
    return copy;
  }

  /** A step between the load's phases (for instance: wait until the job has applied them). */
  interface Between {
    void run() throws SQLException;
  }

  /**
   * INSERT, then UPDATE of every column (one also moving the key), then DELETE, on both tables;
   * {@code insertsApplied} runs after each table's inserts, so that a job that waits there for them to be
   * applied meets the updates as updates of rows its destination holds (not merged with their inserts).
   */
  static void load(MariaDbServer source, String db, Between insertsApplied) throws SQLException {
    try (Connection c = source.rootConnection(); Statement s = c.createStatement()) {
      s.execute(STRICT);
      for (String t : TypeTorture.TABLES) {
        c.setAutoCommit(false);
        Map<Integer, Spec> first = new LinkedHashMap<>();
        first.put(1, TypeTorture.min());
        first.put(2, TypeTorture.max());
        first.put(3, TypeTorture.zero());
        first.put(4, TypeTorture.nulls());
        s.execute(TypeTorture.insert(db, t, first)); // one multi-row statement
        s.execute(TypeTorture.insert(db, t, Map.of(5, TypeTorture.tricky())));
        s.execute(TypeTorture.insert(db, t, Map.of(6, TypeTorture.floats())));
        s.execute(TypeTorture.insert(db, t, Map.of(7, TypeTorture.floats2())));
        s.execute(TypeTorture.insert(db, t, Map.of(8, TypeTorture.small())));
        c.commit();
        c.setAutoCommit(true);
        insertsApplied.run();

        c.setAutoCommit(false);
        s.execute(TypeTorture.update(db, t, 1, 1, TypeTorture.max()));
        s.execute(TypeTorture.update(db, t, 2, 2, TypeTorture.min()));
        s.execute(TypeTorture.update(db, t, 4, 4, TypeTorture.tricky()));   // NULL -> values
        s.execute(TypeTorture.update(db, t, 5, 5, TypeTorture.nulls()));    // values -> NULL
        s.execute(TypeTorture.update(db, t, 3, 3, TypeTorture.small()));
        s.execute(TypeTorture.update(db, t, 7, 70, TypeTorture.floats()));  // moves the primary key
        s.execute(TypeTorture.update(db, t, 8, 8, TypeTorture.zero()));
        c.commit();
        c.setAutoCommit(true);

        s.execute("DELETE FROM " + db + "." + t + " WHERE id IN (6, 3)");
      }
      String emoji = db + "." + TypeTorture.EMOJI_ENUM;
      s.execute("INSERT INTO " + emoji + " VALUES (1, 'a', 'x'), (2, '😀', '𝄞'), (3, NULL, NULL)");
      s.execute("UPDATE " + emoji + " SET e = '😀', s = 'x,𝄞' WHERE id = 1");
      s.execute("UPDATE " + emoji + " SET e = 'ü', s = '𝄞,ü' WHERE id = 3");
      s.execute("DELETE FROM " + emoji + " WHERE id = 2");
    }
  }

  /** The source really holds the edge values (nothing was clamped or converted on the way in). */
  private static void assertSourceHoldsTheEdges(Map<String, Map<String, String>> rows, String negativeZero) {
    assertThat(rows.keySet()).containsExactly("1", "2", "4", "5", "8", "70");
    Map<String, String> max = rows.get("1");
    assertThat(max.get("u64")).isEqualTo("18446744073709551615");
    assertThat(max.get("i64")).isEqualTo("9223372036854775807");
    assertThat(max.get("bit64")).isEqualTo("FFFFFFFFFFFFFFFF #18446744073709551615");
    assertThat(max.get("s64")).endsWith(" #FFFFFFFFFFFFFFFF");
    assertThat(max.get("dec65")).isEqualTo("9".repeat(35) + "." + "9".repeat(30));
    assertThat(max.get("f")).isEqualTo("3.4028234663852886e38");
    assertThat(max.get("tm6")).isEqualTo("838:59:59.999999");
    assertThat(max.get("ts6")).isEqualTo("2038-01-19 03:14:07.999999 @2147483647.999999");
    assertThat(max.get("y")).isEqualTo("2155");
    assertThat(max.get("g_virt")).isEqualTo("2147483648");
    Map<String, String> min = rows.get("2");
    assertThat(min.get("i64")).isEqualTo("-9223372036854775808");
    assertThat(min.get("tm6")).isEqualTo("-838:59:59.999999");
    assertThat(min.get("ts0")).isEqualTo("1970-01-01 00:00:01 @1");
    assertThat(min.get("ts6")).isEqualTo("1970-01-01 00:00:01.000001 @1.000001");
    assertThat(min.get("d")).isEqualTo("-1.7976931348623157e308");
    Map<String, String> tricky = rows.get("4");
    assertThat(tricky.get("d")).isEqualTo(negativeZero);
    assertThat(tricky.get("f")).isEqualTo("1.0000001192092896");
    assertThat(tricky.get("d_date")).isEqualTo("2020-00-15");
    assertThat(tricky.get("dt6")).isEqualTo("2020-00-15 12:34:56.123456");
    assertThat(tricky.get("tm1")).isEqualTo("-00:00:00.1");
    assertThat(tricky.get("tm6")).isEqualTo("-00:00:00.000001");
    assertThat(tricky.get("s64")).isEqualTo("6D30312C6D3634 #8000000000000001");
    assertThat(tricky.get("bin8")).isEqualTo("0102000000000000");
    Map<String, String> nulls = new LinkedHashMap<>(rows.get("5"));
    assertThat(nulls.remove("id")).isEqualTo("5");
    assertThat(nulls.values()).hasSize(max.size() - 1).containsOnly("NULL");
    Map<String, String> zero = rows.get("8");
    assertThat(zero.get("e")).isEqualTo("61 #1");
    assertThat(zero.get("y")).isEqualTo("0000");
    assertThat(zero.get("d_date")).isEqualTo("0000-00-00");
    assertThat(zero.get("dt6")).isEqualTo("0000-00-00 00:00:00.000000");
    assertThat(zero.get("ts0")).startsWith("0000-00-00 00:00:00 @");
    Map<String, String> floats = rows.get("70");
    assertThat(floats.get("f")).isEqualTo(negativeZero);
    assertThat(floats.get("d")).isEqualTo("2.2250738585072014e-308");
  }

  /** The digest of a table does not depend on the session time zone (TIMESTAMPs are compared as UTC). */
  private static void assertDigestIgnoresSessionTimeZone(Connection c, String db, String table) throws SQLException {
    TableChecksum atServerZone = TableChecksum.compute(c, db, table);
    try (Statement s = c.createStatement()) {
      s.execute("SET SESSION time_zone = '-11:00'");
      assertThat(TableChecksum.compute(c, db, table).rowDigest()).as("digest of %s.%s at -11:00", db, table)
          .isEqualTo(atServerZone.rowDigest());
    }
  }
}
