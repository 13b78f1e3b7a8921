package io.ferry.app.node;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
  /** The settings a file may hold, by their environment name (described in the README). */
  static final Set<String> KNOWN = Set.of(
      "FERRY_HTTP_PORT", "FERRY_DATA_DIR", "FERRY_METADATA_URL", "FERRY_METADATA_USER",
      "FERRY_METADATA_PASSWORD", "FERRY_ADMIN_TOKEN", "FERRY_SECRET_KEY_FILE", "FERRY_NODE_ID",
      "FERRY_WORKER_CAPACITY", "FERRY_CLUSTER_HOST", "FERRY_CLUSTER_PORT", "FERRY_CLUSTER_EVENTBUS_PORT",
      "FERRY_CLUSTER_JOIN", "FERRY_CLUSTER_DIR");

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
            if (!KNOWN.contains(name)) {
              throw new IllegalArgumentException(file + ": unknown setting '" + e.getKey() + "'; known: "
                  + String.join(", ", KNOWN.stream().map(NodeSettings::yamlName).sorted().toList()));
            }
            values.put(name, String.valueOf(e.getValue()));
          }
        }
      }
    }
    env.forEach((k, v) -> {
      if (KNOWN.contains(k)) {
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
