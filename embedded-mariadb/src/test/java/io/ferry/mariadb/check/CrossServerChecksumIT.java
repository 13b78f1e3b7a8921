package io.ferry.mariadb.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbDistribution;
import io.ferry.mariadb.MariaDbServer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same rows on two servers (SYSTEM as destination when installed), in differently defined tables and with
 * different time zones, compare equal by row digest; CHECKSUM TABLE differs because the definitions do.
 */
class CrossServerChecksumIT {
    private static MariaDbServer src;
    private static MariaDbServer dst;

    @BeforeAll
    static void start() {
        src = MariaDbServer.start(MariaDbConfig.source());
        MariaDbDistribution other = MariaDbDistribution.SYSTEM.isAvailable() ? MariaDbDistribution.SYSTEM
                : MariaDbDistribution.EMBEDDED;
        dst = MariaDbServer.start(MariaDbConfig.builder().role(MariaDbConfig.Role.DESTINATION).distribution(other)
                .timeZone("+05:30").build());
    }

    @AfterAll
    static void stop() {
        if (src != null) {
            src.close();
        }
        if (dst != null) {
            dst.close();
        }
    }

    @Test
    void sameRowsInDifferentDefinitionsAreEqual() throws Exception {
        src.execute("CREATE DATABASE app", "CREATE TABLE app.people (id BIGINT PRIMARY KEY, "
                + "name VARCHAR(50) CHARACTER SET utf8mb4, city VARCHAR(50) CHARACTER SET latin1, born DATE, "
                + "updated TIMESTAMP(6) NULL, score DOUBLE, photo MEDIUMBLOB, tags SET('a','b','c'), doc JSON) "
                + "ROW_FORMAT=DYNAMIC");
        dst.execute("CREATE DATABASE app", "CREATE TABLE app.people (id INT PRIMARY KEY, "
                + "name VARCHAR(80) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, city TEXT CHARACTER SET utf8mb4, "
                + "born DATE, updated TIMESTAMP(6) NULL, score DOUBLE, photo LONGBLOB, tags SET('a','b','c'), "
                + "doc LONGTEXT, shoe_size INT AS (id * 2) STORED) ROW_FORMAT=COMPACT");
        for (MariaDbServer s : new MariaDbServer[] {src, dst}) {
            fill(s);
        }
        try (Connection a = src.rootConnection(); Connection b = dst.rootConnection()) {
            TableChecksum ca = TableChecksum.compute(a, "app", "people");
            TableChecksum cb = TableChecksum.compute(b, "app", "people");
            assertThat(ca.rowCount()).isEqualTo(30);
            assertThat(cb.sameDataAs(ca)).as("row digests of %s and %s", ca, cb).isTrue();
            assertThat(cb.columns()).doesNotContain("shoe_size");
            assertThat(cb.checksumTable()).as("definitions differ").isNotEqualTo(ca.checksumTable());
            TableDiff diff = TableDiff.compare(a, "app", b, "app", "people");
            assertThat(diff.equal()).as(diff.describe()).isTrue();

            // a case-only change in a case-insensitive column is still a difference
            dst.execute("UPDATE app.people SET city = UPPER(city) WHERE id = 17");
            diff = TableDiff.compare(a, "app", b, "app", "people");
            assertThat(diff.differingColumns()).containsExactly("city");
            assertThat(diff.differingKeys()).containsExactly("id=17");
            assertThat(TableChecksum.compute(b, "app", "people").sameDataAs(ca)).isFalse();
        }
    }

    @Test
    void tablesWithoutPrimaryKeyCompareAsMultisets() throws Exception {
        String ddl = "CREATE TABLE logs.entries (msg VARCHAR(20), n INT)";
        String rows = "INSERT INTO logs.entries VALUES ('x', 1), ('x', 1), ('y', NULL), (NULL, 2)";
        src.execute("CREATE DATABASE logs", ddl, rows);
        dst.execute("CREATE DATABASE logs", ddl, "INSERT INTO logs.entries VALUES (NULL, 2), ('y', NULL), ('x', 1), ('x', 1)");
        try (Connection a = src.rootConnection(); Connection b = dst.rootConnection()) {
            assertThat(TableChecksum.compute(b, "logs", "entries").sameDataAs(TableChecksum.compute(a, "logs", "entries")))
                    .isTrue();
            assertThat(TableDiff.compare(a, "logs", b, "logs", "entries").equal()).isTrue();
            dst.execute("UPDATE logs.entries SET n = 3 WHERE msg = 'x' LIMIT 1");
            TableDiff diff = TableDiff.compare(a, "logs", b, "logs", "entries");
            assertThat(diff.equal()).isFalse();
            assertThat(diff.differingColumns()).containsExactly("n");
            assertThat(diff.differingKeys()).isEmpty();
            assertThat(diff.differingRowCount()).isEqualTo(2);
        }
    }

    @Test
    void missingColumnIsASchemaDifference() throws Exception {
        src.execute("CREATE DATABASE inv", "CREATE TABLE inv.t (id INT PRIMARY KEY, a INT, b INT)",
                "INSERT INTO inv.t VALUES (1, 1, 1)");
        dst.execute("CREATE DATABASE inv", "CREATE TABLE inv.t (id INT PRIMARY KEY, a INT)", "INSERT INTO inv.t VALUES (1, 1)");
        try (Connection a = src.rootConnection(); Connection b = dst.rootConnection()) {
            TableDiff diff = TableDiff.compare(a, "inv", b, "inv", "t");
            assertThat(diff.equal()).isFalse();
            assertThat(diff.schemaDifferences()).containsExactly("column b only in source");
            assertThat(diff.differingColumns()).isEmpty();
        }
    }

    private static void fill(MariaDbServer s) throws Exception {
        try (Connection c = s.rootConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO app.people (id, name, city, born, updated, score, photo, tags, doc) "
                        + "VALUES (?, ?, ?, ?, FROM_UNIXTIME(?), ?, ?, ?, ?)")) {
            for (int i = 1; i <= 30; i++) {
                ps.setInt(1, i);
                ps.setString(2, i % 7 == 0 ? null : "\u00c5sa \uD83E\uDD84 " + i);
                ps.setString(3, "Z\u00fcrich-" + i);
                ps.setString(4, "1990-01-" + (10 + i % 19));
                ps.setString(5, i % 4 == 0 ? null : (1_700_000_000L + i) + ".123456");
                ps.setDouble(6, i / 3.0);
                ps.setBytes(7, i % 6 == 0 ? null : ("\u0000\u00ff-" + i).getBytes(StandardCharsets.ISO_8859_1));
                ps.setString(8, i % 2 == 0 ? "a,c" : "b");
                ps.setString(9, "{\"k\": " + i + "}");
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
