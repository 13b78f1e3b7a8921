package io.ferry.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NetworkTargetsTest {

  @Test
  void linkLocalWildcardAndMulticastLiteralsAreRefused() {
    for (String host : new String[] {"169.254.169.254", "169.254.0.1", "fe80::1", "FE80:0:0:0:0:0:0:a",
        "::ffff:169.254.169.254", "0.0.0.0", "::", "224.0.0.1", "ff02::1"}) {
      assertThat(NetworkTargets.refusedLiteral(host)).as(host).isNotNull();
      assertThat(NetworkTargets.refusedResolved(host)).as(host).isNotNull();
    }
    assertThat(NetworkTargets.refusedLiteral("169.254.169.254")).contains("link-local");
  }

  @Test
  void ordinaryAddressesAndNamesAreAllowed() {
    for (String host : new String[] {"127.0.0.1", "10.0.0.5", "192.168.1.10", "8.8.8.8", "::1", "2001:db8::5",
        "fd00::1", "169.255.0.1", "db.example.com", "localhost"}) {
      assertThat(NetworkTargets.refusedLiteral(host)).as(host).isNull();
    }
    assertThat(NetworkTargets.refusedResolved("localhost")).isNull();
    assertThat(NetworkTargets.refusedResolved("no-such-host.invalid")).as("left to the connect's own error").isNull();
  }
}
