package io.ferry.app.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.app.Main;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ferry chaos} for a short soak (system property {@code ferry.chaos.minutes}, default 3; seed
 * {@code ferry.chaos.seed}, default the time): every fault recovered, no mismatch by CHECKSUM TABLE, no
 * password in the job processes' logs (exit code 0). The run's table replaces the figures section of
 * docs/RELIABILITY.md, so the committed file holds the latest run.
 */
class ChaosIT {
  @TempDir
  Path work;

  @Test
  void aShortSoakRecoversFromEveryFaultWithNothingLostOrDoubled() throws Exception {
    // once per build: the figures are for the embedded MariaDB, not the second pass on the system's server
    Assumptions.assumeFalse("system".equals(System.getProperty("ferry.mariadb")), "the soak runs on the embedded MariaDB");
    String minutes = System.getProperty("ferry.chaos.minutes", "3");
    String seed = System.getProperty("ferry.chaos.seed", Long.toString(System.currentTimeMillis()));
    Path docs = Path.of("..", "docs", "RELIABILITY.md").toAbsolutePath().normalize();
    Path report = Files.exists(docs) ? docs : work.resolve("RELIABILITY.md");
    int code = new CommandLine(new Main()).execute("chaos", "--minutes", minutes, "--seed", seed,
        "--work-dir", work.resolve("run").toString(), "--report", report.toString());
    String table = Files.readString(report, StandardCharsets.UTF_8);
    assertThat(table).contains(ChaosReport.BEGIN, "seed " + seed, "final comparison");
    assertThat(code).as("ferry chaos exit code (the table: %s)", table).isZero();
  }
}
