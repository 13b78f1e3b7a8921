package io.ferry.app.node;

import io.ferry.controlplane.store.MetadataDatabase;
import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's metadata database: the server at {@code FERRY_METADATA_URL}, or else an
 * embedded MariaDB whose files live in {@code $FERRY_DATA_DIR/metadata}, so {@code ferry server}
 * needs nothing installed and keeps its state across restarts. The embedded server listens on
 * loopback only and dies with this process (its watchdog), and the same Flyway migrations run on both.
 */
public final class Metadata implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Metadata.class);
  static final String EMBEDDED_SCHEMA = "ferry";

  private final MetadataDatabase database;
  private final MariaDbServer embedded;
  private final String description;

  private Metadata(MetadataDatabase database, MariaDbServer embedded, String description) {
    this.database = database;
    this.embedded = embedded;
    this.description = description;
  }

  /** Opens the configured metadata database (starting the embedded one if none is configured). Blocking. */
  public static Metadata open(NodeSettings settings) throws Exception {
    String url = settings.get("FERRY_METADATA_URL", null);
    if (url != null) {
      return new Metadata(MetadataDatabase.of(url, settings.get("FERRY_METADATA_USER", null),
          settings.get("FERRY_METADATA_PASSWORD", "")), null, url.replaceAll("[?].*", ""));
    }
    Path dir = settings.dataDir().resolve("metadata").toAbsolutePath();
    Files.createDirectories(dir.getParent());
    MariaDbServer server = MariaDbServer.start(MariaDbConfig.builder().role(MariaDbConfig.Role.PLAIN).dataDir(dir)
        .durable(true).build());
    try {
      server.execute("CREATE DATABASE IF NOT EXISTS " + EMBEDDED_SCHEMA + " CHARACTER SET utf8mb4");
      LOG.info("embedded metadata database: MariaDB {} in {}", server.version(), dir);
      return new Metadata(MetadataDatabase.of(server.jdbcUrl(EMBEDDED_SCHEMA), server.adminUser(),
          server.adminPassword()), server, "embedded MariaDB in " + dir);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  public MetadataDatabase database() {
    return database;
  }

  /** The embedded server, or null when the metadata database is external. */
  public MariaDbServer embedded() {
    return embedded;
  }

  @Override
  public String toString() {
    return description;
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close(); // a kept data directory: a graceful stop
    }
  }
}
