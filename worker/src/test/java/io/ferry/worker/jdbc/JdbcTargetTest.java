package io.ferry.worker.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.worker.config.ConnectionConfig;
import io.ferry.worker.config.ConnectionConfig.TlsMode;
import io.ferry.worker.error.FerryException;
import org.junit.jupiter.api.Test;

class JdbcTargetTest {

  @Test
  void aLinkLocalDestinationIsRefusedBeforeAnyConnectAndTheJobStops() {
    long started = System.nanoTime();
    FerryException e = catchThrowableOfType(FerryException.class, () -> Jdbc.connect(
        new ConnectionConfig("169.254.169.254", 80, "ferry", "secret", TlsMode.DISABLED), "destination", "job-1", null));
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo("DESTINATION_TARGET_REFUSED");
    assertThat(e.getMessage()).contains("job-1").contains("link-local").doesNotContain("secret");
    assertThat(e.retriable()).as("a retry cannot help").isFalse();
    assertThat(System.nanoTime() - started).as("no connect attempt (which would wait for a timeout)")
        .isLessThan(5_000_000_000L);
  }

  @Test
  void anOrdinaryHostIsLeftToTheConnect() {
    Jdbc.refuseTarget(new ConnectionConfig("127.0.0.1", 3306, "ferry", "", TlsMode.DISABLED), "source", "job-1");
  }
}
