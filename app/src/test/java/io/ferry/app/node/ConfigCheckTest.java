package io.ferry.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckTest {
  @TempDir
  Path dir;

  @Test
  void aGoodFileHasNoProblems() throws Exception {
    Path file = Files.writeString(dir.resolve("node.yaml"), "httpPort: 8081\ndataDir: " + dir.resolve("data")
        + "\nworkerCapacity: 20\nclusterJoin: 10.0.0.1:5701,10.0.0.2\n");
    assertThat(ConfigCheck.problems(file, Map.of())).isEmpty();
  }

  @Test
  void everyProblemIsListedAtOnceByItsSetting() throws Exception {
    Path file = Files.writeString(dir.resolve("node.yaml"), "httpPort: 70000\nworkerCapacity: 0\n"
        + "metadataUrl: postgres://db/ferry\nsurprise: 1\nclusterPort: 99999\nclusterJoin: 'a:b:c'\n"
        + "adminToken: short-secret\ndataDir: " + dir.resolve("data") + "\n");
    List<String> problems = ConfigCheck.problems(file, Map.of("FERRY_NODE_ID", "bad id!", "FERRY_LOG_FORMAT", "jsno",
        "FERRY_LOG_LEVEL", "LOUD"));
    assertThat(String.join("\n", problems))
        .contains("FERRY_HTTP_PORT", "FERRY_WORKER_CAPACITY", "FERRY_METADATA_URL", "FERRY_METADATA_USER",
            "unknown setting 'surprise'", "FERRY_CLUSTER_PORT", "FERRY_CLUSTER_JOIN", "FERRY_ADMIN_TOKEN", "FERRY_NODE_ID",
            "FERRY_LOG_FORMAT: must be text or json, not 'jsno'", "FERRY_LOG_LEVEL")
        .doesNotContain("short-secret");
  }

  @Test
  void theEnvironmentOverridesTheFileAndBadYamlIsNamed() throws Exception {
    Path file = Files.writeString(dir.resolve("node.yaml"), "httpPort: 70000\ndataDir: " + dir + "\n");
    assertThat(ConfigCheck.problems(file, Map.of("FERRY_HTTP_PORT", "9090", "FERRY_LOG_FORMAT", "JSON",
        "FERRY_LOG_LEVEL", "debug"))).isEmpty();
    Path broken = Files.writeString(dir.resolve("broken.yaml"), "httpPort: [1, 2\n");
    assertThat(ConfigCheck.problems(broken, Map.of("FERRY_DATA_DIR", dir.toString()))).singleElement().asString()
        .contains("not valid YAML");
  }
}
