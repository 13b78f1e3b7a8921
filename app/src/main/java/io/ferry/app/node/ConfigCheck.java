package io.ferry.app.node;

import io.ferry.cluster.ClusterException;
import io.ferry.cluster.ClusterSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Checks a node's settings (a YAML file, overridden by {@code FERRY_*} variables) without starting
 * anything, and lists every problem at once, each naming its setting: unknown keys, numbers out of
 * range, a metadata URL Ferry cannot use, a data directory or secret key file that cannot be used,
 * cluster settings, the log format and level. No password or token value is ever quoted.
 */
public final class ConfigCheck {
  private ConfigCheck() {}

  /** The problems of {@code file} (may be null) merged with {@code env}; empty when all is well. */
  public static List<String> problems(Path file, Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    Map<String, String> values = new TreeMap<>();
    if (file != null) {
      read(file, values, problems);
    }
    env.forEach((k, v) -> {
      if (NodeSettings.KNOWN.contains(k)) {
        values.put(k, v);
      }
    });
    NodeSettings settings = new NodeSettings(Map.copyOf(values));
    number(settings, "FERRY_HTTP_PORT", 8080, 0, 65535, problems);
    number(settings, "FERRY_WORKER_CAPACITY", 50, 1, 10_000, problems);
    String url = settings.get("FERRY_METADATA_URL", null);
    if (url != null && !url.startsWith("jdbc:mysql://") && !url.startsWith("jdbc:mariadb://")) {
      problems.add("FERRY_METADATA_URL: must start with jdbc:mysql:// or jdbc:mariadb://");
    }
    if (url != null && settings.get("FERRY_METADATA_USER", null) == null) {
      problems.add("FERRY_METADATA_USER: is required with FERRY_METADATA_URL");
    }
    String nodeId = settings.get("FERRY_NODE_ID", null);
    if (nodeId != null && !nodeId.matches("[A-Za-z0-9_.:-]{1,128}")) {
      problems.add("FERRY_NODE_ID: must be 1-128 letters, digits, '_', '.', ':', '-'");
    }
    Path dataDir = null;
    try {
      dataDir = settings.dataDir();
      directory("FERRY_DATA_DIR", dataDir, problems);
    } catch (InvalidPathException e) {
      problems.add("FERRY_DATA_DIR: not a valid path (" + e.getReason() + ")");
    }
    String keyFile = settings.get("FERRY_SECRET_KEY_FILE", null);
    if (keyFile != null) {
      Path key = Path.of(keyFile);
      if (Files.exists(key) && !Files.isReadable(key)) {
        problems.add("FERRY_SECRET_KEY_FILE: " + key + " exists but cannot be read");
      } else if (!Files.exists(key) && (key.toAbsolutePath().getParent() == null
          || !Files.isDirectory(key.toAbsolutePath().getParent()))) {
        problems.add("FERRY_SECRET_KEY_FILE: " + key + " does not exist and its directory does not either");
      }
    }
    String token = settings.get("FERRY_ADMIN_TOKEN", null);
    if (token != null && token.length() < 32) {
      problems.add("FERRY_ADMIN_TOKEN: too short to be safe (at least 32 characters)");
    }
    String logFormat = env.get("FERRY_LOG_FORMAT");
    if (logFormat != null && !List.of("text", "json").contains(logFormat.strip().toLowerCase(Locale.ROOT))) {
      problems.add("FERRY_LOG_FORMAT: must be text or json, not '" + logFormat + "'");
    }
    String logLevel = env.get("FERRY_LOG_LEVEL");
    if (logLevel != null && !List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF")
        .contains(logLevel.strip().toUpperCase(Locale.ROOT))) {
      problems.add("FERRY_LOG_LEVEL: must be TRACE, DEBUG, INFO, WARN, ERROR or OFF, not '" + logLevel + "'");
    }
    try {
      ClusterSettings.fromEnvironment(values, dataDir);
    } catch (ClusterException e) {
      problems.add(e.getMessage());
    }
    return problems;
  }

  private static void read(Path file, Map<String, String> values, List<String> problems) {
    Object doc;
    try (Reader in = Files.newBufferedReader(file)) {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    } catch (IOException e) {
      problems.add(file + ": cannot be read (" + e.getMessage() + ")");
      return;
    } catch (YAMLException e) {
      problems.add(file + ": is not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")");
      return;
    }
    if (doc == null) {
      return;
    }
    if (!(doc instanceof Map<?, ?> map)) {
      problems.add(file + ": must be a map of settings such as 'httpPort: 8080'");
      return;
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String name = NodeSettings.envName(String.valueOf(e.getKey()));
      if (!NodeSettings.KNOWN.contains(name)) {
        problems.add(file + ": unknown setting '" + e.getKey() + "'");
      } else if (e.getValue() instanceof Map || e.getValue() instanceof List) {
        problems.add(file + ": " + e.getKey() + " must be a single value");
      } else {
        values.put(name, String.valueOf(e.getValue()));
      }
    }
  }

  private static void number(NodeSettings settings, String name, int fallback, int min, int max, List<String> problems) {
    try {
      settings.integer(name, fallback, min, max);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
  }

  /** A directory that exists and is writable, or that can be created (its nearest existing parent is writable). */
  private static void directory(String name, Path dir, List<String> problems) {
    Path p = dir.toAbsolutePath();
    if (Files.exists(p)) {
      if (!Files.isDirectory(p) || !Files.isWritable(p)) {
        problems.add(name + ": " + dir + " is not a writable directory");
      }
      return;
    }
    Path parent = p.getParent();
    while (parent != null && !Files.exists(parent)) {
      parent = parent.getParent();
    }
    if (parent == null || !Files.isWritable(parent)) {
      problems.add(name + ": " + dir + " does not exist and cannot be created");
    }
  }
}
