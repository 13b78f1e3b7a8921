package io.ferry.worker.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.worker.config.ConnectionConfig;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.sql.SQLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TlsFailuresTest {
  private static final ConnectionConfig WITH_CA =
      new ConnectionConfig("db1", 3306, "repl", "pw", ConnectionConfig.TlsMode.VERIFY_CA, "-----BEGIN CERTIFICATE-----");
  private static final ConnectionConfig WITHOUT_CA =
      new ConnectionConfig("db1", 3306, "repl", "pw", ConnectionConfig.TlsMode.VERIFY_CA);

  private static Throwable handshake(Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException("PKIX path validation failed");
    e.initCause(cause);
    return new SQLException("Communications link failure", "08S01", 0, e);
  }

  @Test
  void aRejectedCertificateIsFatalAndSaysWhichTrustWasUsed() {
    Throwable rejected = handshake(new CertificateException("wrapped",
        new CertPathValidatorException("Path does not chain with any of the trust anchors")));
    FerryException e = TlsFailures.classify(rejected, WITH_CA, "source", "job j: source repl@db1:3306");
    assertThat(e.code()).isEqualTo("SOURCE_TLS_FAILED");
    assertThat(e.retriable()).isFalse();
    assertThat(e.getMessage()).startsWith("job j: source repl@db1:3306: the server's TLS certificate was not accepted")
        .contains("tls verify-ca").contains("the connection's CA certificate")
        .endsWith("Path does not chain with any of the trust anchors");
    assertThat(e.remedy()).contains("Replace the source connection's CA certificate");

    FerryException jvm = TlsFailures.classify(rejected, WITHOUT_CA, "destination", "job j: destination x");
    assertThat(jvm.code()).isEqualTo("DESTINATION_TLS_FAILED");
    assertThat(jvm.getMessage()).contains("the JVM's default trust store");
    assertThat(jvm.remedy()).contains("Give the destination connection the PEM certificate");
  }

  @Test
  void aFailedHandshakeIsFatalButACutOneIsLeftToTheRetries() {
    FerryException alert = TlsFailures.classify(handshake(null), WITH_CA, "source", "w");
    assertThat(alert.code()).isEqualTo("SOURCE_TLS_FAILED");
    assertThat(alert.getMessage()).contains("the TLS handshake failed");
    assertThat(TlsFailures.classify(handshake(new EOFException("SSL peer shut down incorrectly")), WITH_CA,
        "source", "w")).isNull();
    assertThat(TlsFailures.classify(handshake(new SocketException("Connection reset")), WITH_CA, "source", "w"))
        .isNull();
    assertThat(TlsFailures.classify(new SQLException("Access denied", "28000", 1045), WITH_CA, "source", "w"))
        .isNull();
  }

  @Test
  void aServerWithoutTlsIsFatalWhenTlsIsRequired() {
    FerryException binlog = TlsFailures.classify(new IOException("MySQL server does not support SSL"), WITH_CA,
        "source", "w");
    assertThat(binlog.code()).isEqualTo("SOURCE_TLS_FAILED");
    assertThat(binlog.getMessage()).contains("offers no TLS");
    assertThat(TlsFailures.classify(new SQLException("SSL Connection required, but not supported by server.",
        "08001"), WITHOUT_CA, "source", "w")).isNotNull();
  }
}
