package io.ferry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.cluster.ClusterSettings.Member;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {
  private static final Path DATA = Path.of("/var/lib/ferry");

  @Test
  void defaultsWhenNothingIsSet() {
    ClusterSettings settings = ClusterSettings.fromEnvironment(Map.of(), DATA);
    assertThat(settings).isEqualTo(new ClusterSettings("127.0.0.1", 5701, 0, List.of(), DATA.resolve("cluster")));
  }

  @Test
  void readsEveryVariable() {
    ClusterSettings settings = ClusterSettings.fromEnvironment(Map.of(
        "FERRY_CLUSTER_HOST", "10.0.0.5",
        "FERRY_CLUSTER_PORT", "5801",
        "FERRY_CLUSTER_EVENTBUS_PORT", " 5802 ",
        "FERRY_CLUSTER_JOIN", "10.0.0.6:5801, node-7.example.org:5701,[fd00::8]:5901,node-9",
        "FERRY_CLUSTER_DIR", "/etc/ferry/cluster"), null);

    assertThat(settings.host()).isEqualTo("10.0.0.5");
    assertThat(settings.port()).isEqualTo(5801);
    assertThat(settings.eventBusPort()).isEqualTo(5802);
    assertThat(settings.join()).containsExactly(new Member("10.0.0.6", 5801),
        new Member("node-7.example.org", 5701), new Member("fd00::8", 5901), new Member("node-9", 5701));
    assertThat(settings.join().get(2)).hasToString("[fd00::8]:5901");
    assertThat(settings.credentialsDir()).isEqualTo(Path.of("/etc/ferry/cluster"));
  }

  @Test
  void portZeroMeansAnyFreePort() {
    ClusterSettings settings = ClusterSettings.fromEnvironment(
        Map.of("FERRY_CLUSTER_PORT", "0", "FERRY_CLUSTER_EVENTBUS_PORT", "0"), DATA);
    assertThat(settings.port()).isZero();
    assertThat(settings.eventBusPort()).isZero();
  }

  @Test
  void everyProblemIsReportedAtOnceNamingItsVariable() {
    Map<String, String> env = Map.of(
        "FERRY_CLUSTER_HOST", "0.0.0.0",
        "FERRY_CLUSTER_PORT", "57o1",
        "FERRY_CLUSTER_EVENTBUS_PORT", "70000",
        "FERRY_CLUSTER_JOIN", "10.0.0.6:5801,10.0.0.7:http,,fd00::9:5701,:5701");
    assertThatThrownBy(() -> ClusterSettings.fromEnvironment(env, null))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("FERRY_CLUSTER_HOST='0.0.0.0' is a wildcard")
        .hasMessageContaining("FERRY_CLUSTER_PORT='57o1' is not a port number")
        .hasMessageContaining("FERRY_CLUSTER_EVENTBUS_PORT='70000' is not a port number")
        .hasMessageContaining("FERRY_CLUSTER_JOIN entry '10.0.0.7:http' has an invalid port 'http'")
        .hasMessageContaining("FERRY_CLUSTER_JOIN has an empty entry")
        .hasMessageContaining("FERRY_CLUSTER_JOIN entry 'fd00::9:5701' looks like a bare IPv6 address")
        .hasMessageContaining("FERRY_CLUSTER_JOIN entry ':5701' has no valid host")
        .hasMessageContaining("FERRY_CLUSTER_DIR is not set and there is no FERRY_DATA_DIR")
        .hasMessageNotContaining("entry '10.0.0.6");
  }

  @Test
  void joinPortZeroIsRefused() {
    assertThatThrownBy(() -> ClusterSettings.fromEnvironment(Map.of("FERRY_CLUSTER_JOIN", "a:0"), DATA))
        .hasMessageContaining("FERRY_CLUSTER_JOIN entry 'a:0' has an invalid port '0'");
  }

  @Test
  void theConstructorChecksToo() {
    assertThatThrownBy(() -> new ClusterSettings(" ", -1, 65536, List.of(), DATA))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("FERRY_CLUSTER_HOST")
        .hasMessageContaining("FERRY_CLUSTER_PORT=-1")
        .hasMessageContaining("FERRY_CLUSTER_EVENTBUS_PORT=65536");
  }
}
