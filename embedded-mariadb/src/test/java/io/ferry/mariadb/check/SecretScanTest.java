package io.ferry.mariadb.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretScanTest {
  @TempDir
  Path project;
  private String ledgerBefore;
  private String childLogsBefore;

  @BeforeEach
  void ledgerOfThisProject() {
    ledgerBefore = System.getProperty(SecretLedger.PROPERTY);
    childLogsBefore = System.getProperty(SecretLedger.CHILD_LOGS);
    System.setProperty(SecretLedger.PROPERTY, project.resolve("worker/target/secret-ledger.txt").toString());
    System.setProperty(SecretLedger.CHILD_LOGS, project.resolve("worker/target/child-logs").toString());
  }

  @AfterEach
  void restore() {
    restore(SecretLedger.PROPERTY, ledgerBefore);
    restore(SecretLedger.CHILD_LOGS, childLogsBefore);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  @Test
  void aCleanRunPassesAndTheLedgerDoesNotHoldTheSecretsInClear() throws Exception {
    SecretLedger.record("Src-0f3c9a7e-password");
    SecretLedger.record("short"); // below the minimum length: not recorded
    write("worker/target/failsafe-reports/io.ferry.X-output.txt", "12:00 INFO connected as repl to 127.0.0.1:3306\n");
    assertThat(Files.readString(project.resolve("worker/target/secret-ledger.txt")))
        .doesNotContain("Src-0f3c9a7e-password").hasLineCount(1);
    Result r = scan();
    assertThat(r.exit).isZero();
    assertThat(r.out).contains("1 secrets handed out by the tests, 1 files, 1 lines: none found");
  }

  @Test
  void aSecretInATestOutputOrAKeptChildLogFailsTheScanWithFileAndLineButMasked() throws Exception {
    SecretLedger.record("Dst-77c1-very-secret");
    SecretLedger.record("tok_abcdefghijklmnop");
    write("app/target/surefire-reports/io.ferry.Y-output.txt",
        "first line\nERROR cannot connect with password Dst-77c1-very-secret\n");
    Path child = write("scratch/replicate.log", "Admin token (shown once; kept in admin.token): tok_abcdefghijklmnop\n"
        + "GET /api/v1/jobs Authorization: Bearer tok_abcdefghijklmnop\n");
    SecretLedger.keepChildLog(child, "replicate.log");
    Result r = scan();
    assertThat(r.exit).isEqualTo(1);
    assertThat(r.out).contains("2 found")
        .contains("app/target/surefire-reports/io.ferry.Y-output.txt:2: ERROR cannot connect with password Ds…(secret)")
        .containsPattern("worker/target/child-logs/replicate\\.log-\\d+-\\d+\\.log:2: GET .*Bearer to…\\(secret\\)")
        .doesNotContain("very-secret").doesNotContain("abcdefghijklmnop");
  }

  @Test
  void findsASecretAnywhereInALineAmongSecretsSharingAPrefix() {
    SecretScan scan = new SecretScan(new java.util.LinkedHashSet<>(List.of("password-one", "password-two-longer")));
    assertThat(scan.find("x password-two-longer y")).isEqualTo("password-two-longer");
    assertThat(scan.find("password-on")).isNull();
    assertThat(scan.find("…password-one")).isEqualTo("password-one");
    assertThat(scan.find("")).isNull();
  }

  private Path write(String relative, String text) throws Exception {
    Path file = project.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  private record Result(int exit, String out) {}

  private Result scan() throws Exception {
    SecretScan.Report report = SecretScan.run(project);
    String out = report.summary() + "\n" + String.join("\n", report.findings().stream().map(f -> "  " + f).toList());
    return new Result(report.findings().isEmpty() ? 0 : 1, out);
  }
}
