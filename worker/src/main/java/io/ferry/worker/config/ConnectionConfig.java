package io.ferry.worker.config;

import java.util.List;
import java.util.Locale;

/**
 * Where a MySQL/MariaDB server is and how to log in. An allow-list of parameters, never a raw JDBC URL,
 * so no driver option can be smuggled in. {@link #toString()} never shows the password.
 */
public record ConnectionConfig(String host, int port, String user, String password, TlsMode tls) {
  public static final int DEFAULT_PORT = 3306;

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
  }

  /** {@code user@host:port}, the way error messages name a server. */
  public String describe() {
    return user + "@" + host + ":" + port;
  }

  void validate(String prefix, List<String> problems) {
    if (host == null || host.isBlank()) {
      problems.add(prefix + ".host is required");
    }
    if (port < 1 || port > 65535) {
      problems.add(prefix + ".port must be between 1 and 65535, was " + port);
    }
    if (user == null || user.isBlank()) {
      problems.add(prefix + ".user is required");
    }
  }

  /** JDBC URL for mysql-connector-j; options are fixed here, never taken from user input. */
  public String jdbcUrl(String extraOptions) {
    String ssl = switch (tls) {
      case DISABLED -> "sslMode=DISABLED";
      case PREFERRED -> "sslMode=PREFERRED";
      case REQUIRED -> "sslMode=REQUIRED";
      case VERIFY_CA -> "sslMode=VERIFY_CA";
    };
    return "jdbc:mysql://" + host + ":" + port + "/?" + ssl
        + "&allowPublicKeyRetrieval=true&connectTimeout=10000&socketTimeout=300000"
        + "&allowLoadLocalInfile=false&autoDeserialize=false&characterEncoding=UTF-8"
        + "&useUnicode=true&serverTimezone=UTC&forceConnectionTimeZoneToSession=false"
        + (extraOptions == null || extraOptions.isEmpty() ? "" : "&" + extraOptions);
  }

  @Override
  public String toString() {
    return "ConnectionConfig[" + describe() + ", tls=" + tls + "]";
  }
}
