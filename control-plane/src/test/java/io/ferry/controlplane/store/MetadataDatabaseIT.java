package io.ferry.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.controlplane.MetadataDbTest;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

/**
 * The metadata pool commits plain statements even after the same connection ran a transaction (the
 * vertx-jdbc-client 5.0 auto-commit bug, see {@link AutoCommitRestoring}), and reads see other
 * connections' committed changes.
 */
class MetadataDatabaseIT extends MetadataDbTest {
  @Override
  protected int poolSize() {
    return 1; // one pooled connection, reused by every statement
  }

  @Test
  void plainStatementsAfterATransactionAreCommittedAndSeeFreshData() throws Exception {
    // one pooled connection, so every statement below reuses the one that ran the transaction
    await(pool.withTransaction(c -> c.query("INSERT INTO tenants (id, name) VALUES ('a', 'a')").execute()));
    await(pool.query("SELECT COUNT(*) FROM tenants").execute());
    await(pool.query("INSERT INTO tenants (id, name) VALUES ('b', 'b')").execute());
    assertThat(db.server.queryString("SELECT COUNT(*) FROM ferry_meta.tenants")).isEqualTo("2");

    db.server.execute("INSERT INTO ferry_meta.tenants (id, name) VALUES ('c', 'c')");
    long seen = await(pool.query("SELECT COUNT(*) AS n FROM tenants").execute()).iterator().next().getLong("n");
    assertThat(seen).isEqualTo(3);

    await(pool.withTransaction(c -> c.query("INSERT INTO tenants (id, name) VALUES ('d', 'd')").execute()
        .compose(v -> Future.failedFuture("roll back"))).recover(e -> Future.succeededFuture()));
    await(pool.query("INSERT INTO tenants (id, name) VALUES ('e', 'e')").execute());
    assertThat(db.server.queryString("SELECT GROUP_CONCAT(id ORDER BY id) FROM ferry_meta.tenants")).isEqualTo("a,b,c,e");
  }
}
