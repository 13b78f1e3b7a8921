package io.ferry.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The metadata schema migrates a fresh real server, validates, re-runs as a no-op, and enforces its rules. */
class MigrationsIT {
  private static MariaDbServer server;

  @BeforeAll
  static void start() {
    server = MariaDbServer.start(MariaDbConfig.builder().role(MariaDbConfig.Role.PLAIN).build());
    server.execute("CREATE DATABASE ferry_meta CHARACTER SET utf8mb4");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Flyway flyway() {
    return Flyway.configure().dataSource(server.jdbcUrl("ferry_meta"), server.adminUser(), server.adminPassword())
        .locations(Migrations.LOCATION).load();
  }

  @Test
  void migratesValidatesAndReRunsAsANoOp() throws SQLException {
    MigrateResult first = flyway().migrate();
    assertThat(first.success).isTrue();
    assertThat(first.migrationsExecuted).isPositive();
    flyway().validate();
    assertThat(flyway().migrate().migrationsExecuted).isZero();
    for (String table : new String[] {"tenants", "users", "api_tokens", "connections", "jobs", "job_checkpoints",
        "job_events", "workers", "verify_reports", "audit_log"}) {
      assertThat(server.queryString("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'ferry_meta'"
          + " AND TABLE_NAME = '" + table + "'")).as(table).isEqualTo("1");
    }
  }

  @Test
  void theSchemaEnforcesRolesScopesAndReferences() {
    flyway().migrate();
    server.execute("INSERT INTO ferry_meta.tenants (id, name) VALUES ('t1', 'Tenant one')");
    server.execute("INSERT INTO ferry_meta.users (id, tenant_id, name, password_hash, role)"
        + " VALUES ('u1', 't1', 'ops@t1', 'x', 'operator')");
    assertThatThrownBy(() -> server.execute("INSERT INTO ferry_meta.users (id, tenant_id, name, password_hash, role)"
        + " VALUES ('u2', 't1', 'boss', 'x', 'superuser')")).hasMessageContaining("users_role");
    assertThatThrownBy(() -> server.execute("INSERT INTO ferry_meta.users (id, tenant_id, name, password_hash, role)"
        + " VALUES ('u3', NULL, 'nobody', 'x', 'viewer')")).hasMessageContaining("users_scope");
    assertThatThrownBy(() -> server.execute("INSERT INTO ferry_meta.connections (id, tenant_id, name, host, port,"
        + " user_name, password_enc, tls) VALUES ('c1', 'missing', 'src', 'h', 3306, 'u', x'00', 'disabled')"))
        .hasMessageContaining("foreign key");
    assertThatThrownBy(() -> server.execute("INSERT INTO ferry_meta.connections (id, tenant_id, name, host, port,"
        + " user_name, password_enc, tls) VALUES ('c2', 't1', 'src', 'h', 70000, 'u', x'00', 'disabled')"))
        .hasMessageContaining("connections_port");
  }
}
