package io.ferry.controlplane.store;

import com.mysql.cj.jdbc.MysqlDataSource;
import io.ferry.migrations.Migrations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The control plane's metadata database: a MySQL/MariaDB schema migrated by Flyway at start, reached
 * through the vertx-jdbc-client {@link Pool} (which runs JDBC on worker threads, never on an event
 * loop). Only {@code jdbc:mysql://} and {@code jdbc:mariadb://} URLs are accepted.
 */
public final class MetadataDatabase {
  /** How long a pooled connection lives at most. */
  static final int MAX_LIFETIME_SECONDS = 10;

  private final DataSource dataSource;

  private MetadataDatabase(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A metadata database at {@code url} (the {@code FERRY_METADATA_URL} form) with a user and password. */
  public static MetadataDatabase of(String url, String user, String password) {
    if (url == null || !(url.startsWith("jdbc:mysql://") || url.startsWith("jdbc:mariadb://"))) {
      throw new IllegalArgumentException("the metadata URL must start with jdbc:mysql:// or jdbc:mariadb://");
    }
    MysqlDataSource ds = new MysqlDataSource();
    ds.setURL(url.replaceFirst("^jdbc:mariadb:", "jdbc:mysql:"));
    ds.setUser(user);
    ds.setPassword(password == null ? "" : password);
    return new MetadataDatabase(ds);
  }

  /** Applies pending migrations; blocking, so callers run it off the event loop. Returns how many ran. */
  public int migrate() {
    return Flyway.configure().dataSource(dataSource).locations(Migrations.LOCATION).load().migrate().migrationsExecuted;
  }

  /** Migrates on a worker thread, then opens the pool. */
  public Future<Pool> open(Vertx vertx, int maxSize) {
    return vertx.executeBlocking(this::migrate)
        .map(v -> JDBCPool.pool(vertx, AutoCommitRestoring.wrap(dataSource), poolOptions(maxSize)));
  }

  /**
   * The pool does not drop a connection whose server went away; a bounded lifetime (and the cleaner
   * that enforces it) replaces broken connections within {@link #MAX_LIFETIME_SECONDS} after the
   * database is back.
   */
  static PoolOptions poolOptions(int maxSize) {
    return new PoolOptions().setMaxSize(maxSize).setMaxLifetime(MAX_LIFETIME_SECONDS)
        .setMaxLifetimeUnit(TimeUnit.SECONDS).setPoolCleanerPeriod(1_000);
  }
}
