package io.ferry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCredentialsTest {
  private static final List<String> ALL_FILES = List.of(ClusterCredentials.MEMBER_KEYSTORE,
      ClusterCredentials.TRUSTSTORE, ClusterCredentials.PASSWORD_FILE, ClusterCredentials.SECRET_FILE,
      ClusterCredentials.CA_KEY_FILE);

  @TempDir
  Path tmp;

  @Test
  void initWritesEveryFileWithMode0600InAPrivateDirectory() throws Exception {
    Path dir = tmp.resolve("new/cluster");
    ClusterCredentials.init(dir, List.of(), false);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    for (String name : ALL_FILES) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))))
          .as(name).isEqualTo("rw-------");
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(ALL_FILES);
    }
    byte[] secret = Base64.getDecoder().decode(Files.readString(dir.resolve(ClusterCredentials.SECRET_FILE)).trim());
    assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
  }

  @Test
  void loadRoundTripsWhatInitWrote() throws Exception {
    ClusterCredentials written = ClusterCredentials.init(tmp, List.of("node-1.example.org", "10.1.2.3"), false);
    ClusterCredentials loaded = ClusterCredentials.load(tmp);

    assertThat(loaded.hazelcastClusterName()).isEqualTo(written.hazelcastClusterName()).matches("ferry-[0-9a-f]{32}");
    X509Certificate member = loaded.memberCertificate();
    member.verify(loaded.caCertificate().getPublicKey());
    assertThat(member.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(member.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))))
        .contains("localhost", "127.0.0.1", "node-1.example.org", "10.1.2.3");
    assertThat(loaded.caCertificate().getBasicConstraints()).isEqualTo(0);
    assertThat(loaded.toString()).doesNotContain(Files.readString(tmp.resolve(ClusterCredentials.PASSWORD_FILE)).trim())
        .doesNotContain(Files.readString(tmp.resolve(ClusterCredentials.SECRET_FILE)).trim());
  }

  @Test
  void separateInitsAreSeparateClusters() {
    ClusterCredentials a = ClusterCredentials.init(tmp.resolve("a"), List.of(), false);
    ClusterCredentials b = ClusterCredentials.init(tmp.resolve("b"), List.of(), false);
    assertThat(a.hazelcastClusterName()).isNotEqualTo(b.hazelcastClusterName());
    assertThat(a.caCertificate()).isNotEqualTo(b.caCertificate());
  }

  @Test
  void initRefusesToOverwriteUnlessForced() throws Exception {
    ClusterCredentials first = ClusterCredentials.init(tmp, List.of(), false);
    byte[] keystore = Files.readAllBytes(tmp.resolve(ClusterCredentials.MEMBER_KEYSTORE));

    assertThatThrownBy(() -> ClusterCredentials.init(tmp, List.of(), false))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("refusing to overwrite").hasMessageContaining(ClusterCredentials.MEMBER_KEYSTORE);
    assertThat(Files.readAllBytes(tmp.resolve(ClusterCredentials.MEMBER_KEYSTORE))).isEqualTo(keystore);

    ClusterCredentials forced = ClusterCredentials.init(tmp, List.of(), true);
    assertThat(forced.hazelcastClusterName()).isNotEqualTo(first.hazelcastClusterName());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve(ClusterCredentials.SECRET_FILE))))
        .isEqualTo("rw-------");
    try (var files = Files.list(tmp)) {
      assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
    }
  }

  @Test
  void issueMemberWritesAMemberDirectoryOfTheSameClusterWithoutTheCaKey() throws Exception {
    Path caDir = tmp.resolve("ca");
    ClusterCredentials founder = ClusterCredentials.init(caDir, List.of(), false);
    Path nodeDir = tmp.resolve("node-2");

    ClusterCredentials node = ClusterCredentials.issueMember(caDir, nodeDir, List.of("node-2"), false);

    assertThat(node.hazelcastClusterName()).isEqualTo(founder.hazelcastClusterName());
    assertThat(node.caCertificate()).isEqualTo(founder.caCertificate());
    node.memberCertificate().verify(founder.caCertificate().getPublicKey());
    assertThat(node.memberCertificate()).isNotEqualTo(founder.memberCertificate());
    assertThat(nodeDir.resolve(ClusterCredentials.CA_KEY_FILE)).doesNotExist();
    assertThatThrownBy(() -> ClusterCredentials.issueMember(nodeDir, tmp.resolve("node-3"), List.of(), false))
        .isInstanceOf(ClusterException.class).hasMessageContaining(ClusterCredentials.CA_KEY_FILE + " is missing");
    assertThatThrownBy(() -> ClusterCredentials.issueMember(caDir, nodeDir, List.of(), false))
        .isInstanceOf(ClusterException.class).hasMessageContaining("refusing to overwrite");
  }

  @Test
  void loadNamesEachMissingFileAndTheCommandToRun() throws Exception {
    ClusterCredentials.init(tmp, List.of(), false);
    Files.delete(tmp.resolve(ClusterCredentials.MEMBER_KEYSTORE));
    Files.delete(tmp.resolve(ClusterCredentials.SECRET_FILE));

    assertThatThrownBy(() -> ClusterCredentials.load(tmp))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("member.p12 is missing")
        .hasMessageContaining("cluster.secret is missing")
        .hasMessageContaining("cluster init --out");
    assertThatThrownBy(() -> ClusterCredentials.load(tmp.resolve("nowhere")))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("No cluster credentials directory at")
        .hasMessageContaining("FERRY_CLUSTER_DIR");
  }

  @Test
  void loadRefusesFilesFromDifferentInits() throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    ClusterCredentials.init(a, List.of(), false);
    ClusterCredentials.init(b, List.of(), false);
    Files.copy(b.resolve(ClusterCredentials.TRUSTSTORE), a.resolve(ClusterCredentials.TRUSTSTORE),
        StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> ClusterCredentials.load(a))
        .isInstanceOf(ClusterException.class).hasMessageContaining("ca.p12 cannot be opened");

    // A trust store that opens but holds another cluster's CA: the chain check catches it.
    String passwordOfA = Files.readString(a.resolve(ClusterCredentials.PASSWORD_FILE)).trim();
    Files.write(a.resolve(ClusterCredentials.TRUSTSTORE),
        KeyStores.withTrustedCertificate(ClusterCredentials.load(b).caCertificate(), passwordOfA));
    assertThatThrownBy(() -> ClusterCredentials.load(a))
        .isInstanceOf(ClusterException.class).hasMessageContaining("was not issued by the CA in ca.p12");
  }

  @Test
  void loadRefusesAShortOrGarbledSecret() throws Exception {
    ClusterCredentials.init(tmp, List.of(), false);
    Files.writeString(tmp.resolve(ClusterCredentials.SECRET_FILE), Base64.getEncoder().encodeToString(new byte[16]));
    assertThatThrownBy(() -> ClusterCredentials.load(tmp)).hasMessageContaining("holds 16 bytes; at least 32");
    Files.writeString(tmp.resolve(ClusterCredentials.SECRET_FILE), "not base64 !!");
    assertThatThrownBy(() -> ClusterCredentials.load(tmp)).hasMessageContaining("cluster.secret is not base64");
  }

  @Test
  void badHostNamesAreAllReported() {
    assertThatThrownBy(() -> ClusterCredentials.init(tmp, List.of("ok.example", "bad name", "10.0.0"), false))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("'bad name'").hasMessageContaining("'10.0.0'")
        .hasMessageNotContaining("'ok.example'");
    assertThat(tmp.resolve(ClusterCredentials.MEMBER_KEYSTORE)).doesNotExist();
  }
}
