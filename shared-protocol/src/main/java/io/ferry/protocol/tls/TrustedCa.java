package io.ferry.protocol.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A connection's CA certificate(s), as PEM text, turned into what the MySQL clients take: an
 * {@link SSLContext} that trusts exactly those certificates (the binlog client), or a PKCS#12 trust
 * store file (Connector/J reads its trust store from a URL).
 *
 * <p>Trust store files live in one private directory per JVM (0700), one file (0600) per distinct CA,
 * written once and reused by every later connection with the same CA, so reconnects leave no files
 * behind; all are deleted when the JVM exits. Their password is random per JVM: nothing in a trust
 * store is secret (it holds public certificates only), the password just satisfies the format.
 * Messages never quote the PEM text.
 */
public final class TrustedCa {
  private static final Map<String, TrustStoreFile> FILES = new HashMap<>();
  private static final String PASSWORD = randomPassword();
  private static Path directory;

  /** A PKCS#12 trust store on disk: what Connector/J's {@code trustCertificateKeyStore*} options name. */
  public record TrustStoreFile(Path path, String password) {
    /** The {@code file:} URL of the store. */
    public String url() {
      return path.toUri().toString();
    }

    @Override
    public String toString() {
      return "TrustStoreFile[" + path + "]";
    }
  }

  private TrustedCa() {}

  /**
   * The X.509 certificates in PEM text (one or more {@code -----BEGIN CERTIFICATE-----} blocks).
   *
   * @throws CertificateException when the text holds no certificate or a garbled one
   */
  public static List<X509Certificate> parse(String pem) throws CertificateException {
    if (pem == null || pem.isBlank()) {
      throw new CertificateException("no PEM certificate given");
    }
    Collection<? extends Certificate> certs;
    try {
      certs = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.strip().getBytes(StandardCharsets.US_ASCII)));
    } catch (CertificateException | RuntimeException e) {
      throw new CertificateException("not PEM certificates (-----BEGIN CERTIFICATE-----)");
    }
    List<X509Certificate> out = new ArrayList<>();
    for (Certificate c : certs) {
      if (c instanceof X509Certificate x) {
        out.add(x);
      }
    }
    if (out.isEmpty()) {
      throw new CertificateException("no PEM certificate found");
    }
    return out;
  }

  /** Whether the text holds at least one readable certificate. */
  public static boolean isValid(String pem) {
    try {
      parse(pem);
      return true;
    } catch (CertificateException e) {
      return false;
    }
  }

  /** A PKCS#12 key store holding only the certificates of {@code pem}, as trusted entries. */
  public static KeyStore keyStore(String pem) throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot create an empty PKCS12 store", e);
    }
    int i = 0;
    for (X509Certificate cert : parse(pem)) {
      store.setCertificateEntry("ca" + i++, cert);
    }
    return store;
  }

  /**
   * A TLS context whose trust manager accepts a server chain only when it leads to one of these
   * certificates. It checks the chain (PKIX: signatures, validity, CA constraints), not the host name,
   * which is MySQL's VERIFY_CA: a socket from this context has no endpoint identification set.
   */
  public static SSLContext sslContext(String pem) throws GeneralSecurityException {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(keyStore(pem));
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  /**
   * The trust store file for {@code pem}: written at the first call for this CA, the same file at every
   * later one (written again if something deleted it).
   */
  public static synchronized TrustStoreFile trustStoreFile(String pem) throws GeneralSecurityException, IOException {
    String key = fingerprint(pem);
    TrustStoreFile known = FILES.get(key);
    if (known != null && Files.isRegularFile(known.path())) {
      return known;
    }
    KeyStore store = keyStore(pem);
    Path file = directory().resolve("ca-" + key.substring(0, 32) + ".p12");
    Files.deleteIfExists(file);
    Files.createFile(file, ownerOnly("rw-------"));
    file.toFile().deleteOnExit();
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
      store.store(out, PASSWORD.toCharArray());
    }
    TrustStoreFile written = new TrustStoreFile(file, PASSWORD);
    FILES.put(key, written);
    return written;
  }

  /** SHA-256 of the certificates' DER encodings: the same CA gives the same file whatever its PEM layout. */
  static String fingerprint(String pem) throws GeneralSecurityException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    for (X509Certificate cert : parse(pem)) {
      digest.update(cert.getEncoded());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static String randomPassword() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static Path directory() throws IOException {
    if (directory == null || !Files.isDirectory(directory)) {
      directory = Files.createTempDirectory("ferry-ca-", ownerOnly("rwx------"));
      directory.toFile().deleteOnExit(); // registered before its files, so deleted after them
    }
    return directory;
  }

  private static FileAttribute<?>[] ownerOnly(String permissions) {
    boolean posix = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
        : new FileAttribute<?>[0];
  }
}
