package io.ferry.mariadb;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
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

/**
 * Throwaway TLS material for test servers: a new CA and a server certificate it signed for
 * {@code 127.0.0.1} and {@code localhost}, written as PEM files for {@link MariaDbConfig.Builder#tls}.
 * Nothing here is fit for production: keys are written unencrypted and the CA's key is not kept.
 *
 * <p>Needs BouncyCastle's {@code bcpkix-jdk18on} on the class path: this module declares it optional, so a
 * module whose tests call this class declares it in test scope. The BC provider is not registered; the JDK's
 * own providers make the keys and signatures.
 */
public final class TestCertificates {
    private static final Duration VALIDITY = Duration.ofDays(30);
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The key type of both the CA and the server certificate. */
    public enum KeyType {
        /** RSA 2048 with SHA256withRSA. */
        RSA,
        /** EC P-256 with SHA256withECDSA. */
        EC
    }

    /**
     * What {@link #write} made.
     *
     * @param server the files to start a server with
     * @param caPem the CA certificate as PEM text, what a client trusts
     * @param caCertificate the same CA certificate, parsed
     */
    public record Written(MariaDbConfig.ServerTls server, String caPem, X509Certificate caCertificate) {}

    private TestCertificates() {
    }

    /**
     * A new CA and server certificate in {@code dir}: {@code ca.pem}, {@code server-cert.pem}, {@code server-key.pem}
     * (0600 where the file system has POSIX permissions).
     */
    public static Written write(Path dir, KeyType type) {
        try {
            Files.createDirectories(dir);
            Instant now = Instant.now();
            KeyPair caKeys = keyPair(type);
            X509Certificate ca = certificateAuthority(caKeys, type, now);
            KeyPair serverKeys = keyPair(type);
            X509Certificate server = server(serverKeys, ca, caKeys.getPrivate(), type, now);
            String caPem = pem("CERTIFICATE", ca.getEncoded());
            Path caFile = Files.writeString(dir.resolve("ca.pem"), caPem, StandardCharsets.US_ASCII);
            Path certFile = Files.writeString(dir.resolve("server-cert.pem"), pem("CERTIFICATE", server.getEncoded()),
                    StandardCharsets.US_ASCII);
            Path keyFile = Files.writeString(dir.resolve("server-key.pem"),
                    pem("PRIVATE KEY", serverKeys.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
            ownerOnly(keyFile);
            return new Written(new MariaDbConfig.ServerTls(caFile, certFile, keyFile), caPem, ca);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write test certificates into " + dir + ": " + e, e);
        }
    }

    /** The PEM certificate of a CA that signed nothing of ours: what a client wrongly trusts in tests. */
    public static String unrelatedCaPem(KeyType type) {
        try {
            KeyPair keys = keyPair(type);
            return pem("CERTIFICATE", certificateAuthority(keys, type, Instant.now()).getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a test CA: " + e, e);
        }
    }

    private static KeyPair keyPair(KeyType type) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(type.name());
        if (type == KeyType.EC) {
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        } else {
            generator.initialize(2048, RANDOM);
        }
        return generator.generateKeyPair();
    }

    private static X509Certificate certificateAuthority(KeyPair keys, KeyType type, Instant now)
            throws GeneralSecurityException {
        X500Name subject = new X500Name("CN=Ferry test CA " + Long.toHexString(RANDOM.nextLong()));
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(keys.getPublic()));
            return sign(builder, keys.getPrivate(), type);
        } catch (CertIOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static X509Certificate server(KeyPair keys, X509Certificate ca, PrivateKey caKey, KeyType type,
            Instant now) throws GeneralSecurityException {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            int usage = type == KeyType.RSA ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                    : KeyUsage.digitalSignature | KeyUsage.keyAgreement;
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), new X500Name("CN=127.0.0.1"),
                    keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.dNSName, "localhost")}))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
            return sign(builder, caKey, type);
        } catch (CertIOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key, KeyType type)
            throws GeneralSecurityException {
        try {
            String algorithm = type == KeyType.RSA ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the file keeps the default permissions
        }
    }
}
