package io.ferry.worker.jdbc;

import io.ferry.protocol.NetworkTargets;
import io.ferry.protocol.tls.TrustedCa;
import io.ferry.worker.config.ConnectionConfig;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.error.TlsFailures;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.Properties;

/**
 * Opens JDBC connections with mysql-connector-j and turns connection failures into errors that say
 * which server, which user, and what to do. Never puts the password into a message.
 */
public final class Jdbc {
  /** A value does not fit its column: out of range, truncated, wrong type, too long, bad date. */
  private static final java.util.Set<Integer> DATA_ERRORS = java.util.Set.of(1264, 1265, 1366, 1406, 1292, 1048);

  private Jdbc() {}

  /**
   * Opens a connection; {@code role} ("source" or "destination") and {@code jobId} go into messages. With
   * verify-ca and a CA certificate, the driver trusts a PKCS12 trust store holding only that CA (a private
   * file shared by every connection with the same CA, see {@link TrustedCa}); the options naming it are
   * generated here. The login is bounded by {@link ConnectionConfig#LOGIN_TIMEOUT_MILLIS} (a path that
   * takes TCP but passes nothing fails in that time), statements then by
   * {@link ConnectionConfig#SOCKET_TIMEOUT_MILLIS} ({@link SessionWatchdog} notices a dead server sooner).
   */
  public static Connection connect(ConnectionConfig config, String role, String jobId, String options) {
    refuseTarget(config, role, jobId);
    Properties props = new Properties();
    props.setProperty("user", config.user());
    props.setProperty("password", config.password());
    if (config.verifyingCa() != null) {
      TrustedCa.TrustStoreFile store = trustStore(config, role, jobId);
      props.setProperty("trustCertificateKeyStoreUrl", store.url());
      props.setProperty("trustCertificateKeyStoreType", "PKCS12");
      props.setProperty("trustCertificateKeyStorePassword", store.password());
      props.setProperty("fallbackToSystemTrustStore", "false");
    }
    try {
      Connection c = DriverManager.getConnection(config.jdbcUrl(options, ConnectionConfig.LOGIN_TIMEOUT_MILLIS), props);
      try {
        c.setNetworkTimeout(Runnable::run, ConnectionConfig.SOCKET_TIMEOUT_MILLIS);
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
      return c;
    } catch (SQLException e) {
      throw classify(e, config, role, jobId);
    }
  }

  /**
   * Refuses a host that resolves to an address Ferry never connects to (link-local: cloud metadata services;
   * the wildcard; multicast, see {@link NetworkTargets}). The control plane refuses such literals when a
   * connection is saved; this catches names that resolve there. Blocking (a DNS lookup).
   */
  public static void refuseTarget(ConnectionConfig config, String role, String jobId) {
    String why = NetworkTargets.refusedResolved(config.host());
    if (why != null) {
      throw FerryException.fatal(role.toUpperCase(Locale.ROOT) + "_TARGET_REFUSED", "job " + jobId + ": " + role + " "
          + config.describe() + ": " + config.host() + " " + why + "; Ferry never connects there",
          "Point the " + role + " connection at the MySQL/MariaDB server's own host and port.");
    }
  }

  private static TrustedCa.TrustStoreFile trustStore(ConnectionConfig config, String role, String jobId) {
    try {
      return TrustedCa.trustStoreFile(config.verifyingCa());
    } catch (IOException | GeneralSecurityException e) {
      throw FerryException.fatal(role.toUpperCase(Locale.ROOT) + "_TLS_FAILED", "job " + jobId + ": " + role + " "
          + config.describe() + ": the connection's CA certificate cannot be used (" + e.getMessage() + ")",
          "Give the " + role + " connection the PEM certificate of the CA that signed the server's certificate.", e);
    }
  }

  /** Maps a failed connect or statement to a {@link FerryException} with a remedy. */
  public static FerryException classify(SQLException e, ConnectionConfig config, String role, String jobId) {
    String where = "job " + jobId + ": " + role + " " + config.describe();
    FerryException tls = TlsFailures.classify(e, config, role, where);
    if (tls != null) {
      return tls;
    }
    int code = e.getErrorCode();
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (code == 1045) {
      return FerryException.fatal(role.toUpperCase(Locale.ROOT) + "_AUTH_FAILED", where + " rejected the login (access denied)",
          "Check the user and password of the " + role + " connection, and that the user may connect from this host.", e);
    }
    if (code == 1044 || code == 1142 || code == 1227 || code == 1370) {
      return FerryException.fatal(role.toUpperCase(Locale.ROOT) + "_PRIVILEGES", where + " lacks a privilege: " + e.getMessage(),
          "Grant the privileges listed in the README's 'Privileges' section to " + config.user() + ".", e);
    }
    if (code == 1290 || code == 1836) {
      return FerryException.fatal(role.toUpperCase(Locale.ROOT) + "_READ_ONLY", where + " is read-only: " + e.getMessage(),
          "Make the " + role + " writable (SET GLOBAL read_only=OFF) or point the job at a writable server.", e);
    }
    if (DATA_ERRORS.contains(code)) {
      return FerryException.fatal(role.toUpperCase(Locale.ROOT) + "_DATA", where + " rejected a value (error " + code
          + "): " + firstLine(e.getMessage()), "The " + role + " table's column types differ from the source's; "
          + "give it the source's definition, then restart the job (it resumes before the failed transaction).", e);
    }
    if (state.startsWith("08") || e instanceof SQLTransientConnectionException || code == 0 && state.isEmpty()) {
      return FerryException.retriable(role.toUpperCase(Locale.ROOT) + "_UNREACHABLE", where + " cannot be reached: "
          + firstLine(e.getMessage()), "Check that the server runs and that host and port are right; Ferry keeps retrying.", e);
    }
    return FerryException.retriable(role.toUpperCase(Locale.ROOT) + "_SQL_ERROR", where + " failed (error " + code + ", state "
        + state + "): " + firstLine(e.getMessage()), "See the server's message; Ferry retries with backoff.", e);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** Quotes an identifier with backticks. */
  public static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  public static String quote(String database, String table) {
    return quote(database) + "." + quote(table);
  }
}
