package io.ferry.protocol.model;

import io.ferry.protocol.Checks;
import io.ferry.protocol.InvalidFieldException;
import io.ferry.protocol.tls.TrustedCa;

/**
 * Where a MySQL/MariaDB server is and how to log in. The password travels in clear inside the
 * (TLS-protected) event bus; {@link #toString()} never shows it and no validation message quotes it.
 *
 * @param caCert the PEM CA certificate(s) that a {@link TlsMode#VERIFY_CA} connection trusts instead of
 *     the JVM's default trust store; null for none. Public data, but long: {@link #toString()} only says
 *     whether it is set.
 */
public record ConnectionSpec(String host, int port, String user, String password, TlsMode tls, String caCert) {
  /** What {@link #toString()} prints in place of a password. */
  public static final String MASK = "****";

  public ConnectionSpec {
    Checks.notBlank("host", host);
    Checks.between("port", port, 1, 65535);
    Checks.notBlank("user", user);
    password = password == null ? "" : password;
    Checks.notNull("tls", tls);
    caCert = caCert == null || caCert.isBlank() ? null : caCert;
    if (caCert != null && !TrustedCa.isValid(caCert)) {
      throw new InvalidFieldException("ca", "must be one or more PEM certificates (-----BEGIN CERTIFICATE-----)");
    }
  }

  /** A connection without a CA certificate of its own. */
  public ConnectionSpec(String host, int port, String user, String password, TlsMode tls) {
    this(host, port, user, password, tls, null);
  }

  /** {@code user@host:port}, the way error messages name a server. */
  public String describe() {
    return user + "@" + host + ":" + port;
  }

  @Override
  public String toString() {
    return "ConnectionSpec[" + describe() + ", password=" + (password.isEmpty() ? "" : MASK) + ", tls=" + tls
        + (caCert == null ? "" : ", ca=set") + "]";
  }
}
