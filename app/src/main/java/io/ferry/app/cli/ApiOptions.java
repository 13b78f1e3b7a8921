package io.ferry.app.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import picocli.CommandLine.Option;

/**
 * Where the control plane is and how to sign in, shared by the API commands. The URL comes from {@code --url}, else
 * {@code FERRY_URL}, else the command line's config file, else {@code http://127.0.0.1:8080}; the token from
 * {@code --token-file}, else {@code FERRY_TOKEN}, else the config file (never from a command-line argument, which
 * other users could read). The config file is {@code --cli-config}, else {@code FERRY_CLI_CONFIG}, else
 * {@code $XDG_CONFIG_HOME/ferry/cli.yaml} (default {@code ~/.config/ferry/cli.yaml}) when it exists: YAML with
 * {@code url}, and {@code token} or {@code tokenFile}.
 */
public final class ApiOptions {
  private static final Logger LOG = LoggerFactory.getLogger(ApiOptions.class);
  static final String DEFAULT_URL = "http://127.0.0.1:8080";
  private static final Set<String> KEYS = Set.of("url", "token", "tokenFile");

  @Option(names = "--url", description = "The control plane's URL (default: FERRY_URL, else the config file's url,"
      + " else " + DEFAULT_URL + ").")
  String url;

  @Option(names = "--token-file", description = "A file holding the API token (default: FERRY_TOKEN, else the config"
      + " file's token or tokenFile).")
  Path tokenFile;

  @Option(names = "--cli-config", description = "The command line's config file (YAML: url, token or tokenFile;"
      + " default: FERRY_CLI_CONFIG, else ~/.config/ferry/cli.yaml when it exists).")
  Path cliConfig;

  @Option(names = "--json", description = "Print the API's JSON instead of a table (for scripts).")
  boolean json;

  ApiClient client() {
    String[] target = resolve(url, tokenFile, cliConfig, System.getenv(), Path.of(System.getProperty("user.home")));
    return new ApiClient(target[0], target[1]);
  }

  boolean json() {
    return json;
  }

  /** The URL and the token, from the options, then the environment, then the config file; see the class comment. */
  static String[] resolve(String url, Path tokenFile, Path cliConfig, Map<String, String> env, Path home) {
    Path file = configFile(cliConfig, env, home);
    Map<String, String> config = file == null ? Map.of() : read(file);
    String base = first(url, env.get("FERRY_URL"), config.get("url"), DEFAULT_URL);
    String token;
    if (tokenFile != null) {
      token = readToken(tokenFile, "--token-file");
    } else if (env.get("FERRY_TOKEN") != null && !env.get("FERRY_TOKEN").isBlank()) {
      token = env.get("FERRY_TOKEN");
    } else if (config.get("token") != null) {
      token = config.get("token");
    } else if (config.get("tokenFile") != null) {
      Path path = Path.of(config.get("tokenFile"));
      token = readToken(path.isAbsolute() || file.getParent() == null ? path : file.getParent().resolve(path),
          file + ": tokenFile");
    } else {
      throw new CliException(CliException.UNREACHABLE, "no API token: set FERRY_TOKEN, give --token-file, or put"
          + " token: (or tokenFile:) in " + (file != null ? file : home.resolve(".config/ferry/cli.yaml")));
    }
    return new String[] {base, token.strip()};
  }

  /** --cli-config, else FERRY_CLI_CONFIG (both must exist), else the default file when it exists, else null. */
  static Path configFile(Path cliConfig, Map<String, String> env, Path home) {
    Path named = cliConfig != null ? cliConfig
        : env.get("FERRY_CLI_CONFIG") != null && !env.get("FERRY_CLI_CONFIG").isBlank()
            ? Path.of(env.get("FERRY_CLI_CONFIG")) : null;
    if (named != null) {
      if (!Files.isRegularFile(named)) {
        throw new CliException(CliException.BAD_USAGE, "the config file " + named + " does not exist");
      }
      return named;
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    Path fallback = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config")).resolve("ferry/cli.yaml");
    return Files.isRegularFile(fallback) ? fallback : null;
  }

  private static Map<String, String> read(Path file) {
    Object doc;
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    } catch (IOException | YAMLException e) {
      throw new CliException(CliException.BAD_USAGE, file + ": cannot be read as YAML ("
          + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
    }
    if (doc == null) {
      return Map.of();
    }
    if (!(doc instanceof Map<?, ?> map)) {
      throw new CliException(CliException.BAD_USAGE, file + ": must be a map such as 'url: http://ferry:8080'");
    }
    Map<String, String> out = new java.util.HashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (!KEYS.contains(key) || e.getValue() instanceof Map || e.getValue() instanceof Iterable) {
        throw new CliException(CliException.BAD_USAGE, file + ": unknown or malformed key '" + key + "' (known: url,"
            + " token, tokenFile)");
      }
      if (e.getValue() != null) {
        out.put(key, String.valueOf(e.getValue()));
      }
    }
    if (out.containsKey("token") && readableByOthers(file)) {
      LOG.warn("{} holds a token and other users can read it; chmod 600 it", file);
    }
    return out;
  }

  private static boolean readableByOthers(Path file) {
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static String readToken(Path file, String what) {
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new CliException(CliException.BAD_USAGE, what + ": " + file + " is empty");
      }
      return token;
    } catch (IOException e) {
      throw new CliException(CliException.BAD_USAGE, what + ": cannot read the token file " + file + ": " + e);
    }
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
