package io.ferry.app;

import io.ferry.cluster.ClusterCredentials;
import io.ferry.mariadb.FreePorts;
import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fleet of real processes on loopback: one {@code ferry control-plane} and {@code ferry worker}s,
 * sharing cluster credentials made by {@code ClusterCredentials.init}, each with its own data
 * directory and log. Closing kills whatever still runs.
 */
final class FleetProcesses implements AutoCloseable {
  static final String ADMIN_TOKEN = "fy_test-admin-token-0123456789abcdefghijklmnop";

  private final Path dir;
  private final Path credentials;
  private final Map<String, String> metadataEnv;
  final int clusterPort = FreePorts.pick();
  final int httpPort = FreePorts.pick();
  FerryProcess controlPlane;
  final Map<String, FerryProcess> workers = new LinkedHashMap<>();
  private int runs;

  /** @param metadataEnv {@code FERRY_METADATA_*} for an external metadata DB, or empty for the embedded one */
  FleetProcesses(Path dir, Map<String, String> metadataEnv) {
    this.dir = dir;
    this.credentials = dir.resolve("cluster");
    this.metadataEnv = metadataEnv;
    ClusterCredentials.init(credentials, List.of(), false);
  }

  /**
   * The {@code FERRY_METADATA_*} settings of {@code kind}: empty for "embedded", or those of a MariaDB
   * server started here for "mariadb" (added to {@code started}, for the caller to close).
   */
  static Map<String, String> metadataEnv(String kind, List<MariaDbServer> started) {
    if (!kind.equals("mariadb")) {
      return Map.of();
    }
    MariaDbServer metadata = MariaDbServer.start(MariaDbConfig.builder().role(MariaDbConfig.Role.PLAIN).build());
    started.add(metadata);
    metadata.execute("CREATE DATABASE ferry_meta");
    return Map.of("FERRY_METADATA_URL", metadata.jdbcUrl("ferry_meta"), "FERRY_METADATA_USER", metadata.adminUser(),
        "FERRY_METADATA_PASSWORD", metadata.adminPassword());
  }

  FleetApi api() {
    return new FleetApi(httpPort, ADMIN_TOKEN);
  }

  FerryProcess startControlPlane() throws IOException {
    Map<String, String> env = new HashMap<>(metadataEnv);
    env.putAll(Map.of("FERRY_DATA_DIR", dir.resolve("control-plane").toString(),
        "FERRY_CLUSTER_DIR", credentials.toString(), "FERRY_CLUSTER_HOST", "127.0.0.1",
        "FERRY_CLUSTER_PORT", Integer.toString(clusterPort), "FERRY_HTTP_PORT", Integer.toString(httpPort),
        "FERRY_NODE_ID", "control-plane", "FERRY_ADMIN_TOKEN", ADMIN_TOKEN));
    controlPlane = FerryProcess.start(env, List.of(), log("control-plane"), "control-plane");
    return controlPlane;
  }

  FerryProcess startWorker(String id) throws IOException {
    return startWorker(id, credentials);
  }

  /** A worker with the credentials in {@code credentialsDir} (another cluster's, to play an intruder). */
  FerryProcess startWorker(String id, Path credentialsDir) throws IOException {
    Map<String, String> env = Map.of("FERRY_DATA_DIR", dir.resolve(id).toString(),
        "FERRY_CLUSTER_DIR", credentialsDir.toString(), "FERRY_CLUSTER_HOST", "127.0.0.1",
        "FERRY_CLUSTER_PORT", Integer.toString(FreePorts.pick()),
        "FERRY_CLUSTER_JOIN", "127.0.0.1:" + clusterPort, "FERRY_NODE_ID", id, "FERRY_WORKER_CAPACITY", "20");
    FerryProcess p = FerryProcess.start(env, List.of(), log(id), "worker");
    workers.put(id, p);
    return p;
  }

  private Path log(String name) {
    return dir.resolve(String.format("%02d-%s.log", ++runs, name));
  }

  /** Everything every process of this fleet has logged so far. */
  String allLogs() throws IOException {
    StringBuilder out = new StringBuilder();
    try (var files = java.nio.file.Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".log")).toList()) {
        out.append(java.nio.file.Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
    return out.toString();
  }

  /** The log tails of every process, for assertion messages. */
  String tails() {
    StringBuilder out = new StringBuilder();
    if (controlPlane != null) {
      out.append(controlPlane.tail());
    }
    workers.values().forEach(w -> out.append(w.tail()));
    return out.toString();
  }

  @Override
  public void close() throws InterruptedException {
    for (FerryProcess w : workers.values()) {
      w.close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
  }
}
