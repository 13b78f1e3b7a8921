package io.ferry.app;

import io.ferry.app.cli.ApiClient;
import io.ferry.app.cli.Progress;
import io.ferry.app.node.ControlPlaneNode;
import io.ferry.app.node.NodeSettings;
import io.ferry.app.node.WorkerNode;
import io.ferry.controlplane.fleet.SchedulerSettings;
import io.ferry.mariadb.FreePorts;
import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import io.ferry.mariadb.check.TableChecksum;
import io.ferry.worker.jdbc.SourceQueries;
import io.ferry.worker.position.BinlogPosition;
import io.ferry.worker.schema.SchemaReader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of {@code ferry demo}: the servers, the node (control plane + worker on one Vert.x), the job
 * created through the API, the load, the progress line, and the final comparison. Everything it starts
 * is closed when {@link #run} returns.
 */
final class DemoRun {
  private static final Logger LOG = LoggerFactory.getLogger(DemoRun.class);
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");
  static final int DEFAULT_HTTP_PORT = 8080;
  private static final String COPY = "shop_copy";
  /** The source's history before the job exists: what the initial copy copies (about 200,000 rows in all). */
  private static final int HISTORY_CUSTOMERS = 10_000;
  private static final int HISTORY_ORDERS = 50_000;

  private final Path work;
  private final Map<String, String> env;
  private final long seconds;
  private final CountDownLatch stop;

  /**
   * @param work the demo's own directory (metadata DB, secret key, admin token), removed by the caller
   * @param seconds stop by itself after this long; 0 runs until {@code stop} opens
   */
  DemoRun(Path work, Map<String, String> env, long seconds, CountDownLatch stop) {
    this.work = work;
    this.env = env;
    this.seconds = seconds;
    this.stop = stop;
  }

  int run() throws Exception {
    CONSOLE.info("Starting two embedded MariaDB servers (the first run unpacks the binaries)...");
    try (MariaDbServer source = MariaDbServer.start(MariaDbConfig.source());
         MariaDbServer destination = MariaDbServer.start(MariaDbConfig.destination())) {
      String sourcePassword = secret();
      String destinationPassword = secret();
      source.createUser("ferry_repl", sourcePassword, "REPLICATION SLAVE, BINLOG MONITOR ON *.*", "SELECT ON shop.*");
      destination.createUser("ferry", destinationPassword, "ALL ON " + COPY + ".*", "ALL ON _ferry.*");
      try (Connection c = source.rootConnection()) {
        DemoShop.createSchema(c);
      }
      CONSOLE.info("Starting the control plane (embedded metadata DB) and a worker...");
      Vertx vertx = Vertx.vertx();
      try {
        return withNode(vertx, source, sourcePassword, destination, destinationPassword);
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    }
  }

  private int withNode(Vertx vertx, MariaDbServer source, String sourcePassword, MariaDbServer destination,
      String destinationPassword) throws Exception {
    NodeSettings settings = nodeSettings();
    try (ControlPlaneNode controlPlane = ControlPlaneNode.start(vertx, settings, SchedulerSettings.DEFAULTS);
         WorkerNode worker = WorkerNode.start(vertx, "demo-worker", "localhost", settings.workerCapacity())) {
      String token = controlPlane.generatedAdminToken() != null ? controlPlane.generatedAdminToken()
          : settings.get("FERRY_ADMIN_TOKEN", null);
      String url = "http://localhost:" + controlPlane.httpPort() + "/";
      ApiClient api = new ApiClient("http://127.0.0.1:" + controlPlane.httpPort(), token);
      String sourceId = create(api, "/api/v1/connections", connection("demo-source", source, "ferry_repl",
          sourcePassword));
      String destinationId = create(api, "/api/v1/connections", connection("demo-destination", destination, "ferry",
          destinationPassword));
      try (Connection load = source.rootConnection(); DemoShop shop = new DemoShop(load)) {
        CONSOLE.info("Writing the shop's history on the source ({} customers, {} orders)...", HISTORY_CUSTOMERS,
            HISTORY_ORDERS);
        shop.seedHistory(HISTORY_CUSTOMERS, HISTORY_ORDERS);
        String jobId = create(api, "/api/v1/jobs", new JsonObject().put("name", "demo").put("source", sourceId)
            .put("destination", destinationId)
            .put("tables", new JsonObject().put("include", new JsonArray().add("shop.*")))
            .put("databaseMap", new JsonObject().put(DemoShop.DATABASE, COPY))
            .put("start", new JsonObject().put("snapshot", new JsonObject().put("keyless", "copy")))
            .put("ddl", "exec"));
        // The load runs from the start: the initial copy reads a consistent snapshot while the shop keeps
        // selling, and the stream then applies everything written since that snapshot.
        shop.start();
        if (!awaitState(api, jobId, Set.of("SNAPSHOT", "RUNNING"), 120)) {
          return failed(api, jobId);
        }
        CONSOLE.info("");
        CONSOLE.info("Dashboard   {}  (worker {})", url, worker.nodeId());
        CONSOLE.info("Admin token {}", token);
        CONSOLE.info("            e.g. FERRY_URL={} FERRY_TOKEN=<token> ./ferry jobs show {}", url, jobId);
        CONSOLE.info("Source      {}:{} (MariaDB {}), database shop", source.host(), source.port(), source.version());
        CONSOLE.info("Destination {}:{}, database {} (admin login: {}, no password)", destination.host(),
            destination.port(), COPY, destination.adminUser());
        CONSOLE.info("Job {} copies shop.* to {}.* and then replicates it; a write load runs on the source."
            + " Ctrl+C stops.", jobId, COPY);
        CONSOLE.info("");
        if (!report(api, jobId, shop)) {
          return failed(api, jobId);
        }
        shop.close();
        if (!caughtUp(api, jobId, source)) {
          return failed(api, jobId);
        }
      }
      compare(source, destination);
      CONSOLE.info("Demo stopped; the embedded servers are shut down and their data removed.");
      return 0;
    }
  }

  private NodeSettings nodeSettings() throws IOException {
    Map<String, String> values = new HashMap<>();
    values.put("FERRY_DATA_DIR", work.resolve("node").toString());
    values.put("FERRY_HTTP_PORT", Integer.toString(httpPort()));
    if (env.get("FERRY_ADMIN_TOKEN") != null) {
      values.put("FERRY_ADMIN_TOKEN", env.get("FERRY_ADMIN_TOKEN"));
    }
    return NodeSettings.load(null, values);
  }

  /** FERRY_HTTP_PORT when set; else 8080 when it is free, so the URL is the usual one; else any free port. */
  private int httpPort() {
    String configured = env.get("FERRY_HTTP_PORT");
    if (configured != null && !configured.isBlank()) {
      return Integer.parseInt(configured.trim());
    }
    try (ServerSocket probe = new ServerSocket(DEFAULT_HTTP_PORT, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    } catch (IOException taken) {
      int port = FreePorts.pick();
      CONSOLE.info("Port {} is taken; the dashboard uses {} instead.", DEFAULT_HTTP_PORT, port);
      return port;
    }
  }

  /** Prints a progress line every 2 s until Ctrl+C or --seconds; false when the job failed. */
  private boolean report(ApiClient api, String jobId, DemoShop shop) throws InterruptedException {
    long deadline = seconds > 0 ? System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(seconds) : Long.MAX_VALUE;
    while (!stop.await(2, TimeUnit.SECONDS) && System.currentTimeMillis() < deadline) {
      JsonObject job = (JsonObject) api.call("GET", "/api/v1/jobs/" + jobId, null);
      if ("ERROR".equals(job.getString("state"))) {
        return false;
      }
      if ("SNAPSHOT".equals(job.getString("state"))) {
        CONSOLE.info("SNAPSHOT  {}  |  source transactions {}", Progress.copyLine(job), shop.transactions());
        continue;
      }
      JsonObject position = job.getJsonObject("position");
      Double lag = job.getDouble("lagSeconds");
      CONSOLE.info("{}  source transactions {}  |  applied rows {}  lag {}s  at {}", job.getString("state"),
          shop.transactions(), job.getLong("rowsApplied", 0L), lag == null ? "-" : String.format(Locale.ROOT, "%.1f", lag),
          position == null ? "-" : position.getString("file") + ":" + position.getLong("position"));
    }
    return true;
  }

  /** With the load stopped: waits until the job has applied the source's end; false when it failed. */
  private boolean caughtUp(ApiClient api, String jobId, MariaDbServer source) throws SQLException, InterruptedException {
    BinlogPosition end;
    try (Connection c = source.rootConnection()) {
      end = SourceQueries.currentPosition(c);
    }
    CONSOLE.info("Stopping the load; waiting for the job to apply everything up to {}...", end);
    long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(60);
    while (System.currentTimeMillis() < deadline) {
      JsonObject job = (JsonObject) api.call("GET", "/api/v1/jobs/" + jobId, null);
      JsonObject p = job.getJsonObject("position");
      if (!"RUNNING".equals(job.getString("state"))) {
        return false;
      }
      if (p != null && p.getString("file") != null
          && new BinlogPosition(p.getString("file"), p.getLong("position"), null).compareTo(end) >= 0) {
        return true;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    CONSOLE.info("The job did not catch up within 60 s.");
    return false;
  }

  private static void compare(MariaDbServer source, MariaDbServer destination) throws SQLException {
    try (Connection s = source.rootConnection(); Connection d = destination.rootConnection()) {
      for (String table : SchemaReader.tables(s, DemoShop.DATABASE)) {
        TableChecksum a = TableChecksum.compute(s, DemoShop.DATABASE, table);
        TableChecksum b = TableChecksum.compute(d, COPY, table);
        CONSOLE.info("  {} {} rows: {}", String.format("%-12s", table), a.rowCount(),
            a.sameDataAs(b) ? COPY + " equals shop (checksum)" : "DIFFERS (" + b.rowCount() + " rows in " + COPY + ")");
      }
    }
  }

  private static boolean awaitState(ApiClient api, String jobId, Set<String> states, int seconds)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(seconds);
    while (System.currentTimeMillis() < deadline) {
      String now = ((JsonObject) api.call("GET", "/api/v1/jobs/" + jobId, null)).getString("state");
      if (states.contains(now)) {
        return true;
      }
      if ("ERROR".equals(now)) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    return false;
  }

  private static int failed(ApiClient api, String jobId) {
    JsonObject job = (JsonObject) api.call("GET", "/api/v1/jobs/" + jobId, null);
    JsonObject error = job.getJsonObject("error");
    LOG.error("The demo job is {}{}", job.getString("state"), error == null ? ""
        : ": " + error.getString("code") + ": " + error.getString("message") + " Remedy: " + error.getString("remedy"));
    return 2;
  }

  private static String create(ApiClient api, String path, JsonObject body) {
    return ((JsonObject) api.call("POST", path, body)).getString("id");
  }

  private static JsonObject connection(String name, MariaDbServer server, String user, String password) {
    return new JsonObject().put("name", name).put("host", server.host()).put("port", server.port()).put("user", user)
        .put("password", password).put("tls", "disabled");
  }

  private static String secret() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
