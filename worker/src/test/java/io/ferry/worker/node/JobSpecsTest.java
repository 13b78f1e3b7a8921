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
}
