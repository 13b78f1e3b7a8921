package io.ferry.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.mariadb.TestCertificates;
import io.ferry.worker.error.FerryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigLoaderTest {
  @TempDir
  Path dir;

  private final JobConfigLoader loader = new JobConfigLoader(Map.of("SRC_PW", "s3cret", "DST_PW", "d$pw")::get);

  @Test
  void readsTheApiExampleWithEnvironmentVariables() throws Exception {
    Path file = dir.resolve("shop.yaml");
    Files.writeString(file, """
        source:      {host: 127.0.0.1, port: 3306, user: repl,  password: "${SRC_PW}"}
        destination: {host: 127.0.0.1, port: 3307, user: ferry, password: "${DST_PW}"}
        tables:      {include: ["shop.*"], exclude: ["shop.sessions"]}
        databaseMap: {shop: shop_copy}
        start: {file: mysql-bin.000003, position: 4}
        ddl: stop
        """);
    JobConfig job = loader.load(file);
    assertThat(job.id()).isEqualTo("shop");
    assertThat(job.source().password()).isEqualTo("s3cret");
    assertThat(job.destination().password()).isEqualTo("d$pw");
    assertThat(job.destinationDatabase("shop")).isEqualTo("shop_copy");
    assertThat(job.destinationDatabase("other")).isEqualTo("other");
    assertThat(job.start()).isEqualTo(new StartPosition.File("mysql-bin.000003", 4));
    assertThat(job.ddl()).isEqualTo(DdlPolicy.STOP);
    assertThat(job.tables().matches("shop", "orders")).isTrue();
    assertThat(job.tables().matches("shop", "sessions")).isFalse();
    assertThat(job.tables().matches("other", "orders")).isFalse();
    assertThat(job.source().toString()).doesNotContain("s3cret");
  }

  /** The settings a job cannot do without. */
  private static Map<String, Object> minimalJob() {
    return Map.of(
        "source", Map.of("host", "a", "user", "u"),
        "destination", Map.of("host", "b", "user", "u"),
        "tables", Map.of("include", java.util.List.of("shop.*")));
  }

  @Test
  void readsTheSnapshotStartWithAndWithoutOptions() {
    Map<String, Object> base = minimalJob();
    Map<String, Object> plain = new java.util.HashMap<>(base);
    plain.put("start", "snapshot");
    assertThat(loader.fromMap(plain, "job").start()).isEqualTo(new StartPosition.Snapshot());
    Map<String, Object> withOptions = new java.util.HashMap<>(base);
    withOptions.put("start", Map.of("snapshot", Map.of("overwrite", true, "chunkRows", 500)));
    assertThat(loader.fromMap(withOptions, "job").start()).isEqualTo(new StartPosition.Snapshot(true, 500));
    Map<String, Object> lanes = new java.util.HashMap<>(base);
    lanes.put("start", Map.of("snapshot", Map.of("parallel", 8, "bufferMb", 64, "keyless", "copy")));
    assertThat(loader.fromMap(lanes, "job").start()).isEqualTo(new StartPosition.Snapshot(false,
        StartPosition.Snapshot.DEFAULT_CHUNK_ROWS, 8, 64, StartPosition.Snapshot.Keyless.COPY));
    assertThat(((StartPosition.Snapshot) loader.fromMap(lanes, "job").start()).chunkBytes())
        .as("64 MB shared by 8 lanes holding 3 chunks each").isEqualTo((64L << 20) / 24);
    Map<String, Object> bad = new java.util.HashMap<>(base);
    bad.put("start", Map.of("snapshot", Map.of("chunkRows", 0, "parallel", 0, "keyless", "skip", "lanes", 4)));
    assertThatThrownBy(() -> loader.fromMap(bad, "job")).hasMessageContaining("start.snapshot.chunkRows must be positive")
        .hasMessageContaining("start.snapshot.parallel must be between 1 and 64")
        .hasMessageContaining("start.snapshot.keyless must be refuse or copy")
        .hasMessageContaining("unknown setting start.snapshot.lanes");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    Map<String, Object> bad = Map.of(
        "source", Map.of("host", "", "port", 70000, "user", "u"),
        "tables", Map.of("include", java.util.List.of("nodot")),
        "ddl", "sometimes",
        "surprise", 1);
    assertThatThrownBy(() -> loader.fromMap(bad, "job"))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("unknown setting surprise")
        .hasMessageContaining("ddl must be exec, ignore or stop")
        .hasMessageContaining("destination must be a mapping");
  }

  @Test
  void readsTheQueueBoundsAndRefusesATinyByteBound() {
    Map<String, Object> base = minimalJob();
    Map<String, Object> tuned = new java.util.HashMap<>(base);
    tuned.put("tuning", Map.of("queueCapacity", 512, "queueMaxBytes", 8_388_608));
    JobConfig.Tuning t = loader.fromMap(tuned, "job").tuning();
    assertThat(t.queueCapacity()).isEqualTo(512);
    assertThat(t.queueMaxBytes()).isEqualTo(8_388_608L);
    assertThat(loader.fromMap(base, "job").tuning().queueMaxBytes())
        .isEqualTo(JobConfig.Tuning.DEFAULT_QUEUE_MAX_BYTES);
    Map<String, Object> tiny = new java.util.HashMap<>(base);
    tiny.put("tuning", Map.of("queueMaxBytes", 1_000));
    assertThatThrownBy(() -> loader.fromMap(tiny, "job")).hasMessageContaining("tuning.queueMaxBytes must be at least 65536");
  }

  @Test
  void validationNamesEachBadField() {
    Map<String, Object> bad = Map.of(
        "source", Map.of("host", "", "port", 70000, "user", "u"),
        "destination", Map.of("host", "h", "user", "u"),
        "tables", Map.of("include", java.util.List.of("nodot")));
    assertThatThrownBy(() -> loader.fromMap(bad, "job"))
        .hasMessageContaining("source.host is required")
        .hasMessageContaining("source.port must be between 1 and 65535")
        .hasMessageContaining("\"nodot\" is not of the form db.table");
  }

  @Test
  void aLinkLocalHostIsRefused() {
    Map<String, Object> metadataService = Map.of(
        "source", Map.of("host", "169.254.169.254", "user", "u"),
        "destination", Map.of("host", "fe80::1", "user", "u"),
        "tables", Map.of("include", java.util.List.of("shop.*")));
    assertThatThrownBy(() -> loader.fromMap(metadataService, "job"))
        .hasMessageContaining("source.host is a link-local address")
        .hasMessageContaining("destination.host is a link-local address");
  }

  @Test
  void anUnsetVariableIsAnError() {
    Map<String, Object> m = Map.of("source", Map.of("host", "h", "user", "u", "password", "${NOPE}"));
    assertThatThrownBy(() -> loader.fromMap(m, "job")).hasMessageContaining("NOPE");
  }

  @Test
  void tableFilterGlobsAndNeverIncludesFerrysSchema() {
    TableFilter f = new TableFilter(java.util.List.of("shop.*", "*.audit_*", "_ferry.*"), java.util.List.of("shop.tmp*"));
    assertThat(f.matches("shop", "orders")).isTrue();
    assertThat(f.matches("shop", "tmp_1")).isFalse();
    assertThat(f.matches("crm", "audit_log")).isTrue();
    assertThat(f.matches("crm", "users")).isFalse();
    assertThat(f.matches("_ferry", "checkpoint")).isFalse();
    assertThat(f.literalDatabases()).containsExactly("shop", "_ferry");
  }

  @Test
  void aCaCertificateComesInlineOrFromAFileBesideTheJobFile() throws Exception {
    String pem = TestCertificates.unrelatedCaPem(TestCertificates.KeyType.EC);
    Files.writeString(dir.resolve("source-ca.pem"), pem);
    Path file = dir.resolve("tls.yaml");
    Files.writeString(file, """
        source:      {host: db1, user: repl, password: x, tls: verify-ca, caFile: source-ca.pem}
        destination:
          host: db2
          user: ferry
          tls: verify-ca
          ca: |
        """ + pem.indent(4) + """
        tables: {include: ["shop.*"]}
        """);
    JobConfig job = loader.load(file);
    assertThat(job.source().caCert()).isEqualTo(pem);
    assertThat(job.source().verifyingCa()).isEqualTo(pem);
    assertThat(job.destination().caCert()).isEqualToIgnoringWhitespace(pem);
    assertThat(job.source().toString()).contains("ca=set").doesNotContain("BEGIN");
    assertThat(new ConnectionConfig("h", 1, "u", "p", ConnectionConfig.TlsMode.REQUIRED, pem).verifyingCa())
        .as("only verify-ca checks the certificate").isNull();
  }

  @Test
  void caProblemsAreNamed() {
    String pem = TestCertificates.unrelatedCaPem(TestCertificates.KeyType.EC);
    Map<String, Object> both = Map.of(
        "source", Map.of("host", "h", "user", "u", "tls", "verify-ca", "ca", pem, "caFile", "x.pem"),
        "destination", Map.of("host", "h", "user", "u", "tls", "required", "ca", pem),
        "tables", Map.of("include", java.util.List.of("a.b")));
    assertThatThrownBy(() -> loader.fromMap(both, "job"))
        .hasMessageContaining("source: give ca or caFile, not both")
        .hasMessageContaining("destination: a CA certificate is used only with tls: verify-ca");
    Map<String, Object> missing = Map.of(
        "source", Map.of("host", "h", "user", "u", "tls", "verify-ca", "caFile", dir.resolve("nope.pem").toString()),
        "destination", Map.of("host", "h", "user", "u"),
        "tables", Map.of("include", java.util.List.of("a.b")));
    assertThatThrownBy(() -> loader.fromMap(missing, "job")).hasMessageContaining("source.caFile")
        .hasMessageContaining("cannot be read");
    Map<String, Object> garbled = Map.of(
        "source", Map.of("host", "h", "user", "u", "tls", "verify-ca", "ca", "-----BEGIN CERTIFICATE-----\nAAAA"),
        "destination", Map.of("host", "h", "user", "u"),
        "tables", Map.of("include", java.util.List.of("a.b")));
    assertThatThrownBy(() -> loader.fromMap(garbled, "job")).isInstanceOf(FerryException.class)
        .hasMessageContaining("source.ca must be one or more PEM certificates").hasMessageNotContaining("AAAA");
  }

  @Test
  void aHostCannotCarryDriverOptions() {
    Map<String, Object> smuggled = Map.of(
        "source", Map.of("host", "db1:3306/?allowLoadLocalInfile=true&x=", "user", "u"),
        "destination", Map.of("host", "db2", "user", "u"),
        "tables", Map.of("include", java.util.List.of("a.b")));
    assertThatThrownBy(() -> loader.fromMap(smuggled, "job"))
        .hasMessageContaining("source.host must be a host name or an IP address");
    ConnectionConfig v6 = new ConnectionConfig("::1", 3306, "u", "p", ConnectionConfig.TlsMode.VERIFY_CA, null);
    assertThat(v6.jdbcUrl(null)).startsWith("jdbc:mysql://[::1]:3306/?sslMode=VERIFY_CA&")
        .doesNotContain("trustCertificateKeyStore");
  }
}
