package io.ferry.cluster;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * The cluster's small PKI, built with BouncyCastle's certificate builders over the JDK's own crypto
 * providers (the BC provider is deliberately not registered: a library must not change the JVM's
 * provider list). Keys are EC P-256: fast to generate and to handshake, and supported by every JDK
 * TLS 1.3 stack.
 */
final class Pki {
  static final Duration VALIDITY = Duration.ofDays(3650);
  /** Certificates start an hour in the past so members with slightly late clocks accept them. */
  private static final Duration BACKDATE = Duration.ofHours(1);
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final Pattern DNS_NAME =
      Pattern.compile("(?i)^(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$");

  private final SecureRandom random;

  Pki(SecureRandom random) {
    this.random = random;
  }

  KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JVM cannot generate EC P-256 keys", e);
    }
  }

  /** A self-signed CA that may sign member certificates only (path length 0). */
  X509Certificate certificateAuthority(KeyPair keys, Instant now) {
    X500Name subject = new X500Name("CN=Ferry cluster CA " + HexFormat.of().formatHex(randomBytes(6)));
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
          Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), subject, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
      return sign(builder, keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("Cannot build the cluster CA certificate", e);
    }
  }

  /**
   * A member certificate for both ends of a TLS connection (serverAuth and clientAuth), naming
   * localhost, 127.0.0.1, ::1 and the given host names or IP literals. The names matter only to
   * clients that verify host names; the Vert.x event bus does not (see {@link FerryCluster}).
   */
  X509Certificate member(KeyPair keys, X509Certificate ca, PrivateKey caKey, List<String> hostNames, Instant now) {
    Instant notAfter = now.plus(VALIDITY);
    if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
      notAfter = ca.getNotAfter().toInstant();
    }
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(),
          Date.from(now.minus(BACKDATE)), Date.from(notAfter),
          new X500Name("CN=ferry-member " + HexFormat.of().formatHex(randomBytes(6))), keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
          .addExtension(Extension.subjectAlternativeName, false, subjectAltNames(hostNames))
          .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()))
          .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
      return sign(builder, caKey);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("Cannot build the member certificate", e);
    }
  }

  /** Checks the names a member certificate will carry; every bad one is reported at once. */
  static List<String> validateHostNames(List<String> hostNames) {
    List<String> problems = new ArrayList<>();
    for (String name : hostNames) {
      String trimmed = name == null ? "" : name.trim();
      if (trimmed.isEmpty()) {
        problems.add("an empty host name");
      } else if (!IPAddress.isValid(trimmed) && (looksNumeric(trimmed) || !DNS_NAME.matcher(trimmed).matches())) {
        problems.add("'" + name + "' is neither a DNS name nor an IP address");
      }
    }
    return problems;
  }

  private static GeneralNames subjectAltNames(List<String> hostNames) {
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    for (String name : hostNames) {
      names.add(name.trim());
    }
    List<GeneralName> general = new ArrayList<>();
    for (String name : names) {
      general.add(new GeneralName(IPAddress.isValid(name) ? GeneralName.iPAddress : GeneralName.dNSName, name));
    }
    return new GeneralNames(general.toArray(GeneralName[]::new));
  }

  /** "10.0.0" passes the DNS pattern but is a mistyped address, not a name. */
  private static boolean looksNumeric(String text) {
    return text.chars().allMatch(c -> Character.isDigit(c) || c == '.');
  }

  private X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("No " + SIGNATURE + " signer in this JVM", e);
    }
  }

  private BigInteger serial() {
    return new BigInteger(1, randomBytes(16));
  }

  private byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    random.nextBytes(bytes);
    return bytes;
  }
}
