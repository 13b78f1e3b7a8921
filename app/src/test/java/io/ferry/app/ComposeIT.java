package io.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The docker-compose setup, checked without a Docker engine: the services the README promises, settings
 * that Ferry really reads, every file it mounts present, a worker service that scales, and Prometheus
 * rules and Grafana panels that only use metric names a real control plane serves at /metrics.
 */
class ComposeIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern METRIC = Pattern.compile("\\b((?:ferry|jvm|process)_[a-z_]+)\\b");
  private static final Set<String> FERRY_SERVICES = Set.of("cluster-init", "control-plane", "worker", "setup");

  @TempDir
  static Path dir;

  private static InProcessFleet fleet;
  private static Map<String, Object> compose;

  @BeforeAll
  static void load() throws Exception {
    compose = yaml(ROOT.resolve("docker-compose.yml"));
    fleet = new InProcessFleet(dir);
  }

  @AfterAll
  static void close() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void theServicesOfTheReadmeAreThere() {
    assertThat(services().keySet()).contains("source", "destination", "metadata", "cluster-init", "control-plane",
        "worker", "setup", "prometheus", "grafana");
    for (String db : List.of("source", "destination", "metadata")) {
      assertThat(string(service(db).get("image"))).as(db).startsWith("mysql:8.");
    }
    List<String> source = strings(service("source").get("command"));
    assertThat(source).contains("--binlog-format=ROW", "--binlog-row-image=FULL", "--binlog-row-metadata=FULL")
        .anyMatch(a -> a.startsWith("--log-bin")).anyMatch(a -> a.matches("--server-id=[1-9]\\d*"));
    assertThat(string(service("control-plane").get("command"))).contains("control-plane");
    assertThat(string(service("worker").get("command"))).contains("worker");
  }

  @Test
  void everyFerrySettingIsOneFerryReads() throws IOException {
    Set<String> read = namesReadByTheCode();
    for (String name : FERRY_SERVICES) {
      for (String variable : environment(service(name)).keySet()) {
        if (variable.startsWith("FERRY_")) {
          assertThat(read).as(name + " sets " + variable).contains(variable);
        }
      }
    }
    Map<String, String> controlPlane = environment(service("control-plane"));
    assertThat(controlPlane.get("FERRY_METADATA_URL")).startsWith("jdbc:mysql://metadata:3306/");
    assertThat(controlPlane.get("FERRY_ADMIN_TOKEN")).startsWith("${FERRY_ADMIN_TOKEN:?");
    // Prometheus and the setup reach the HTTP port the control plane listens on.
    assertThat(environment(service("setup")).get("FERRY_URL"))
        .isEqualTo("http://control-plane:" + controlPlane.get("FERRY_HTTP_PORT"));
  }

  @Test
  void theWorkerScalesAndJoinsTheControlPlane() {
    Map<String, Object> worker = service("worker");
    assertThat(worker).doesNotContainKeys("container_name", "hostname", "ports");
    assertThat(environment(worker).get("FERRY_CLUSTER_JOIN"))
        .isEqualTo("control-plane:" + environment(service("control-plane")).get("FERRY_CLUSTER_PORT"));
    assertThat(string(service("control-plane").get("hostname"))).isEqualTo("control-plane");
    assertThat(strings(worker.get("volumes"))).contains("cluster:/cluster:ro");
  }

  @Test
  void thePublishedPortsAreThePortsFerryListensOn() throws IOException {
    Map<String, String> controlPlane = environment(service("control-plane"));
    assertThat(strings(service("control-plane").get("ports"))).as("the API, dashboard and /metrics")
        .anyMatch(p -> p.endsWith(":" + controlPlane.get("FERRY_HTTP_PORT")));
    for (String db : List.of("source", "destination")) {
      assertThat(strings(service(db).get("ports"))).as(db + " for a client on the host").singleElement().asString()
          .startsWith("127.0.0.1:").endsWith(":3306");
    }
    assertThat(strings(service("prometheus").get("ports"))).containsExactly("127.0.0.1:9090:9090");
    assertThat(strings(service("grafana").get("ports"))).containsExactly("127.0.0.1:3000:3000");
    // The image exposes what the nodes listen on, and the setup reaches the control plane on its port.
    Matcher expose = Pattern.compile("(?m)^EXPOSE (.+)$").matcher(Files.readString(ROOT.resolve("Dockerfile")));
    assertThat(expose.find()).isTrue();
    assertThat(expose.group(1).split(" ")).contains(controlPlane.get("FERRY_HTTP_PORT"),
        controlPlane.get("FERRY_CLUSTER_PORT"));
    assertThat(environment(service("worker")).get("FERRY_CLUSTER_PORT")).isEqualTo(controlPlane.get("FERRY_CLUSTER_PORT"));
  }

  @Test
  void metricNamesFollowPrometheusAndOpenTelemetryConventions() {
    FleetApi.Reply metrics = fleet.api().call("GET", "/metrics", null);
    assertThat(metrics.status()).isEqualTo(200);
    Map<String, String> types = new java.util.LinkedHashMap<>();
    Matcher type = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$").matcher(metrics.body());
    while (type.find()) {
      types.put(type.group(1), type.group(2));
    }
    assertThat(types).containsKeys("ferry_job_state", "ferry_job_lag_seconds", "ferry_job_rows_applied_total",
        "ferry_job_binlog_events_total",
        "ferry_worker_up", "process_cpu_seconds_total", "ferry_build_info");
    assertThat(metrics.body()).as("the version, as ferry --version and the dashboard show it")
        .contains("ferry_build_info{version=\"" + io.ferry.protocol.FerryVersion.get() + "\"} 1");
    types.forEach((name, kind) -> {
      assertThat(name).as("snake case with a namespace").matches("(ferry|jvm|process)_[a-z0-9]+(_[a-z0-9]+)*");
      assertThat(kind).as(name).isIn("counter", "gauge");
      if (kind.equals("counter")) {
        assertThat(name).as("a counter ends in _total").endsWith("_total");
      } else {
        assertThat(name).as("a gauge does not end in _total").doesNotEndWith("_total");
      }
      assertThat(name).as("base units only (seconds, bytes)").doesNotContainPattern(
          "_(milliseconds|millis|ms|minutes|hours|kilobytes|megabytes|kb|mb|percent)(_|$)");
      assertThat(name).as("a rate is computed by rate() from a counter, not exported").doesNotContain("per_second");
    });
    for (String line : metrics.body().split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String name = line.split("[{ ]", 2)[0];
        assertThat(types).as("the sample's family has a # TYPE: " + line).containsKey(name);
      }
    }
  }

  @Test
  void everyMountedFileIsInTheRepository() throws IOException {
    List<String> mounted = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> s : services().entrySet()) {
      for (String volume : strings(s.getValue().getOrDefault("volumes", List.of()))) {
        if (volume.startsWith("./")) {
          mounted.add(volume.substring(2, volume.indexOf(':')));
        }
      }
    }
    assertThat(mounted).contains("deploy/prometheus/prometheus.yml", "deploy/prometheus/ferry-alerts.yml",
        "deploy/grafana/provisioning", "deploy/grafana/dashboards", "deploy/mysql/source-init.sh", "deploy/setup.sh");
    for (String path : mounted) {
      if (path.equals("deploy/prometheus/ferry.token")) {
        // Written by the user (README); never committed.
        assertThat(Files.readString(ROOT.resolve(".gitignore"))).contains(path);
        continue;
      }
      assertThat(ROOT.resolve(path)).as(path).exists();
      if (path.endsWith(".sh")) {
        assertThat(Files.isExecutable(ROOT.resolve(path))).as(path + " is executable").isTrue();
      }
    }
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    assertThat(dockerfile).contains("-pl app -am", "/src/app/target/ferry.jar", "deploy/docker-entrypoint.sh")
        .as("the image runs the one runnable jar, nothing beside it").doesNotContain("target/lib");
    assertThat(Files.readString(ROOT.resolve("deploy/docker-entrypoint.sh"))).contains("cluster-init-once",
        "FERRY_CLUSTER_HOST");
    assertThat(strings(service("cluster-init").get("command"))).startsWith("cluster-init-once");
  }

  @Test
  void prometheusScrapesTheControlPlaneAndEveryRuleAndPanelUsesARealMetric() throws IOException {
    Map<String, Object> prometheus = yaml(ROOT.resolve("deploy/prometheus/prometheus.yml"));
    String scrape = prometheus.get("scrape_configs").toString();
    assertThat(scrape).contains("metrics_path=/metrics", "control-plane:"
        + environment(service("control-plane")).get("FERRY_HTTP_PORT"), "credentials_file=/etc/prometheus/ferry.token");
    assertThat(strings(prometheus.get("rule_files"))).containsExactly("/etc/prometheus/ferry-alerts.yml");

    FleetApi.Reply metrics = fleet.api().call("GET", "/metrics", null);
    assertThat(metrics.status()).isEqualTo(200);
    Set<String> served = metrics(metrics.body());
    assertThat(served).contains("ferry_job_lag_seconds", "ferry_worker_up");

    Map<String, Object> alerts = yaml(ROOT.resolve("deploy/prometheus/ferry-alerts.yml"));
    List<?> rules = (List<?>) ((Map<?, ?>) ((List<?>) alerts.get("groups")).get(0)).get("rules");
    assertThat(rules).as("alert rules").allSatisfy(r -> assertThat(((Map<?, ?>) r).keySet().stream()
        .map(String::valueOf).toList()).contains("alert", "expr", "for", "labels", "annotations"));
    assertThat(rules.stream().map(r -> String.valueOf(((Map<?, ?>) r).get("alert"))).toList())
        .contains("FerryJobLagging", "FerryJobStalled", "FerryJobFailed", "FerryWorkerLost");
    Set<String> used = metrics(Files.readString(ROOT.resolve("deploy/prometheus/ferry-alerts.yml")));
    JsonObject dashboard = new JsonObject(Files.readString(ROOT.resolve("deploy/grafana/dashboards/ferry-fleet.json")));
    used.addAll(metrics(dashboard.encode()));
    assertThat(used).as("metrics of the rules and the dashboard").isNotEmpty().allSatisfy(m -> assertThat(served)
        .as("served by /metrics").contains(m));
    // The dashboard reads the provisioned data source.
    Map<String, Object> datasources = yaml(ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml"));
    assertThat(datasources.toString()).contains("uid=ferry-prometheus", "url=http://prometheus:9090");
    assertThat(dashboard.encode()).contains("\"uid\":\"ferry-prometheus\"");
  }

  @Test
  void theSetupScriptCallsTheCommandLineAsItIs() throws IOException {
    String script = Files.readString(ROOT.resolve("deploy/setup.sh")).replace("\\\n", " ");
    Matcher call = Pattern.compile("\\bferry ((?:jobs|connections|workers) [^|)\\n;]*)").matcher(script);
    List<String> calls = new ArrayList<>();
    while (call.find()) {
      List<String> args = new ArrayList<>();
      for (String word : call.group(1).replaceAll("\\s+\\d*>.*$", "").trim().split("\\s+")) {
        String unquoted = word.replaceAll("^['\"]|['\"]$", "");
        args.add(unquoted.startsWith("$") ? "conn_0123456789abcdef" : unquoted);
      }
      calls.add(String.join(" ", args));
      // Parsing fails on an unknown command or option, a missing required one, or a bad value.
      picocli.CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args.toArray(String[]::new));
      assertThat(parsed.subcommand()).as(String.join(" ", args)).isNotNull();
    }
    assertThat(calls).as("the setup's calls").hasSize(5).anyMatch(c -> c.startsWith("jobs create "))
        .anyMatch(c -> c.startsWith("connections create ")).anyMatch(c -> c.startsWith("connections check "));
    // It retries only while the control plane does not answer (exit 3), as the command line's exit codes say.
    assertThat(script).contains("\"$code\" -ne 3");
  }

  private static Set<String> metrics(String text) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = METRIC.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** Every FERRY_* name that appears as a string literal in the main code (or the launcher scripts). */
  private static Set<String> namesReadByTheCode() throws IOException {
    Set<String> names = new LinkedHashSet<>();
    Pattern literal = Pattern.compile("\"(FERRY_[A-Z_]+)\"");
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("src/main")).toList()) {
        Matcher m = literal.matcher(Files.readString(f, StandardCharsets.UTF_8));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services() {
    return (Map<String, Map<String, Object>>) compose.get("services");
  }

  private static Map<String, Object> service(String name) {
    return services().get(name);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> environment(Map<String, Object> service) {
    Object env = service.get("environment");
    return env == null ? Map.of() : (Map<String, String>) env;
  }

  private static String string(Object o) {
    return o instanceof List<?> l ? String.join(" ", strings(l)) : String.valueOf(o);
  }

  private static List<String> strings(Object o) {
    return ((List<?>) o).stream().map(String::valueOf).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    }
  }
}
