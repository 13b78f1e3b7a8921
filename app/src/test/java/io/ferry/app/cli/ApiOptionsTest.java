package io.ferry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the command line finds the control plane and its token: options, then the environment, then its config file. */
class ApiOptionsTest {
  @TempDir
  Path home;

  @Test
  void withNothingConfiguredTheTokenIsMissingAndTheMessageNamesEveryWay() {
    assertThatThrownBy(() -> ApiOptions.resolve(null, null, null, Map.of(), home)).isInstanceOf(CliException.class)
        .hasMessageContaining("FERRY_TOKEN").hasMessageContaining("--token-file")
        .hasMessageContaining(home.resolve(".config/ferry/cli.yaml").toString())
        .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(CliException.UNREACHABLE));
  }

  @Test
  void theDefaultConfigFileGivesUrlAndToken() throws Exception {
    Path file = home.resolve(".config/ferry/cli.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "url: http://ferry.example:8080\ntoken: fy_from-the-file\n");
    assertThat(ApiOptions.resolve(null, null, null, Map.of(), home))
        .containsExactly("http://ferry.example:8080", "fy_from-the-file");
    // The environment wins over the file, and the options over both.
    assertThat(ApiOptions.resolve(null, null, null, Map.of("FERRY_URL", "http://env:1", "FERRY_TOKEN", "fy_env"), home))
        .containsExactly("http://env:1", "fy_env");
    Path tokenFile = Files.writeString(home.resolve("t"), "fy_option\n");
    assertThat(ApiOptions.resolve("http://option:2", tokenFile, null, Map.of("FERRY_URL", "http://env:1",
        "FERRY_TOKEN", "fy_env"), home)).containsExactly("http://option:2", "fy_option");
    // XDG_CONFIG_HOME moves the default file.
    assertThatThrownBy(() -> ApiOptions.resolve(null, null, null, Map.of("XDG_CONFIG_HOME",
        home.resolve("elsewhere").toString()), home)).isInstanceOf(CliException.class);
  }

  @Test
  void aNamedConfigFileMayPointAtATokenFileBesideIt() throws Exception {
    Path dir = Files.createDirectories(home.resolve("team"));
    Files.writeString(dir.resolve("token"), "fy_beside\n");
    Path file = Files.writeString(dir.resolve("prod.yaml"), "url: http://prod:8080/\ntokenFile: token\n");
    assertThat(ApiOptions.resolve(null, null, file, Map.of(), home)).containsExactly("http://prod:8080/", "fy_beside");
    assertThat(ApiOptions.resolve(null, null, null, Map.of("FERRY_CLI_CONFIG", file.toString()), home))
        .containsExactly("http://prod:8080/", "fy_beside");
  }

  @Test
  void aBadConfigFileIsBadUsageWithItsName() throws Exception {
    Path missing = home.resolve("nope.yaml");
    assertThatThrownBy(() -> ApiOptions.resolve(null, null, missing, Map.of(), home))
        .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist")
        .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(CliException.BAD_USAGE));
    Path typo = Files.writeString(home.resolve("typo.yaml"), "url: http://x\ntoken: fy_secret-value\ntokn: y\n");
    assertThatThrownBy(() -> ApiOptions.resolve(null, null, typo, Map.of(), home))
        .hasMessageContaining("'tokn'").hasMessageNotContaining("fy_secret-value")
        .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(CliException.BAD_USAGE));
    Path list = Files.writeString(home.resolve("list.yaml"), "- url\n");
    assertThatThrownBy(() -> ApiOptions.resolve(null, null, list, Map.of(), home)).hasMessageContaining("must be a map");
    Path emptyToken = Files.writeString(home.resolve("empty"), "\n");
    assertThatThrownBy(() -> ApiOptions.resolve(null, emptyToken, null, Map.of(), home)).hasMessageContaining("is empty");
  }
}
