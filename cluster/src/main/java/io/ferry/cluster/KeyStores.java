package io.ferry.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/** PKCS#12 in and out of byte arrays, through the JDK's own PKCS12 implementation. */
final class KeyStores {
  static final String MEMBER_ALIAS = "ferry-member";
  static final String CA_ALIAS = "ferry-cluster-ca";

  private KeyStores() {}

  static KeyStore open(byte[] bytes, String password) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(new ByteArrayInputStream(bytes), password.toCharArray());
    return store;
  }

  static byte[] withKey(String alias, PrivateKey key, Certificate[] chain, String password) {
    try {
      KeyStore store = empty();
      store.setKeyEntry(alias, key, password.toCharArray(), chain);
      return toBytes(store, password);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot build a PKCS#12 keystore", e);
    }
  }

  /** A trust store: the JDK marks PKCS#12 certificate entries as trusted for any purpose. */
  static byte[] withTrustedCertificate(X509Certificate certificate, String password) {
    try {
      KeyStore store = empty();
      store.setCertificateEntry(CA_ALIAS, certificate);
      return toBytes(store, password);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot build a PKCS#12 trust store", e);
    }
  }

  private static KeyStore empty() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }

  private static byte[] toBytes(KeyStore store, String password) throws IOException, GeneralSecurityException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.store(out, password.toCharArray());
    return out.toByteArray();
  }
}
