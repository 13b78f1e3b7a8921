package io.ferry.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerCommandTest {
    private static final MariaDbBinaries V11 = binaries("11.4.5");
    private static final MariaDbBinaries V10 = binaries("10.11.19");
    private static final Path DATA = Path.of("/data/x");

    private static MariaDbBinaries binaries(String version) {
        return new MariaDbBinaries(MariaDbDistribution.EMBEDDED, version, Path.of("/base"), Path.of("/base/bin/mariadbd"),
                Path.of("/base/scripts/mariadb-install-db"), null, Path.of("/base/libs"));
    }

    private static List<String> cmd(MariaDbBinaries b, MariaDbConfig c) {
        return ServerCommand.mariadbd(b, c, DATA, 3307, DATA.resolve("mysqld.sock"));
    }

    @Test
    void sourceHasFullRowBinlog() {
        List<String> a = cmd(V11, MariaDbConfig.builder().distribution(MariaDbDistribution.EMBEDDED)
                .timeZone("+05:30").binlogRowMetadata("MINIMAL").build());
        assertThat(a.get(0)).isEqualTo("/base/bin/mariadbd");
        assertThat(a.get(1)).isEqualTo("--no-defaults");
        assertThat(a).contains("--datadir=/data/x", "--port=3307", "--bind-address=127.0.0.1",
                "--socket=/data/x/mysqld.sock", "--log-bin=mysql-bin", "--binlog-format=ROW",
                "--binlog-row-image=FULL", "--binlog-row-metadata=MINIMAL", "--log-slave-updates",
                "--gtid-strict-mode=ON", "--server-id=1", "--default-time-zone=+05:30", "--skip-ssl",
                "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci",
                "--character-set-collations=", "--innodb-flush-log-at-trx-commit=2", "--sync-binlog=0");
    }

    @Test
    void destinationLogsBinToo_plainDoesNot() {
        List<String> dst = cmd(V10, MariaDbConfig.builder().distribution(MariaDbDistribution.EMBEDDED)
                .role(MariaDbConfig.Role.DESTINATION).build());
        assertThat(dst).contains("--log-bin=mysql-bin", "--server-id=2").doesNotContain("--character-set-collations=");
        List<String> plain = cmd(V10, MariaDbConfig.builder().distribution(MariaDbDistribution.EMBEDDED)
                .role(MariaDbConfig.Role.PLAIN).build());
        assertThat(plain).noneMatch(s -> s.startsWith("--log-bin") || s.startsWith("--binlog"));
    }

    @Test
    void durableAndUserOptionsComeLast() {
        List<String> a = cmd(V11, MariaDbConfig.builder().distribution(MariaDbDistribution.EMBEDDED).durable(true)
                .option("innodb_buffer_pool_size", "256M").option("skip_log_bin", null).build());
        assertThat(a).contains("--innodb-flush-log-at-trx-commit=1", "--sync-binlog=1");
        assertThat(a.subList(a.size() - 2, a.size())).containsExactly("--innodb-buffer-pool-size=256M", "--skip-log-bin");
        assertThat(a.indexOf("--innodb-buffer-pool-size=64M")).isLessThan(a.indexOf("--innodb-buffer-pool-size=256M"));
    }

    @Test
    void tlsFilesReplaceSkipSsl() {
        MariaDbConfig.ServerTls tls = new MariaDbConfig.ServerTls(Path.of("/t/ca.pem"), Path.of("/t/cert.pem"),
                Path.of("/t/key.pem"));
        MariaDbConfig config = MariaDbConfig.builder().distribution(MariaDbDistribution.EMBEDDED).tls(tls).build();
        List<String> a = cmd(V11, config);
        assertThat(a).contains("--ssl", "--ssl-ca=/t/ca.pem", "--ssl-cert=/t/cert.pem", "--ssl-key=/t/key.pem")
                .doesNotContain("--skip-ssl");
        assertThat(config.toBuilder().build().tls()).contains(tls);
        assertThat(MariaDbConfig.source().tls()).isEmpty();
        assertThat(cmd(V11, MariaDbConfig.source())).contains("--skip-ssl").noneMatch(s -> s.startsWith("--ssl"));
    }

    @Test
    void watchdogExecsTheServerWithThisJvmAsOwner() {
        List<String> w = ServerCommand.withWatchdog(List.of("/base/bin/mariadbd", "--no-defaults"), null);
        assertThat(w.subList(0, 2)).containsExactly("/bin/sh", "-c");
        assertThat(w.get(2)).contains("exec \"$@\"").contains("kill -9 $$").contains("rm -rf \"$cleanup\"");
        assertThat(w.get(4)).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        assertThat(w.get(5)).isEqualTo("-");
        assertThat(w.subList(6, 8)).containsExactly("/base/bin/mariadbd", "--no-defaults");
        assertThat(ServerCommand.withWatchdog(List.of("x"), Path.of("/tmp/d")).get(5)).isEqualTo("/tmp/d");
    }

    @Test
    void initTimeOptionsGoIntoTheTemplate() {
        assertThat(DataDirs.initOptions(Map.of("innodb-page-size", "64k", "max-allowed-packet", "1G")))
                .containsExactly("--innodb-log-file-size=32M", "--innodb-undo-tablespaces=0", "--innodb-page-size=64k");
    }

    @Test
    void versionComparison() {
        assertThat(V11.atLeast(11, 2)).isTrue();
        assertThat(V10.atLeast(11, 2)).isFalse();
        assertThat(V10.atLeast(10, 11)).isTrue();
    }
}
