package io.ferry.app.node;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The settings of a Ferry node ({@code server}, {@code control-plane}, {@code worker}). They come from
 * a YAML file of camel-case keys ({@code httpPort: 8080}), overridden by {@code FERRY_*} environment
 * variables ({@code FERRY_HTTP_PORT}); both are merged into one map of environment names, so every
 * setting has one name in errors and documentation.
 *
 * @param values every setting by its environment name
 */
public record NodeSettings(Map<String, String> values) {
  /** The keys a settings file may hold, by their environment name. */
  static final Map<String, String> KNOWN = Map.ofEntries(
      Map.entry("FERRY_HTTP_PORT", "the control plane's HTTP port (default 8080)"),
      Map.entry("FERRY_DATA_DIR", "where a node keeps its files (default ./data)"),
      Map.entry("FERRY_METADATA_URL", "a jdbc:mysql:// or jdbc:mariadb:// URL of the metadata database (default: embedded)"),
      Map.entry("FERRY_METADATA_USER", "the metadata database user"),
      Map.entry("FERRY_METADATA_PASSWORD", "the metadata database password"),
      Map.entry("FERRY_ADMIN_TOKEN", "the bootstrap admin token (default: generated into $FERRY_DATA_DIR/admin.token)"),
      Map.entry("FERRY_SECRET_KEY_FILE", "the key that encrypts stored passwords (default $FERRY_DATA_DIR/secret.key)"),
      Map.entry("FERRY_NODE_ID", "this node's name (default: derived from host and cluster port)"),
      Map.entry("FERRY_WORKER_CAPACITY", "how many jobs a worker runs at most (default 50)"),
      Map.entry("FERRY_CLUSTER_HOST", "the address this node listens on for cluster traffic"),
      Map.entry("FERRY_CLUSTER_PORT", "the port this node listens on for cluster traffic"),
      Map.entry("FERRY_CLUSTER_EVENTBUS_PORT", "the event bus port (default: any free port)"),
      Map.entry("FERRY_CLUSTER_JOIN", "comma-separated host:port of cluster members"),
      Map.entry("FERRY_CLUSTER_DIR", "the cluster credentials (default $FERRY_DATA_DIR/cluster)"));

  /** Reads {@code file} (if not null) and overlays the environment. */
  public static NodeSettings load(Path file, Map<String, String> env) throws IOException {
    Map<String, String> values = new TreeMap<>();
    if (file != null) {
      try (Reader in = Files.newBufferedReader(file)) {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        if (doc != null && !(doc instanceof Map)) {
          throw new IllegalArgumentException(file + ": must be a map of settings such as 'httpPort: 8080'");
        }
        if (doc != null) {
          for (Map.Entry<?, ?> e : ((Map<?, ?>) doc).entrySet()) {
            String name = envName(String.valueOf(e.getKey()));
            if (!KNOWN.containsKey(name)) {
              throw new IllegalArgumentException(file + ": unknown setting '" + e.getKey() + "'; known: "
                  + String.join(", ", KNOWN.keySet().stream().map(NodeSettings::yamlName).sorted().toList()));
            }
            values.put(name, String.valueOf(e.getValue()));
          }
        }
      }
    }
    env.forEach((k, v) -> {
      if (KNOWN.containsKey(k)) {
        values.put(k, v);
      }
    });
    return new NodeSettings(Map.copyOf(values));
  }

  /** {@code httpPort} → {@code FERRY_HTTP_PORT}. */
  static String envName(String yamlKey) {
    return "FERRY_" + yamlKey.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  /** {@code FERRY_HTTP_PORT} → {@code httpPort}. */
  static String yamlName(String envName) {
    String[] parts = envName.substring("FERRY_".length()).toLowerCase(Locale.ROOT).split("_");
    StringBuilder out = new StringBuilder(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      out.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
    }
    return out.toString();
  }

  public String get(String name, String fallback) {
    String v = values.get(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  public int integer(String name, int fallback, int min, int max) {
    String v = values.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": must be a whole number from " + min + " to " + max + ", not '" + v + "'");
    }
  }

  public Path dataDir() {
    return Path.of(get("FERRY_DATA_DIR", "data"));
  }

  public int httpPort() {
    return integer("FERRY_HTTP_PORT", 8080, 0, 65535);
  }

  public int workerCapacity() {
    return integer("FERRY_WORKER_CAPACITY", 50, 1, 10_000);
  }

  public Path secretKeyFile() {
    return Path.of(get("FERRY_SECRET_KEY_FILE", dataDir().resolve("secret.key").toString()));
  }

  /** This node's name: {@code FERRY_NODE_ID}, else the host name and the given port. */
  public String nodeId(String role, int port) {
    String fallback;
    try {
      fallback = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.-]", "-") + "-" + port;
    } catch (UnknownHostException e) {
      fallback = role + "-" + port;
    }
    return get("FERRY_NODE_ID", fallback);
  }
}
