package io.ferry.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.mariadb.check.TableChecksum;
import io.ferry.mariadb.check.TableDiff;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The basic behaviour of a SOURCE server, for each distribution available on this machine. */
class MariaDbServerIT {
    private static final Logger LOG = LoggerFactory.getLogger(MariaDbServerIT.class);
    static final String EMOJI = "caf\u00e9 \uD83D\uDE00\uD83D\uDC4D \u4e2d\u6587";

    @ParameterizedTest
    @EnumSource(MariaDbDistribution.class)
    void sourceServerHasRowBinlogAndChecksumsWork(MariaDbDistribution distribution) throws Exception {
        assumeTrue(distribution.isAvailable(), distribution + " MariaDB not installed here");
        distribution.binaries(); // extraction and template are one-off costs; time the start itself
        long t0 = System.nanoTime();
        try (MariaDbServer db = MariaDbServer.start(MariaDbConfig.builder().distribution(distribution)
                .serverId(7).timeZone("+05:30").build())) {
            LOG.info("{} install+start took {} ms", distribution, (System.nanoTime() - t0) / 1_000_000);
            assertThat(db.host()).isEqualTo("127.0.0.1");
            assertThat(db.version()).contains("MariaDB").startsWith(db.binaries().version());
            assertThat(db.queryString("SELECT CONCAT_WS(',', @@log_bin, @@binlog_format, @@binlog_row_image, "
                    + "@@binlog_row_metadata, @@server_id, @@log_slave_updates, @@gtid_strict_mode, @@time_zone, "
                    + "@@character_set_server, @@collation_server, @@port)"))
                    .isEqualTo("ON,ROW,FULL,FULL,7,ON,ON,+05:30,utf8mb4,utf8mb4_general_ci," + db.port());
            assertThat(db.queryString("SELECT @@innodb_flush_log_at_trx_commit")).isEqualTo("2");
            assertThat(db.queryString("SELECT @@have_ssl")).isEqualTo("DISABLED");
            String pidFile = Files.readString(db.dataDir().resolve("mariadbd.pid"), StandardCharsets.US_ASCII).trim();
            assertThat(Long.parseLong(pidFile)).isEqualTo(db.pid());
            assertThat(db.dataDir().resolve("mariadbd.err")).isNotEmptyFile();

            createShop(db);
            checkRowEventsInBinlog(db);
            checkUserAccount(db);
            checkChecksums(db);
        }
    }

