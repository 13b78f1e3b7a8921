package io.ferry.worker.config;

import io.ferry.protocol.NetworkTargets;
import io.ferry.protocol.tls.TrustedCa;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a MySQL/MariaDB server is and how to log in. An allow-list of parameters, never a raw JDBC URL,
 * so no driver option can be smuggled in: the host may hold only the characters of a host name or an IP
 * address. {@link #toString()} never shows the password, nor the CA certificate.
 *
 * @param caCert PEM CA certificate(s) that {@link TlsMode#VERIFY_CA} trusts instead of the JVM's default
 *     trust store; null for none. Other modes do not check the server's certificate and ignore it.
 */
public record ConnectionConfig(String host, int port, String user, String password, TlsMode tls, String caCert) {
  public static final int DEFAULT_PORT = 3306;
  /** A host name, an IPv4 address or an IPv6 address without brackets: nothing that could end the URL's host. */
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.:-]{1,253}");

  /** How the connection uses TLS; the names are those of the public API. */
  public enum TlsMode {
    DISABLED, PREFERRED, REQUIRED, VERIFY_CA;

    public static TlsMode parse(String text) {
      return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  public ConnectionConfig {
    tls = tls == null ? TlsMode.PREFERRED : tls;
    password = password == null ? "" : password;
    caCert = caCert == null || caCert.isBlank() ? null : caCert;
  }

  /** A connection that trusts the JVM's default trust store (no CA certificate of its own). */
  public ConnectionConfig(String host, int port, String user, String password, TlsMode tls) {
    this(host, port, user, password, tls, null);
  }

  /** {@code user@host:port}, the way error messages name a server. */
  public String describe() {
    return user + "@" + host + ":" + port;
  }

  /** The CA certificate the server's certificate is checked against: set, and the mode verifies. */
  public String verifyingCa() {
    return tls == TlsMode.VERIFY_CA ? caCert : null;
  }

  void validate(String prefix, List<String> problems) {
    if (host == null || host.isBlank()) {
      problems.add(prefix + ".host is required");
    } else if (!HOST.matcher(host).matches()) {
      problems.add(prefix + ".host must be a host name or an IP address (letters, digits, '.', '-', '_', ':')");
    } else {
      String refused = NetworkTargets.refusedLiteral(host);
      if (refused != null) {
        problems.add(prefix + ".host " + refused + "; Ferry never connects there");
      }
    }
    if (port < 1 || port > 65535) {
      problems.add(prefix + ".port must be between 1 and 65535, was " + port);
    }
    if (user == null || user.isBlank()) {
      problems.add(prefix + ".user is required");
    }
    if (caCert != null && !TrustedCa.isValid(caCert)) {
      problems.add(prefix + ".ca must be one or more PEM certificates (-----BEGIN CERTIFICATE-----)");
    }
  }

  /**
   * JDBC URL for mysql-connector-j; options are fixed here, never taken from user input. The trust store
   * of a CA certificate goes in the connection's properties ({@code jdbc.Jdbc}), not in the URL.
   */
  public String jdbcUrl(String extraOptions) {
    return jdbcUrl(extraOptions, SOCKET_TIMEOUT_MILLIS);
  }

  /** How long a statement may wait for the server's reply on an established connection. */
  public static final int SOCKET_TIMEOUT_MILLIS = 300_000;
  /** How long the TCP connect may take, and the login handshake on a connection that connected. */
  public static final int LOGIN_TIMEOUT_MILLIS = 15_000;

  /**
   * The JDBC URL with the given socket timeout: {@code jdbc.Jdbc} connects with {@link #LOGIN_TIMEOUT_MILLIS}
   * (so a server that accepts TCP but never greets fails the login in bounded time) and then raises the
   * established connection's timeout to {@link #SOCKET_TIMEOUT_MILLIS}.
   */
  public String jdbcUrl(String extraOptions, int socketTimeoutMillis) {
    String ssl = switch (tls) {
      case DISABLED -> "sslMode=DISABLED";
      case PREFERRED -> "sslMode=PREFERRED";
      case REQUIRED -> "sslMode=REQUIRED";
      case VERIFY_CA -> "sslMode=VERIFY_CA";
    };
    return "jdbc:mysql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/?" + ssl
        + "&allowPublicKeyRetrieval=true&connectTimeout=10000&socketTimeout=" + socketTimeoutMillis
        + "&allowLoadLocalInfile=false&autoDeserialize=false&characterEncoding=UTF-8"
        + "&useUnicode=true&serverTimezone=UTC&forceConnectionTimeZoneToSession=false"
        + (extraOptions == null || extraOptions.isEmpty() ? "" : "&" + extraOptions);
  }

  @Override
  public String toString() {
    return "ConnectionConfig[" + describe() + ", tls=" + tls + (caCert == null ? "" : ", ca=set") + "]";
  }
}
