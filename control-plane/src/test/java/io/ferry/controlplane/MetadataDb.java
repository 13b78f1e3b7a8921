package io.ferry.controlplane;

import io.ferry.controlplane.store.MetadataDatabase;
import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/** A fresh metadata DB (Flyway-migrated) on a MariaDB server of its own, with a pool: for store-level tests. */
public final class MetadataDb implements AutoCloseable {
  public final MariaDbServer server;
  public final Vertx vertx;
  public final Pool pool;

  private MetadataDb(MariaDbServer server, Vertx vertx, Pool pool) {
    this.server = server;
    this.vertx = vertx;
    this.pool = pool;
  }

  /** Starts the server, creates and migrates {@code ferry_meta}, and opens a pool of {@code size}. */
  public static MetadataDb start(int size) throws Exception {
    MariaDbServer server = MariaDbServer.start(MariaDbConfig.builder().role(MariaDbConfig.Role.PLAIN).build());
    server.execute("CREATE DATABASE ferry_meta");
    Vertx vertx = Vertx.vertx();
    Pool pool = await(MetadataDatabase.of(server.jdbcUrl("ferry_meta"), server.adminUser(), server.adminPassword())
        .open(vertx, size));
    return new MetadataDb(server, vertx, pool);
  }

  public static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    await(vertx.close());
    server.close();
  }
}
