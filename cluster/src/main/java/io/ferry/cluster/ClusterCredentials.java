package io.ferry.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyStore;
import java.security.SignatureException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credentials one cluster member holds, as written by {@code ./ferry cluster init --out DIR}:
 * <ul>
 *   <li>{@value #MEMBER_KEYSTORE}: PKCS#12 with the member's EC key and certificate (serverAuth and
 *       clientAuth) signed by the cluster CA; protected by the password in {@value #PASSWORD_FILE};</li>
 *   <li>{@value #TRUSTSTORE}: PKCS#12 holding only the cluster CA certificate (same password);</li>
 *   <li>{@value #SECRET_FILE}: at least 32 random bytes, base64, from which the Hazelcast cluster name
 *       is derived;</li>
 *   <li>{@value #CA_KEY_FILE} (only where {@code init} ran): the CA's private key, kept so that
 *       {@link #issueMember} can issue more member certificates. Members never need it: keep it on the
 *       operator's machine, not on the nodes. Its PKCS#12 password is derived from the cluster secret,
 *       so the file's protection is its 0600 mode and where it is kept, not that password.</li>
 * </ul>
 * Every file is created with mode 0600. Loading is blocking file I/O: call it before Vert.x starts or
 * on a worker thread. Immutable; {@link #toString()} shows no secret.
 */
public final class ClusterCredentials {
  public static final String MEMBER_KEYSTORE = "member.p12";
  public static final String TRUSTSTORE = "ca.p12";
  public static final String PASSWORD_FILE = "keystore.password";
  public static final String SECRET_FILE = "cluster.secret";
  public static final String CA_KEY_FILE = "ca-key.p12";
  /** The files a member needs; {@link #CA_KEY_FILE} is not one of them. */
  public static final List<String> MEMBER_FILES = List.of(MEMBER_KEYSTORE, TRUSTSTORE, PASSWORD_FILE, SECRET_FILE);
  static final int MIN_SECRET_BYTES = 32;

  private static final Logger LOG = LoggerFactory.getLogger(ClusterCredentials.class);

  private final Path directory;
  private final byte[] keyStore;
  private final byte[] trustStore;
  private final String password;
  private final byte[] secret;
  private final X509Certificate memberCertificate;
  private final X509Certificate caCertificate;

  private ClusterCredentials(Path directory, byte[] keyStore, byte[] trustStore, String password, byte[] secret,
      X509Certificate memberCertificate, X509Certificate caCertificate) {
    this.directory = directory;
    this.keyStore = keyStore;
    this.trustStore = trustStore;
    this.password = password;
    this.secret = secret;
    this.memberCertificate = memberCertificate;
    this.caCertificate = caCertificate;
  }

  /**
   * Creates a new cluster in {@code outDir}: a CA, a member key and certificate, a keystore password
   * and a cluster secret. Refuses when the directory already holds any of these files unless
   * {@code force}. {@code hostNames} are extra names/IPs for the certificate besides localhost.
   */
  public static ClusterCredentials init(Path outDir, List<String> hostNames, boolean force) {
    return new CredentialsWriter(Clock.systemUTC()).init(outDir, hostNames, force);
  }

  /**
   * Issues another member certificate of the cluster created in {@code caDir} (which must hold
   * {@value #CA_KEY_FILE} and {@value #SECRET_FILE}) and writes a complete member directory to
   * {@code outDir} (without the CA key). Refuses to overwrite unless {@code force}.
   */
  public static ClusterCredentials issueMember(Path caDir, Path outDir, List<String> hostNames, boolean force) {
    return new CredentialsWriter(Clock.systemUTC()).issueMember(caDir, outDir, hostNames, force);
  }

  /** Loads and checks a member directory; the error names each missing or unusable file. */
  public static ClusterCredentials load(Path dir) {
    return load(dir, Clock.systemUTC());
  }

  static ClusterCredentials load(Path dir, Clock clock) {
    if (!Files.isDirectory(dir)) {
      throw new ClusterException("No cluster credentials directory at " + dir + ". Create one with `./ferry"
          + " cluster init --out " + dir + "`, or point FERRY_CLUSTER_DIR at the directory it wrote.");
    }
    List<String> problems = new ArrayList<>();
    byte[] keyStoreBytes = read(dir, MEMBER_KEYSTORE, problems);
    byte[] trustStoreBytes = read(dir, TRUSTSTORE, problems);
    byte[] passwordBytes = read(dir, PASSWORD_FILE, problems);
    byte[] secretBytes = read(dir, SECRET_FILE, problems);
    if (!problems.isEmpty()) {
      throw incomplete(dir, problems);
    }
    String password = new String(passwordBytes, StandardCharsets.UTF_8).trim();
    byte[] secret = decodeSecret(secretBytes, problems);
    X509Certificate member = null;
    X509Certificate ca = null;
    if (password.isEmpty()) {
      problems.add(PASSWORD_FILE + " is empty");
    } else {
      member = memberCertificate(keyStoreBytes, password, problems);
      ca = caCertificate(trustStoreBytes, password, problems);
    }
    if (member != null && ca != null) {
      checkChain(member, ca, clock, problems);
    }
    if (!problems.isEmpty()) {
      throw incomplete(dir, problems);
    }
    warnIfShared(dir);
    return new ClusterCredentials(dir, keyStoreBytes, trustStoreBytes, password, secret, member, ca);
  }

  /** The directory these credentials came from. */
  public Path directory() {
    return directory;
  }

  /** The member key and certificate, for the event bus's TLS (both client and server side). */
  public KeyCertOptions keyCertOptions() {
    return new PfxOptions().setValue(Buffer.buffer(keyStore)).setPassword(password);
  }

  /** Trusts the cluster CA only: a peer must present a certificate this cluster issued. */
  public TrustOptions trustOptions() {
    return new PfxOptions().setValue(Buffer.buffer(trustStore)).setPassword(password);
  }

  /**
   * The Hazelcast cluster name, {@code ferry-} + 128 bits of HMAC-SHA256(secret, label): a process
   * without the secret cannot guess it, yet the secret itself never goes on the wire. Hazelcast sends
   * the name in clear text, so it only keeps strangers from joining by accident.
   */
  public String hazelcastClusterName() {
    return "ferry-" + HexFormat.of().formatHex(derive(secret, "hazelcast-cluster-name"), 0, 16);
  }

  public X509Certificate memberCertificate() {
    return memberCertificate;
  }

  public X509Certificate caCertificate() {
    return caCertificate;
  }

  /** HMAC-SHA256 of a label under the cluster secret: each use of the secret gets its own key. */
  static byte[] derive(byte[] secret, String label) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  byte[] secret() {
    return secret.clone();
  }

  @Override
  public String toString() {
    return "ClusterCredentials[dir=" + directory + ", member=" + memberCertificate.getSubjectX500Principal()
        + ", ca=" + caCertificate.getSubjectX500Principal() + ", secret=***]";
  }

  static byte[] decodeSecret(byte[] fileBytes, List<String> problems) {
    try {
      byte[] secret = Base64.getDecoder().decode(new String(fileBytes, StandardCharsets.US_ASCII).trim());
      if (secret.length < MIN_SECRET_BYTES) {
        problems.add(SECRET_FILE + " holds " + secret.length + " bytes; at least " + MIN_SECRET_BYTES + " are needed");
      }
      return secret;
    } catch (IllegalArgumentException e) {
      problems.add(SECRET_FILE + " is not base64");
      return new byte[0];
    }
  }

  private static X509Certificate memberCertificate(byte[] bytes, String password, List<String> problems) {
    try {
      KeyStore store = KeyStores.open(bytes, password);
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate cert) {
          return cert;
        }
      }
      problems.add(MEMBER_KEYSTORE + " holds no private key with a certificate");
    } catch (IOException | GeneralSecurityException e) {
      problems.add(MEMBER_KEYSTORE + " cannot be opened with the password in " + PASSWORD_FILE
          + " (files from different `cluster init` runs, or a damaged file): " + e.getMessage());
    }
    return null;
  }

  private static X509Certificate caCertificate(byte[] bytes, String password, List<String> problems) {
    try {
      KeyStore store = KeyStores.open(bytes, password);
      for (String alias : Collections.list(store.aliases())) {
        if (store.isCertificateEntry(alias) && store.getCertificate(alias) instanceof X509Certificate cert) {
          return cert;
        }
      }
      problems.add(TRUSTSTORE + " holds no CA certificate");
    } catch (IOException | GeneralSecurityException e) {
      problems.add(TRUSTSTORE + " cannot be opened with the password in " + PASSWORD_FILE
          + " (files from different `cluster init` runs, or a damaged file): " + e.getMessage());
    }
    return null;
  }

  private static void checkChain(X509Certificate member, X509Certificate ca, Clock clock, List<String> problems) {
    try {
      member.verify(ca.getPublicKey());
    } catch (InvalidKeyException | SignatureException e) {
      problems.add("the certificate in " + MEMBER_KEYSTORE + " was not issued by the CA in " + TRUSTSTORE
          + " (files from different `cluster init` runs)");
      return;
    } catch (GeneralSecurityException e) {
      problems.add("the certificate in " + MEMBER_KEYSTORE + " cannot be verified: " + e.getMessage());
      return;
    }
    Date now = Date.from(clock.instant());
    for (X509Certificate cert : List.of(member, ca)) {
      String which = cert == member ? "member certificate in " + MEMBER_KEYSTORE : "CA certificate in " + TRUSTSTORE;
      try {
        cert.checkValidity(now);
      } catch (CertificateExpiredException e) {
        problems.add("the " + which + " expired on " + cert.getNotAfter().toInstant()
            + "; issue new credentials (`./ferry cluster init`)");
      } catch (CertificateNotYetValidException e) {
        problems.add("the " + which + " is valid only from " + cert.getNotBefore().toInstant()
            + " (is this machine's clock right?)");
      }
    }
  }

  private static byte[] read(Path dir, String name, List<String> problems) {
    Path file = dir.resolve(name);
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      problems.add(name + " is missing");
    } catch (AccessDeniedException e) {
      problems.add(name + " is not readable by user " + System.getProperty("user.name"));
    } catch (IOException e) {
      problems.add(name + " cannot be read: " + e);
    }
    return new byte[0];
  }

  private static ClusterException incomplete(Path dir, List<String> problems) {
    return new ClusterException("Cluster credentials in " + dir + " are unusable: " + String.join("; ", problems)
        + ". A member directory needs " + MEMBER_FILES + " from one `./ferry cluster init --out DIR` run"
        + " (copy them from there, or run it again to create a new cluster).");
  }

  /** Like ssh, a key readable by others is worth a warning; not an error, since mounted secrets vary. */
  private static void warnIfShared(Path dir) {
    for (String name : MEMBER_FILES) {
      try {
        Set<PosixFilePermission> excess = SecureFiles.excessPermissions(dir.resolve(name));
        if (!excess.isEmpty()) {
          LOG.warn("Cluster credential {} is accessible beyond its owner ({}); it should be mode 0600",
              dir.resolve(name), excess);
        }
      } catch (IOException e) {
        LOG.warn("Cannot read the permissions of {}: {}", dir.resolve(name), e.toString());
      }
    }
  }
}
