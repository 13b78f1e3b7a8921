package io.ferry.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server started with TLS from {@link TestCertificates} files, for each key type: it runs with
 * {@code require_secure_transport=ON}, its own admin connections are encrypted, and a plaintext login is refused.
 */
class TlsServerIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TestCertificates.KeyType.class)
    void aTlsServerEncryptsItsConnectionsAndRefusesPlaintext(TestCertificates.KeyType type) throws Exception {
        TestCertificates.Written tls = TestCertificates.write(dir, type);
        try (MariaDbServer db = MariaDbServer.start(MariaDbConfig.builder().role(MariaDbConfig.Role.PLAIN)
                .tls(tls.server()).option("require_secure_transport", "ON").option("performance_schema", "ON")
                .build())) {
            assertThat(db.config().tls()).contains(tls.server());
            assertThat(db.queryString("SELECT @@have_ssl")).isEqualTo("YES");
            assertThat(db.queryString("SELECT @@require_secure_transport")).isEqualTo("1");
            try (Connection c = db.rootConnection(); var s = c.createStatement();
                    var rs = s.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).as("cipher of the admin connection").isNotEmpty();
            }
            assertThat(db.queryString("SELECT CONNECTION_TYPE FROM performance_schema.threads"
                    + " WHERE PROCESSLIST_ID = CONNECTION_ID()")).isEqualTo("SSL/TLS");

            String plaintext = db.jdbcUrl(null).replace("sslMode=REQUIRED", "sslMode=DISABLED");
            assertThat(plaintext).contains("sslMode=DISABLED");
            assertThatThrownBy(() -> DriverManager.getConnection(plaintext, db.adminUser(), db.adminPassword()).close())
                    .isInstanceOf(SQLException.class) // 11.4 names secure transport; 10.11 says access denied
                    .hasMessageFindingMatch("secure transport|Access denied");
        }
    }
}
