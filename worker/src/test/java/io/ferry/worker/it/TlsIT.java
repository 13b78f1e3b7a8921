package io.ferry.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ferry.mariadb.MariaDbServer;
import io.ferry.mariadb.TestCertificates;
import io.ferry.worker.JobRunner;
import io.ferry.worker.JobState;
import io.ferry.worker.binlog.BinlogReader;
import io.ferry.worker.binlog.EventQueue;
import io.ferry.worker.config.ConnectionConfig;
import io.ferry.worker.config.DdlPolicy;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.StartPosition;
import io.ferry.worker.config.TableFilter;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.jdbc.Jdbc;
import io.ferry.worker.jdbc.SourceQueries;
import io.ferry.worker.position.BinlogPosition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs against servers with certificates of a throwaway CA. With {@code tls: verify-ca} and that CA, a
 * job replicates with every connection encrypted: JDBC and the binlog stream, on a source that refuses
 * plaintext ({@code require_secure_transport=ON}). With another CA the job fails at once with
 * {@code <ROLE>_TLS_FAILED}, naming the server and the remedy, and never falls back to plaintext, not
 * even against a destination that would accept it.
 */
class TlsIT {
  private static final String USER = "ferry_tls";
  private static final String PASSWORD = "Tls-Job-Pass-5";

  @TempDir
  static Path dir;
  private static TestCertificates.Written tls;
  private static MariaDbServer source;
  private static MariaDbServer destination;

  @BeforeAll
  static void startServers() {
    tls = TestCertificates.write(dir, TestCertificates.KeyType.RSA);
    source = ItSupport.startSource(b -> b.tls(tls.server()).option("require_secure_transport", "ON")
        .option("performance_schema", "ON"));
    destination = ItSupport.startDestination(b -> b.tls(tls.server()).option("performance_schema", "ON"));
    for (MariaDbServer server : List.of(source, destination)) {
      server.createUser(USER, PASSWORD, "ALL PRIVILEGES ON *.*");
    }
  }

  @AfterAll
  static void closeServers() {
    if (destination != null) {
      destination.close();
    }
    if (source != null) {
      source.close();
    }
  }

  private static ConnectionConfig verifyCa(MariaDbServer server, String ca) {
    return new ConnectionConfig(server.host(), server.port(), USER, PASSWORD, ConnectionConfig.TlsMode.VERIFY_CA, ca);
  }

  private static JobConfig job(String id, String db, ConnectionConfig from, ConnectionConfig to) {
    return new JobConfig(id, from, to, new TableFilter(List.of(db + ".*"), List.of()), Map.of(db, db + "_copy"),
        new StartPosition.Current(), DdlPolicy.EXEC, null);
  }

  /** CONNECTION_TYPE and command of every thread of the job's user on {@code server}. */
  private static List<String> jobThreads(MariaDbServer server) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = server.rootConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT CONNECTION_TYPE, PROCESSLIST_COMMAND FROM performance_schema.threads"
             + " WHERE PROCESSLIST_USER = '" + USER + "'")) {
      while (rs.next()) {
        out.add(rs.getString(1) + " " + rs.getString(2));
      }
    }
    return out;
  }

  @Test
  void withTheServersCaEveryConnectionOfTheJobIsEncryptedAndRowsArrive() throws Exception {
    String db = ItSupport.uniqueDb("tls");
    source.execute("CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(20))");
    JobRunner runner = ItSupport.start(job("tls-ok", db, verifyCa(source, tls.caPem()),
        verifyCa(destination, tls.caPem())));
    try {
      source.execute("INSERT INTO " + db + ".t VALUES (1, 'over'), (2, 'tls')", "UPDATE " + db + ".t SET v = 'TLS'"
          + " WHERE id = 2");
      ItSupport.awaitCaughtUp(runner, source);
      ItSupport.assertSameData(source, db, destination, db + "_copy", "t");

      List<String> sourceThreads = jobThreads(source);
      assertThat(sourceThreads).as("the job's connections to the source").isNotEmpty()
          .allMatch(t -> t.startsWith("SSL/TLS"), "encrypted")
          .anyMatch(t -> t.endsWith("Binlog Dump"));
      assertThat(jobThreads(destination)).as("the job's connections to the destination").isNotEmpty()
          .allMatch(t -> t.startsWith("SSL/TLS"), "encrypted");
      try (Connection c = Jdbc.connect(verifyCa(source, tls.caPem()), "source", "tls-ok", null);
           Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(2)).as("the JDBC session's cipher").isNotEmpty();
      }
    } finally {
      ItSupport.stop(runner);
    }
  }

  @Test
  void withAnotherCaTheJobFailsForGoodAndNamesTheServer() throws Exception {
    String wrong = TestCertificates.unrelatedCaPem(TestCertificates.KeyType.RSA);
    String db = ItSupport.uniqueDb("tls_wrong");
    source.execute("CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");

    // The destination would take plaintext: the job must still refuse to go on without a verified certificate.
    JobRunner toDestination = ItSupport.start(job("tls-wrong-dst", db, verifyCa(source, tls.caPem()),
        verifyCa(destination, wrong)));
    assertFailedForGood(toDestination, "DESTINATION_TLS_FAILED", verifyCa(destination, wrong).describe());
    JobRunner fromSource = ItSupport.start(job("tls-wrong-src", db, verifyCa(source, wrong),
        verifyCa(destination, tls.caPem())));
    assertFailedForGood(fromSource, "SOURCE_TLS_FAILED", verifyCa(source, wrong).describe());
    assertThat(fromSource.error().remedy()).contains("CA certificate");

    assertThatThrownBy(() -> Jdbc.connect(verifyCa(source, null), "source", "no-ca", null).close())
        .as("verify-ca without a CA uses the JVM's default trust store, which does not know this CA")
        .isInstanceOfSatisfying(FerryException.class, e -> {
          assertThat(e.code()).isEqualTo("SOURCE_TLS_FAILED");
          assertThat(e.getMessage()).contains("JVM's default trust store");
        });
  }

  @Test
  void theBinlogClientChecksTheCaToo() throws Exception {
    BinlogPosition end;
    try (Connection c = source.rootConnection()) {
      end = SourceQueries.currentPosition(c);
    }
    JobConfig wrong = job("tls-binlog", "nothing", verifyCa(source, TestCertificates.unrelatedCaPem(
        TestCertificates.KeyType.EC)), verifyCa(destination, tls.caPem()));
    BinlogReader reader = new BinlogReader(wrong, end, new EventQueue(16, 1 << 20));
    reader.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> reader.failure() != null);
      FerryException e = reader.failure();
      assertThat(e.code()).isEqualTo("SOURCE_TLS_FAILED");
      assertThat(e.retriable()).isFalse();
      assertThat(e.getMessage()).contains(wrong.source().describe()).contains("certificate was not accepted")
          .contains("the connection's CA certificate");
    } finally {
      reader.stop();
    }
  }

  private static void assertFailedForGood(JobRunner runner, String code, String server) throws Exception {
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> runner.state() == JobState.ERROR);
      FerryException e = runner.error();
      assertThat(e.code()).as(e.describe()).isEqualTo(code);
      assertThat(e.retriable()).isFalse();
      assertThat(e.getMessage()).contains(server).contains("certificate was not accepted")
          .contains("the connection's CA certificate");
      assertThat(e.remedy()).contains("PEM certificate of the CA");
    } finally {
      ItSupport.stop(runner);
    }
  }
}
