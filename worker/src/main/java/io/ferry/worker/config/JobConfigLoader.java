package io.ferry.worker.config;

import io.ferry.worker.error.FerryException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the single-job YAML file of {@code ferry replicate --config job.yaml}. {@code ${NAME}} in any
 * string is replaced from the environment, so no password needs to sit in the file. Unknown keys and
 * wrong types are reported by name, all at once. A connection's CA certificate for {@code tls: verify-ca}
 * is given inline ({@code ca}, PEM text) or as a file ({@code caFile}, relative to the job file's folder).
 */
public final class JobConfigLoader {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Set<String> TOP_KEYS =
      Set.of("id", "source", "destination", "tables", "databaseMap", "start", "ddl", "tuning");
  private static final Set<String> CONNECTION_KEYS = Set.of("host", "port", "user", "password", "tls", "ca", "caFile");

  private final UnaryOperator<String> environment;

  public JobConfigLoader(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  public static JobConfigLoader fromSystemEnvironment() {
    return new JobConfigLoader(System::getenv);
  }

  public JobConfig load(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
      String defaultId = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
      Path folder = file.toAbsolutePath().getParent();
      return fromMap(root instanceof Map<?, ?> m ? m : Map.of(), defaultId, folder == null ? Path.of("") : folder);
    } catch (IOException e) {
      throw FerryException.fatal("CONFIG_UNREADABLE", "Cannot read job file " + file + ": " + e.getMessage(),
          "Check the path given to --config.");
    } catch (org.yaml.snakeyaml.error.YAMLException e) {
      throw FerryException.fatal("CONFIG_INVALID", "Job file " + file + " is not valid YAML: " + e.getMessage(),
          "Fix the YAML syntax.");
    }
  }

  /** A job from an already parsed file; a relative {@code caFile} is read from the current directory. */
  public JobConfig fromMap(Map<?, ?> root, String defaultId) {
    return fromMap(root, defaultId, Path.of(""));
  }

  private JobConfig fromMap(Map<?, ?> root, String defaultId, Path folder) {
    List<String> problems = new ArrayList<>();
    unknownKeys("", root, TOP_KEYS, problems);
    String id = string(root.get("id"), "id", problems);
    ConnectionConfig source = connection(root.get("source"), "source", folder, problems);
    ConnectionConfig destination = connection(root.get("destination"), "destination", folder, problems);
    TableFilter tables = tables(root.get("tables"), problems);
    Map<String, String> databaseMap = new LinkedHashMap<>();
    if (root.get("databaseMap") instanceof Map<?, ?> m) {
      m.forEach((k, v) -> databaseMap.put(expand(String.valueOf(k)), expand(String.valueOf(v))));
    } else if (root.get("databaseMap") != null) {
      problems.add("databaseMap must be a mapping of source database to destination database");
    }
    StartPosition start = start(root.get("start"), problems);
    DdlPolicy ddl = null;
    if (root.get("ddl") != null) {
      try {
        ddl = DdlPolicy.parse(String.valueOf(root.get("ddl")));
      } catch (IllegalArgumentException e) {
        problems.add("ddl must be exec, ignore or stop; was \"" + root.get("ddl") + "\"");
      }
    }
    JobConfig.Tuning tuning = tuning(root.get("tuning"), problems);
    if (!problems.isEmpty()) {
      throw FerryException.fatal("CONFIG_INVALID", "Job configuration has " + problems.size() + " problem(s): "
          + String.join("; ", problems), "Fix the listed settings (see ferry replicate --help).");
    }
    return new JobConfig(id == null ? defaultId : id, source, destination, tables, databaseMap, start, ddl, tuning)
        .validate();
  }

  private ConnectionConfig connection(Object node, String name, Path folder, List<String> problems) {
    if (!(node instanceof Map<?, ?> m)) {
      problems.add(name + " must be a mapping with host, port, user, password");
      return null;
    }
    unknownKeys(name + ".", m, CONNECTION_KEYS, problems);
    String host = string(m.get("host"), name + ".host", problems);
    int port = m.get("port") == null ? ConnectionConfig.DEFAULT_PORT : integer(m.get("port"), name + ".port", problems);
    String user = string(m.get("user"), name + ".user", problems);
    String password = string(m.get("password"), name + ".password", problems);
    ConnectionConfig.TlsMode tls = null;
    if (m.get("tls") != null) {
      try {
        tls = ConnectionConfig.TlsMode.parse(String.valueOf(m.get("tls")));
      } catch (IllegalArgumentException e) {
        problems.add(name + ".tls must be disabled, preferred, required or verify-ca");
      }
    }
    String ca = ca(m, name, folder, problems);
    if (ca != null && tls != ConnectionConfig.TlsMode.VERIFY_CA) {
      problems.add(name + ": a CA certificate is used only with tls: verify-ca; set it, or leave ca/caFile out");
    }
    return new ConnectionConfig(host, port, user, password, tls, ca);
  }

  /** The PEM text of {@code ca}, or of the file {@code caFile}; its contents are checked by ConnectionConfig. */
  private String ca(Map<?, ?> m, String name, Path folder, List<String> problems) {
    String inline = string(m.get("ca"), name + ".ca", problems);
    String file = string(m.get("caFile"), name + ".caFile", problems);
    if (inline != null && file != null) {
      problems.add(name + ": give ca or caFile, not both");
      return null;
    }
    if (file == null) {
      return inline;
    }
    Path path = folder.resolve(file);
    try {
      return Files.readString(path, StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      problems.add(name + ".caFile " + path + " cannot be read (" + e.getClass().getSimpleName() + ")");
      return null;
    }
  }

  private TableFilter tables(Object node, List<String> problems) {
    if (!(node instanceof Map<?, ?> m)) {
      problems.add("tables must be a mapping with include (and optionally exclude) lists");
      return null;
    }
    unknownKeys("tables.", m, Set.of("include", "exclude"), problems);
    return new TableFilter(list(m.get("include"), "tables.include", problems),
        list(m.get("exclude"), "tables.exclude", problems));
  }

  private StartPosition start(Object node, List<String> problems) {
    if (node == null || "current".equals(node)) {
      return new StartPosition.Current();
    }
    if ("snapshot".equals(node)) {
      return new StartPosition.Snapshot();
    }
    if (node instanceof Map<?, ?> m && m.containsKey("snapshot")) {
      unknownKeys("start.", m, Set.of("snapshot"), problems);
      Object options = m.get("snapshot");
      if (options == null) {
        return new StartPosition.Snapshot();
      }
      if (!(options instanceof Map<?, ?> o)) {
        problems.add("start.snapshot must be a mapping with overwrite, chunkRows, parallel, bufferMb and keyless");
        return null;
      }
      unknownKeys("start.snapshot.", o, Set.of("overwrite", "chunkRows", "parallel", "bufferMb", "keyless"), problems);
      boolean overwrite = o.get("overwrite") != null && Boolean.parseBoolean(String.valueOf(o.get("overwrite")));
      int chunkRows = o.get("chunkRows") == null ? StartPosition.Snapshot.DEFAULT_CHUNK_ROWS
          : integer(o.get("chunkRows"), "start.snapshot.chunkRows", problems);
      if (chunkRows < 1) {
        problems.add("start.snapshot.chunkRows must be positive");
      }
      int parallel = o.get("parallel") == null ? StartPosition.Snapshot.DEFAULT_PARALLEL
          : integer(o.get("parallel"), "start.snapshot.parallel", problems);
      if (parallel < 1 || parallel > 64) {
        problems.add("start.snapshot.parallel must be between 1 and 64");
      }
      int bufferMb = o.get("bufferMb") == null ? StartPosition.Snapshot.DEFAULT_BUFFER_MB
          : integer(o.get("bufferMb"), "start.snapshot.bufferMb", problems);
      if (bufferMb < 1) {
        problems.add("start.snapshot.bufferMb must be positive");
      }
      StartPosition.Snapshot.Keyless keyless = StartPosition.Snapshot.Keyless.REFUSE;
      if (o.get("keyless") != null) {
        String k = String.valueOf(o.get("keyless"));
        if (k.equals("refuse") || k.equals("copy")) {
          keyless = StartPosition.Snapshot.Keyless.valueOf(k.toUpperCase(java.util.Locale.ROOT));
        } else {
          problems.add("start.snapshot.keyless must be refuse or copy, not " + k);
        }
      }
      return new StartPosition.Snapshot(overwrite, chunkRows, Math.max(1, parallel), Math.max(1, bufferMb), keyless);
    }
    if (node instanceof Map<?, ?> m && m.containsKey("gtid")) {
      return new StartPosition.Gtid(string(m.get("gtid"), "start.gtid", problems));
    }
    if (node instanceof Map<?, ?> m && m.containsKey("file")) {
      unknownKeys("start.", m, Set.of("file", "position"), problems);
      long pos = m.get("position") == null ? 4 : integer(m.get("position"), "start.position", problems);
      return new StartPosition.File(string(m.get("file"), "start.file", problems), pos);
    }
    problems.add("start must be current, snapshot, {snapshot: {overwrite, chunkRows, parallel, bufferMb, keyless}}, {file, position} or {gtid}");
    return null;
  }

  private JobConfig.Tuning tuning(Object node, List<String> problems) {
    JobConfig.Tuning d = JobConfig.Tuning.DEFAULTS;
    if (node == null) {
      return d;
    }
    if (!(node instanceof Map<?, ?> m)) {
      problems.add("tuning must be a mapping");
      return d;
    }
    unknownKeys("tuning.", m, Set.of("batchMaxRows", "batchMaxMillis", "queueCapacity", "heartbeatSeconds",
        "serverId", "ferrySchema", "queueMaxBytes"), problems);
    return new JobConfig.Tuning(
        m.get("batchMaxRows") == null ? d.batchMaxRows() : integer(m.get("batchMaxRows"), "tuning.batchMaxRows", problems),
        m.get("batchMaxMillis") == null ? d.batchMaxMillis() : integer(m.get("batchMaxMillis"), "tuning.batchMaxMillis", problems),
        m.get("queueCapacity") == null ? d.queueCapacity() : integer(m.get("queueCapacity"), "tuning.queueCapacity", problems),
        m.get("heartbeatSeconds") == null ? d.heartbeatSeconds() : integer(m.get("heartbeatSeconds"), "tuning.heartbeatSeconds", problems),
        m.get("serverId") == null ? d.serverId() : longValue(m.get("serverId"), "tuning.serverId", problems),
        m.get("ferrySchema") == null ? d.ferrySchema() : string(m.get("ferrySchema"), "tuning.ferrySchema", problems),
        m.get("queueMaxBytes") == null ? d.queueMaxBytes()
            : longValue(m.get("queueMaxBytes"), "tuning.queueMaxBytes", problems));
  }

  private void unknownKeys(String prefix, Map<?, ?> m, Set<String> known, List<String> problems) {
    for (Object key : m.keySet()) {
      if (!known.contains(String.valueOf(key))) {
        problems.add("unknown setting " + prefix + key);
      }
    }
  }

  private String string(Object v, String field, List<String> problems) {
    if (v == null) {
      return null;
    }
    if (v instanceof Map || v instanceof List) {
      problems.add(field + " must be a text value");
      return null;
    }
    return expand(String.valueOf(v));
  }

  private int integer(Object v, String field, List<String> problems) {
    return (int) Math.min(Integer.MAX_VALUE, longValue(v, field, problems));
  }

  private long longValue(Object v, String field, List<String> problems) {
    try {
      return v instanceof Number n ? n.longValue() : Long.parseLong(expand(String.valueOf(v)).trim());
    } catch (NumberFormatException e) {
      problems.add(field + " must be a whole number; was \"" + v + "\"");
      return 0;
    }
  }

  private List<String> list(Object v, String field, List<String> problems) {
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l)) {
      problems.add(field + " must be a list");
      return List.of();
    }
    return l.stream().map(x -> expand(String.valueOf(x))).toList();
  }

  private String expand(String text) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = environment.apply(m.group(1));
      if (value == null) {
        throw FerryException.fatal("CONFIG_INVALID", "Environment variable " + m.group(1)
            + " is used in the job file but not set", "Export " + m.group(1) + " before starting Ferry.");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
