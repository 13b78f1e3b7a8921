package io.ferry.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates a cluster's credentials ({@code cluster init}) and issues further member certificates. */
final class CredentialsWriter {
  private static final Logger LOG = LoggerFactory.getLogger(CredentialsWriter.class);
  private static final int PASSWORD_BYTES = 24;

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Pki pki = new Pki(random);

  CredentialsWriter(Clock clock) {
    this.clock = clock;
  }

  ClusterCredentials init(Path outDir, List<String> hostNames, boolean force) {
    checkHostNames(hostNames);
    Instant now = clock.instant();
    KeyPair caKeys = pki.newKeyPair();
    X509Certificate ca = pki.certificateAuthority(caKeys, now);
    byte[] secret = randomBytes(ClusterCredentials.MIN_SECRET_BYTES);
    Map<String, byte[]> files = memberFiles(ca, caKeys.getPrivate(), secret, hostNames, now);
    files.put(ClusterCredentials.CA_KEY_FILE, KeyStores.withKey(KeyStores.CA_ALIAS, caKeys.getPrivate(),
        new Certificate[] {ca}, caKeyPassword(secret)));
    SecureFiles.writeAll(outDir, files, force);
    LOG.info("Wrote new cluster credentials to {} (CA {}); copy {} to every member, keep {} off the nodes",
        outDir, ca.getSubjectX500Principal().getName(), ClusterCredentials.MEMBER_FILES,
        ClusterCredentials.CA_KEY_FILE);
    return ClusterCredentials.load(outDir, clock);
  }

  ClusterCredentials issueMember(Path caDir, Path outDir, List<String> hostNames, boolean force) {
    checkHostNames(hostNames);
    List<String> problems = new ArrayList<>();
    byte[] secret = ClusterCredentials.decodeSecret(readCaFile(caDir, ClusterCredentials.SECRET_FILE), problems);
    if (!problems.isEmpty()) {
      throw new ClusterException("Cannot issue a member certificate from " + caDir + ": " + problems.get(0));
    }
    byte[] caKeyStore = readCaFile(caDir, ClusterCredentials.CA_KEY_FILE);
    X509Certificate ca;
    PrivateKey caKey;
    try {
      KeyStore store = KeyStores.open(caKeyStore, caKeyPassword(secret));
      caKey = (PrivateKey) store.getKey(KeyStores.CA_ALIAS, caKeyPassword(secret).toCharArray());
      ca = (X509Certificate) store.getCertificate(KeyStores.CA_ALIAS);
      if (caKey == null || ca == null) {
        throw new GeneralSecurityException("no entry " + KeyStores.CA_ALIAS);
      }
    } catch (IOException | GeneralSecurityException | ClassCastException e) {
      throw new ClusterException(caDir.resolve(ClusterCredentials.CA_KEY_FILE) + " cannot be opened with "
          + ClusterCredentials.SECRET_FILE + " of the same directory (files from different `cluster init` runs?): "
          + e.getMessage(), e);
    }
    SecureFiles.writeAll(outDir, memberFiles(ca, caKey, secret, hostNames, clock.instant()), force);
    LOG.info("Issued a member certificate of CA {} to {}", ca.getSubjectX500Principal().getName(), outDir);
    return ClusterCredentials.load(outDir, clock);
  }

  /** member.p12, ca.p12 and the password (new for each member), and a copy of the cluster secret. */
  private Map<String, byte[]> memberFiles(X509Certificate ca, PrivateKey caKey, byte[] secret,
      List<String> hostNames, Instant now) {
    KeyPair memberKeys = pki.newKeyPair();
    X509Certificate member = pki.member(memberKeys, ca, caKey, hostNames, now);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(PASSWORD_BYTES));
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(ClusterCredentials.MEMBER_KEYSTORE, KeyStores.withKey(KeyStores.MEMBER_ALIAS,
        memberKeys.getPrivate(), new Certificate[] {member, ca}, password));
    files.put(ClusterCredentials.TRUSTSTORE, KeyStores.withTrustedCertificate(ca, password));
    files.put(ClusterCredentials.PASSWORD_FILE, (password + "\n").getBytes(StandardCharsets.US_ASCII));
    files.put(ClusterCredentials.SECRET_FILE,
        (Base64.getEncoder().encodeToString(secret) + "\n").getBytes(StandardCharsets.US_ASCII));
    return files;
  }

  /**
   * The CA key file's PKCS#12 password, derived from the cluster secret that always sits beside it.
   * It adds no secrecy of its own (whoever reads the directory reads the secret); it exists so the
   * file needs no further password file, which would then also have to be kept in step.
   */
  private static String caKeyPassword(byte[] secret) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(ClusterCredentials.derive(secret, "ca-key-password"));
  }

  private static byte[] readCaFile(Path caDir, String name) {
    Path file = caDir.resolve(name);
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ClusterException("Cannot issue a member certificate: " + file + " is missing. Issuing needs the"
          + " directory where `./ferry cluster init --out DIR` ran (it holds " + ClusterCredentials.CA_KEY_FILE
          + " and " + ClusterCredentials.SECRET_FILE + ").");
    } catch (IOException e) {
      throw new ClusterException("Cannot read " + file + ": " + e, e);
    }
  }

  private static void checkHostNames(List<String> hostNames) {
    List<String> problems = Pki.validateHostNames(hostNames);
    if (!problems.isEmpty()) {
      throw new ClusterException("Bad host names for the member certificate: " + String.join("; ", problems));
    }
  }

  private byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    random.nextBytes(bytes);
    return bytes;
  }
}
