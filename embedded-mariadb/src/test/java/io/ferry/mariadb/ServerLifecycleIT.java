package io.ferry.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Connection;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two servers at once, stop/kill/restart, clean-up; on the distribution chosen by -Dferry.mariadb. */
class ServerLifecycleIT {
    private static final Duration GONE_WITHIN = Duration.ofSeconds(10);

    @Test
    void twoServersRestartKeepsDataAndCloseCleansUp() throws Exception {
        MariaDbServer src = MariaDbServer.start(MariaDbConfig.source());
        MariaDbServer dst = MariaDbServer.start(MariaDbConfig.builder().role(MariaDbConfig.Role.DESTINATION)
                .timeZone("+05:30").durable(true).build());
        Path srcDir = src.dataDir();
        Path dstDir = dst.dataDir();
        try {
            assertThat(src.port()).isNotEqualTo(dst.port());
            assertThat(srcDir).isNotEqualTo(dstDir);
            assertThat(src.queryString("SELECT @@server_id")).isEqualTo("1");
            assertThat(dst.queryString("SELECT CONCAT_WS(',', @@server_id, @@log_bin, @@time_zone, "
                    + "@@innodb_flush_log_at_trx_commit, @@sync_binlog)")).isEqualTo("2,ON,+05:30,1,1");

            src.execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY, v VARCHAR(20))",
                    "INSERT INTO app.t VALUES (1, 'one'), (2, 'two')");
            dst.execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)", "INSERT INTO app.t VALUES (9)");

            // graceful stop, restart: same port and datadir, data kept, new pid
            int port = src.port();
            long pid = src.pid();
            src.stop();
            assertThat(src.isRunning()).isFalse();
            assertThat(Processes.isAlive(pid)).isFalse();
            src.restart();
            assertThat(src.port()).isEqualTo(port);
            assertThat(src.pid()).isNotEqualTo(pid);
            assertThat(src.queryString("SELECT GROUP_CONCAT(v ORDER BY id) FROM app.t")).isEqualTo("one,two");

            // SIGKILL: nothing of that server is left running, not even its watchdog
            src.execute("INSERT INTO app.t VALUES (3, 'three')");
            pid = src.pid();
            src.kill();
            assertThat(Processes.isAlive(pid)).isFalse();
            await().atMost(GONE_WITHIN).until(() -> Processes.withArgument(srcDir.toString()).isEmpty());
            assertThatThrownBy(src::rootConnection).isInstanceOf(java.sql.SQLException.class);
            assertThat(dst.queryString("SELECT COUNT(*) FROM app.t")).as("the other server is unaffected").isEqualTo("1");

            // crash recovery on restart keeps the committed row
            src.restart();
            assertThat(src.queryString("SELECT GROUP_CONCAT(v ORDER BY id) FROM app.t")).isEqualTo("one,two,three");
            assertThat(src.queryString("SELECT @@log_bin")).isEqualTo("1");
        } finally {
            src.close();
            dst.close();
        }
        assertThat(srcDir).doesNotExist();
        assertThat(dstDir).doesNotExist();
        await().atMost(GONE_WITHIN).until(() -> Processes.withArgument(srcDir.toString()).isEmpty()
                && Processes.withArgument(dstDir.toString()).isEmpty());
        src.close(); // idempotent
    }

    @Test
    void serversStartConcurrently() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        java.util.List<MariaDbServer> servers = new java.util.ArrayList<>();
        try {
            java.util.List<java.util.concurrent.Future<MariaDbServer>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int id = 10 + i;
                futures.add(pool.submit(() -> MariaDbServer.start(MariaDbConfig.builder().serverId(id).build())));
            }
            for (java.util.concurrent.Future<MariaDbServer> f : futures) {
                servers.add(f.get(120, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertThat(servers).extracting(MariaDbServer::port).doesNotHaveDuplicates();
            assertThat(servers).extracting(s -> s.queryString("SELECT @@server_id"))
                    .containsExactlyInAnyOrder("10", "11", "12");
        } finally {
            servers.forEach(MariaDbServer::close);
            pool.shutdownNow();
        }
    }

    @Test
    void givenDataDirIsInitialisedOnceAndKept(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("db");
        MariaDbConfig config = MariaDbConfig.builder().role(MariaDbConfig.Role.PLAIN).dataDir(dir).build();
        long pid;
        try (MariaDbServer db = MariaDbServer.start(config)) {
            assertThat(db.dataDir()).isEqualTo(dir.toRealPath());
            assertThat(db.queryString("SELECT @@log_bin")).isEqualTo("0");
            db.execute("CREATE DATABASE keep", "CREATE TABLE keep.t (id INT PRIMARY KEY)", "INSERT INTO keep.t VALUES (42)");
            pid = db.pid();
        }
        assertThat(Processes.isAlive(pid)).isFalse();
        assertThat(dir.resolve("keep")).isDirectory();
        assertThat(Files.readString(dir.resolve("mariadbd.err"))).contains("Shutdown complete");
        Path passwordFile = dir.resolve(MariaDbServer.ADMIN_PASSWORD_FILE);
        String password = Files.readString(passwordFile).trim();
        assertThat(password).as("a kept data directory gets an admin password").hasSizeGreaterThanOrEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
        try (MariaDbServer db = MariaDbServer.start(config); Connection c = db.rootConnection()) {
            assertThat(db.adminPassword()).isEqualTo(password);
            assertThat(db.queryString("SELECT id FROM keep.t")).isEqualTo("42");
            assertThat(c.isValid(1)).isTrue();
            assertThat(db.queryString("SELECT COUNT(*) FROM mysql.user WHERE user = ''")).isEqualTo("0");
            for (String host : new String[] {"127.0.0.1", "localhost"}) {
                assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(null).replace("127.0.0.1", host),
                    "root", "")).as("root without the password from %s", host).isInstanceOf(SQLException.class);
            }
        }
    }

    @Test
    void startFailureReportsTheErrorLogAndLeavesNothingBehind() {
        MariaDbConfig bad = MariaDbConfig.builder().option("no_such_option_at_all", "1").build();
        MariaDbException e = catchThrowableOfType(MariaDbException.class, () -> MariaDbServer.start(bad));
        assertThat(e).hasMessageContaining("failed to start")
                .hasMessageContaining("--- last lines of mariadbd.err ---")
                .hasMessageContaining("unknown variable 'no-such-option-at-all=1'");
        Matcher m = Pattern.compile("with datadir (\\S+):").matcher(e.getMessage());
        assertThat(m.find()).isTrue();
        assertThat(Path.of(m.group(1))).as("temporary data directory removed").doesNotExist();
        // the watchdog shell notices within a second that its server is gone
        await().atMost(GONE_WITHIN).until(() -> Processes.withArgument(m.group(1)).isEmpty());
    }

    @Test
    void portAlreadyTakenByAnotherServerIsReported() {
        try (MariaDbServer first = MariaDbServer.start(MariaDbConfig.source())) {
            MariaDbConfig clash = MariaDbConfig.builder().port(first.port()).build();
            assertThatThrownBy(() -> MariaDbServer.start(clash))
                    .isInstanceOf(MariaDbException.class)
                    .hasMessageContaining(String.valueOf(first.port()));
            assertThat(first.queryString("SELECT 1")).isEqualTo("1");
        }
    }
}
