package io.ferry.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProtocolVersionTest {

  @Test
  void compatibility() {
    assertThat(ProtocolVersion.isCompatible(ProtocolVersion.CURRENT)).isTrue();
    assertThat(ProtocolVersion.isCompatible(ProtocolVersion.MIN_COMPATIBLE)).isTrue();
    assertThat(ProtocolVersion.isCompatible(ProtocolVersion.CURRENT + 1)).isFalse();
    assertThat(ProtocolVersion.isCompatible(ProtocolVersion.MIN_COMPATIBLE - 1)).isFalse();
    assertThatThrownBy(() -> ProtocolVersion.requireCompatible(99))
        .isInstanceOfSatisfying(ProtocolException.class, e -> {
          assertThat(e.reason()).isEqualTo(ProtocolException.Reason.INCOMPATIBLE_VERSION);
          assertThat(e.field()).isEqualTo("v");
        })
        .hasMessageContaining("99");
  }

  @Test
  void addresses() {
    assertThat(Addresses.worker("3f2a-node")).isEqualTo("ferry.worker.3f2a-node");
    assertThat(Addresses.worker("3f2a-node")).startsWith(Addresses.WORKER_PREFIX);
    assertThatThrownBy(() -> Addresses.worker("a b")).isInstanceOf(InvalidFieldException.class);
    assertThat(java.util.Set.of(Addresses.CONTROL_PLANE, Addresses.HEARTBEAT, Addresses.CHECKPOINT, Addresses.EVENTS))
        .hasSize(4)
        .allSatisfy(a -> assertThat(a).startsWith("ferry.").doesNotStartWith(Addresses.WORKER_PREFIX));
  }
}
