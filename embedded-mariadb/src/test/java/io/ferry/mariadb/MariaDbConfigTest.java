package io.ferry.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MariaDbConfigTest {
    @Test
    void defaults() {
        MariaDbConfig c = MariaDbConfig.builder().distribution(MariaDbDistribution.EMBEDDED).build();
        assertThat(c.role()).isEqualTo(MariaDbConfig.Role.SOURCE);
        assertThat(c.serverId()).isEqualTo(1);
        assertThat(c.timeZone()).isEqualTo("+00:00");
        assertThat(c.binlogRowMetadata()).isEqualTo("FULL");
        assertThat(c.dataDir()).isEmpty();
        assertThat(c.port()).isZero();
        assertThat(c.durable()).isFalse();
        assertThat(c.options()).isEmpty();
    }

    @Test
    void serverIdDefaultsByRole() {
        assertThat(MariaDbConfig.destination().serverId()).isEqualTo(2);
        assertThat(MariaDbConfig.builder().role(MariaDbConfig.Role.PLAIN).build().serverId()).isEqualTo(3);
        assertThat(MariaDbConfig.builder().role(MariaDbConfig.Role.DESTINATION).serverId(42).build().serverId())
                .isEqualTo(42);
    }

    @Test
    void validatesValues() {
        MariaDbConfig.Builder b = MariaDbConfig.builder();
        assertThatThrownBy(() -> b.timeZone("05:30 oops")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.binlogRowMetadata("ALL")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.option("--bad", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.port(70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.serverId(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(b.timeZone("+05:30").build().timeZone()).isEqualTo("+05:30");
        assertThat(b.binlogRowMetadata("minimal").build().binlogRowMetadata()).isEqualTo("MINIMAL");
    }

    @Test
    void optionsKeepOrderAndNormaliseUnderscores() {
        MariaDbConfig c = MariaDbConfig.builder()
                .option("max_allowed_packet", "64M")
                .option("skip-log-bin", null)
                .dataDir(Path.of("relative"))
                .build();
        assertThat(c.options()).containsExactly(
                java.util.Map.entry("max-allowed-packet", "64M"), new java.util.AbstractMap.SimpleEntry<>("skip-log-bin", null));
        assertThat(c.dataDir()).get().matches(Path::isAbsolute);
        assertThat(c.toBuilder().build().options()).isEqualTo(c.options());
    }

    @Test
    void distributionFromSystemProperty() {
        String old = System.getProperty(MariaDbDistribution.PROPERTY);
        try {
            System.clearProperty(MariaDbDistribution.PROPERTY);
            assertThat(MariaDbDistribution.fromSystemProperty()).isEqualTo(MariaDbDistribution.EMBEDDED);
            System.setProperty(MariaDbDistribution.PROPERTY, "System");
            assertThat(MariaDbDistribution.fromSystemProperty()).isEqualTo(MariaDbDistribution.SYSTEM);
            System.setProperty(MariaDbDistribution.PROPERTY, "docker");
            assertThatThrownBy(MariaDbDistribution::fromSystemProperty).hasMessageContaining("embedded or system");
        } finally {
            if (old == null) {
                System.clearProperty(MariaDbDistribution.PROPERTY);
            } else {
                System.setProperty(MariaDbDistribution.PROPERTY, old);
            }
        }
    }

    @Test
    void embeddedIsAvailableHere() {
        assertThat(MariaDbDistribution.EMBEDDED.isAvailable()).isTrue();
        assertThat(MariaDbDistribution.available()).startsWith(MariaDbDistribution.EMBEDDED);
    }

    @Test
    void freePortsAreDistinctAndFree() {
        int a = FreePorts.pick();
        int b = FreePorts.pick();
        assertThat(a).isNotEqualTo(b).isPositive();
        assertThat(FreePorts.isFree(a)).isTrue();
    }
}