    /** A table with utf8mb4 (emoji), latin1, binary, NULL and generated values. */
    static void createShop(MariaDbServer db) throws Exception {
        db.execute("CREATE DATABASE shop",
                "CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(100) CHARACTER SET utf8mb4, "
                        + "legacy VARCHAR(100) CHARACTER SET latin1, raw VARBINARY(64), doc BLOB, "
                        + "price DECIMAL(10,2), seen TIMESTAMP(3) NULL, flags BIT(8), "
                        + "name_len INT AS (CHAR_LENGTH(name)) VIRTUAL, note TEXT)");
        try (Connection c = db.rootConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO shop.items (id, name, legacy, raw, doc, price, seen, flags, note) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, b'10100101', ?)")) {
            for (int i = 1; i <= 50; i++) {
                ps.setInt(1, i);
                ps.setString(2, EMOJI + " #" + i);
                ps.setString(3, "na\u00efve \u00d8re " + i);
                ps.setBytes(4, new byte[] {0, (byte) 0xff, (byte) i, 0x27, 0x5c});
                ps.setBytes(5, i % 5 == 0 ? null : ("blob" + i).getBytes(StandardCharsets.UTF_8));
                ps.setBigDecimal(6, new java.math.BigDecimal(i + ".25"));
                ps.setString(7, i % 3 == 0 ? null : "2024-02-29 12:00:00.123");
                ps.setString(8, i % 2 == 0 ? "N" : null);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (Connection c = db.rootConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name, legacy, raw FROM shop.items WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(EMOJI + " #1");
            assertThat(rs.getString(2)).isEqualTo("na\u00efve \u00d8re 1");
            assertThat(rs.getBytes(3)).containsExactly(0, 0xff, 1, 0x27, 0x5c);
        }
    }

    private static void checkRowEventsInBinlog(MariaDbServer db) throws Exception {
        String file = db.queryString("SELECT @@log_bin_basename");
        assertThat(file).endsWith("mysql-bin");
        java.util.List<String> types = new java.util.ArrayList<>();
        try (Connection c = db.rootConnection(); Statement s = c.createStatement()) {
            String current;
            try (ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
                assertThat(rs.next()).isTrue();
                current = rs.getString("File");
            }
            try (ResultSet rs = s.executeQuery("SHOW BINLOG EVENTS IN '" + current + "'")) {
                while (rs.next()) {
                    types.add(rs.getString("Event_type"));
                }
            }
        }
        assertThat(types).contains("Table_map").anyMatch(t -> t.startsWith("Write_rows"));
    }

    private static void checkUserAccount(MariaDbServer db) throws Exception {
        String binlogPos = db.queryString("SELECT @@gtid_binlog_pos");
        db.createUser("repl", "s3cr'et", "REPLICATION SLAVE, REPLICATION CLIENT ON *.*", "SELECT ON shop.*");
        assertThat(db.queryString("SELECT @@gtid_binlog_pos")).as("accounts stay out of the binlog")
                .isEqualTo(binlogPos);
        try (Connection c = DriverManager.getConnection(db.jdbcUrl("shop"), "repl", "s3cr'et");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM items")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(50);
        }
    }

    private static void checkChecksums(MariaDbServer db) throws Exception {
        db.execute("CREATE DATABASE shop2", "CREATE TABLE shop2.items LIKE shop.items",
                "INSERT INTO shop2.items (id, name, legacy, raw, doc, price, seen, flags, note) "
                        + "SELECT id, name, legacy, raw, doc, price, seen, flags, note FROM shop.items");
        try (Connection c = db.rootConnection()) {
            TableChecksum first = TableChecksum.compute(c, "shop", "items");
            assertThat(first.rowCount()).isEqualTo(50);
            assertThat(first.columns()).doesNotContain("name_len").contains("name", "raw", "note");
            assertThat(first.checksumTable()).isNotNull();
            assertThat(TableChecksum.compute(c, "shop", "items")).isEqualTo(first);
            TableChecksum copy = TableChecksum.compute(c, "shop2", "items");
            assertThat(copy.sameDataAs(first)).isTrue();
            assertThat(copy.checksumTable()).isEqualTo(first.checksumTable());
            assertThat(TableDiff.compare(c, "shop", c, "shop2", "items").equal()).isTrue();

            // one byte of a binary value
            db.execute("UPDATE shop2.items SET raw = X'00FF1A275D' WHERE id = 26");
            TableChecksum changed = TableChecksum.compute(c, "shop2", "items");
            assertThat(changed.sameDataAs(first)).isFalse();
            assertThat(changed.checksumTable()).isNotEqualTo(first.checksumTable());
            TableDiff diff = TableDiff.compare(c, "shop", c, "shop2", "items");
            assertThat(diff.equal()).isFalse();
            assertThat(diff.differingColumns()).containsExactly("raw");
            assertThat(diff.differingKeys()).containsExactly("id=26");
            assertThat(diff.differingRowCount()).isEqualTo(1);
            assertThat(diff.describe()).contains("raw", "id=26");

            // NULL versus the string 'N', and an emoji replaced by another
            db.execute("UPDATE shop2.items SET raw = X'00FF1A275C' WHERE id = 26",
                    "UPDATE shop2.items SET note = 'N' WHERE id = 3",
                    "UPDATE shop2.items SET name = REPLACE(name, '\uD83D\uDE00', '\uD83D\uDE01') WHERE id = 4",
                    "DELETE FROM shop2.items WHERE id = 50");
            diff = TableDiff.compare(c, "shop", c, "shop2", "items");
            assertThat(diff.differingColumns()).containsExactly("name", "note");
            assertThat(diff.differingKeys()).containsExactly("id=3", "id=4", "id=50 (only in source)");
            assertThat(diff.sourceRows()).isEqualTo(50);
            assertThat(diff.destinationRows()).isEqualTo(49);
        }
    }
}
