package io.ferry.protocol.model;

import io.ferry.protocol.Checks;

/**
 * Where a MySQL/MariaDB server is and how to log in. The password travels in clear inside the
 * (TLS-protected) event bus; {@link #toString()} never shows it and no validation message quotes it.
 */
public record ConnectionSpec(String host, int port, String user, String password, TlsMode tls) {
  /** What {@link #toString()} prints in place of a password. */
  public static final String MASK = "****";

  public ConnectionSpec {
    Checks.notBlank("host", host);
    Checks.between("port", port, 1, 65535);
    Checks.notBlank("user", user);
    password = password == null ? "" : password;
    Checks.notNull("tls", tls);
  }

  /** {@code user@host:port}, the way error messages name a server. */
  public String describe() {
    return user + "@" + host + ":" + port;
  }

  @Override
  public String toString() {
    return "ConnectionSpec[" + describe() + ", password=" + (password.isEmpty() ? "" : MASK) + ", tls=" + tls + "]";
  }
}
