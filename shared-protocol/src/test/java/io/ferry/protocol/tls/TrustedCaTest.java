package io.ferry.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

class TrustedCaTest {
  private static final String A = resource("/tls/ca-a.pem");
  private static final String B = resource("/tls/ca-b.pem");

  private static String resource(String name) {
    try (InputStream in = TrustedCaTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (Exception e) {
      throw new IllegalStateException(name, e);
    }
  }

  @Test
  void parsesOneOrMoreCertificatesAndRefusesGarbageWithoutQuotingIt() throws Exception {
    assertThat(TrustedCa.parse(A)).hasSize(1);
    assertThat(TrustedCa.parse(A + "\n" + B)).hasSize(2);
    assertThat(TrustedCa.parse(A).get(0).getSubjectX500Principal().getName()).isEqualTo("CN=Test CA a");
    String garbage = "-----BEGIN CERTIFICATE-----\nc2VjcmV0LWlzaA==\n-----END CERTIFICATE-----\n";
    assertThatThrownBy(() -> TrustedCa.parse(garbage)).isInstanceOf(CertificateException.class)
        .hasMessageNotContaining("c2VjcmV0");
    assertThatThrownBy(() -> TrustedCa.parse("  ")).isInstanceOf(CertificateException.class);
    assertThat(TrustedCa.isValid(A)).isTrue();
    assertThat(TrustedCa.isValid("hello")).isFalse();
    assertThat(TrustedCa.isValid(null)).isFalse();
  }

  @Test
  void theTrustStoreFileIsPrivateHoldsTheCaAndIsReusedPerDistinctCa() throws Exception {
    TrustedCa.TrustStoreFile a = TrustedCa.trustStoreFile(A);
    assertThat(TrustedCa.trustStoreFile(A)).as("the same CA, the same file").isEqualTo(a);
    assertThat(TrustedCa.trustStoreFile("\n\n" + A.replace("\n", "\r\n"))).as("whatever the PEM layout").isEqualTo(a);
    TrustedCa.TrustStoreFile b = TrustedCa.trustStoreFile(B);
    assertThat(b.path()).isNotEqualTo(a.path());
    assertThat(b.path().getParent()).isEqualTo(a.path().getParent());

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a.path()))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a.path().getParent())))
        .isEqualTo("rwx------");
    assertThat(a.url()).startsWith("file:").endsWith(".p12");
    assertThat(a.toString()).doesNotContain(a.password());

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(a.path())) {
      store.load(in, a.password().toCharArray());
    }
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.getCertificate(store.aliases().nextElement())).isEqualTo(TrustedCa.parse(A).get(0));

    Files.delete(a.path());
    TrustedCa.TrustStoreFile again = TrustedCa.trustStoreFile(A);
    assertThat(Files.isRegularFile(again.path())).as("written again when deleted").isTrue();
  }

  @Test
  void theSslContextTrustsExactlyTheGivenCa() throws Exception {
    X509Certificate a = TrustedCa.parse(A).get(0);
    X509Certificate b = TrustedCa.parse(B).get(0);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(TrustedCa.keyStore(A));
    X509TrustManager trust = (X509TrustManager) tmf.getTrustManagers()[0];
    assertThat(trust.getAcceptedIssuers()).containsExactly(a);
    trust.checkServerTrusted(new X509Certificate[] {a}, "ECDHE_ECDSA");
    assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {b}, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
    assertThat(TrustedCa.sslContext(A).getProtocol()).isEqualTo("TLS");
  }
}
