package io.ferry.worker.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mariadb.TestCertificates;
import io.ferry.protocol.model.ConnectionSpec;
import io.ferry.protocol.model.DdlPolicy;
import io.ferry.protocol.model.JobSpec;
import io.ferry.protocol.model.StartSpec;
import io.ferry.protocol.model.TlsMode;
import io.ferry.worker.config.ConnectionConfig;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.StartPosition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobSpecsTest {
  @Test
  void theConnectionsCaReachesTheJobConfig() {
    String ca = TestCertificates.unrelatedCaPem(TestCertificates.KeyType.EC);
    JobSpec spec = new JobSpec(new ConnectionSpec("src", 3306, "repl", "pw", TlsMode.VERIFY_CA, ca),
        new ConnectionSpec("dst", 3307, "ferry", "pw", TlsMode.REQUIRED), List.of("shop.*"), List.of(), Map.of(),
        new StartSpec.Current(), DdlPolicy.EXEC);
    JobConfig job = JobSpecs.toJobConfig("j", spec);
    assertThat(job.source().tls()).isEqualTo(ConnectionConfig.TlsMode.VERIFY_CA);
    assertThat(job.source().caCert()).isEqualTo(ca);
    assertThat(job.source().verifyingCa()).isEqualTo(ca);
    assertThat(job.destination().caCert()).isNull();
  }

  @Test
  void theSnapshotOptionsReachTheJobConfig() {
    JobSpec spec = new JobSpec(new ConnectionSpec("src", 3306, "repl", "pw", TlsMode.DISABLED),
        new ConnectionSpec("dst", 3307, "ferry", "pw", TlsMode.DISABLED), List.of("shop.*"), List.of(), Map.of(),
        new StartSpec.Snapshot(true, 500, 8, 64, StartSpec.Snapshot.KEYLESS_COPY), DdlPolicy.EXEC);
    assertThat(JobSpecs.toJobConfig("j", spec).start()).isEqualTo(new StartPosition.Snapshot(true, 500, 8, 64,
        StartPosition.Snapshot.Keyless.COPY));
    JobSpec defaults = new JobSpec(spec.source(), spec.destination(), List.of("shop.*"), List.of(), Map.of(),
        new StartSpec.Snapshot(), DdlPolicy.EXEC);
    assertThat(JobSpecs.toJobConfig("j", defaults).start()).isEqualTo(new StartPosition.Snapshot());
  }
}
