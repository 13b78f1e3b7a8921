package io.ferry.controlplane.check;

import io.ferry.controlplane.store.ConnectionStore.Connection;
import io.ferry.protocol.NetworkTargets;
import io.ferry.protocol.tls.TrustedCa;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Connects to a stored connection with JDBC and reports what would stop a job: unreachable, access
 * denied, TLS failure; for a source also binlog off, not ROW, not FULL row images and missing
 * replication privileges; for a destination a read-only server or missing write privileges. Blocking:
 * runs on a worker thread ({@code executeBlocking}), never an event loop. The driver's options are fixed
 * here, never taken from the request, and no message carries the password.
 */
public final class ConnectionCheck {
  public static final int TIMEOUT_MILLIS = 5_000;

  private final Set<Integer> ownPorts;

  /** @param ownPorts the ports this control plane listens on (HTTP, cluster), which no connection may name */
  public ConnectionCheck(Set<Integer> ownPorts) {
    this.ownPorts = ownPorts;
  }

  /** {@code {"ok","role","problems":[{"code","message","remedy"}]}}. */
  public JsonObject run(Connection c, String password, boolean source) {
    String prefix = source ? "SOURCE" : "DESTINATION";
    String who = (source ? "source " : "destination ") + c.describe();
    List<JsonObject> problems = new ArrayList<>();
    JsonObject refused = refusedTarget(c, prefix, who, ownPorts);
    if (refused != null) {
      return new JsonObject().put("ok", false).put("role", source ? "source" : "destination")
          .put("problems", new JsonArray().add(refused));
    }
    try {
      Properties props = properties(c, password);
      try (java.sql.Connection conn = new com.mysql.cj.jdbc.Driver().connect(url(c), props)) {
        ServerChecks checks = new ServerChecks(conn, who, c.user());
        if (source) {
          checks.source(problems);
        } else {
          checks.destination(problems);
        }
      }
    } catch (SQLException e) {
      problems.add(connectFailure(e, prefix, who, c));
    } catch (IOException | GeneralSecurityException e) {
      problems.add(problem(prefix + "_TLS", who + ": the connection's CA certificate cannot be used",
          "Replace the connection's ca with the PEM certificate of the CA that signed the server's certificate."));
    }
    return new JsonObject().put("ok", problems.isEmpty()).put("role", source ? "source" : "destination")
        .put("problems", new JsonArray(new ArrayList<>(problems)));
  }

  static String url(Connection c) {
    String host = c.host().contains(":") ? "[" + c.host() + "]" : c.host();
    return "jdbc:mysql://" + host + ":" + c.port() + "/";
  }

  /**
   * Every driver option is decided here; the request only supplies host, port, user, password, TLS mode
   * and CA certificate. With verify-ca and a CA, the driver trusts a trust store holding that CA alone (the
   * worker's: one private file per distinct CA, reused by later checks, see {@link TrustedCa}).
   */
  static Properties properties(Connection c, String password) throws IOException, GeneralSecurityException {
    Properties p = new Properties();
    p.setProperty("user", c.user());
    p.setProperty("password", password == null ? "" : password);
    p.setProperty("sslMode", switch (c.tls()) {
      case "disabled" -> "DISABLED";
      case "required" -> "REQUIRED";
      case "verify-ca" -> "VERIFY_CA";
      default -> "PREFERRED";
    });
    p.setProperty("connectTimeout", String.valueOf(TIMEOUT_MILLIS));
    p.setProperty("socketTimeout", String.valueOf(TIMEOUT_MILLIS));
    p.setProperty("allowLoadLocalInfile", "false");
    p.setProperty("allowUrlInLocalInfile", "false");
    p.setProperty("autoDeserialize", "false");
    p.setProperty("allowMultiQueries", "false");
    p.setProperty("allowPublicKeyRetrieval", "false");
    p.setProperty("characterEncoding", "UTF-8");
    if ("verify-ca".equals(c.tls()) && c.ca() != null) {
      TrustedCa.TrustStoreFile store = TrustedCa.trustStoreFile(c.ca());
      p.setProperty("trustCertificateKeyStoreUrl", store.url());
      p.setProperty("trustCertificateKeyStoreType", "PKCS12");
      p.setProperty("trustCertificateKeyStorePassword", store.password());
      p.setProperty("fallbackToSystemTrustStore", "false");
    }
    return p;
  }

  static JsonObject connectFailure(SQLException e, String prefix, String who, Connection c) {
    int code = e.getErrorCode();
    if (code == 1045 || code == 1044 || code == 1698) {
      return problem(prefix + "_ACCESS_DENIED", who + ": access denied (wrong user name or password)",
          "Check the connection's user and password; the server must have an account for " + c.user()
              + " that may connect from the control plane's host.");
    }
    if (code == 1130 || code == 1129) {
      return problem(prefix + "_ACCESS_DENIED", who + ": the server does not let this host connect (error " + code + ")",
          "Create the account for the control plane's host (e.g. '" + c.user() + "'@'%'), or FLUSH HOSTS if it was "
              + "blocked after too many errors.");
    }
    if (rootOf(e, SSLException.class) != null && (rootOf(e, CertificateException.class) != null
        || rootOf(e, CertPathValidatorException.class) != null)) {
      return problem(prefix + "_TLS", who + ": the server's TLS certificate was not accepted (checked against "
          + ("verify-ca".equals(c.tls()) && c.ca() != null ? "the connection's ca" : "the JVM's default trust store")
          + ")", "Set the connection's ca to the PEM certificate of the CA that signed the server's certificate.");
    }
    Throwable cause = rootOf(e, SSLException.class);
    if (cause != null) {
      return problem(prefix + "_TLS", who + ": the TLS handshake failed (" + cause.getClass().getSimpleName() + ")",
          "Check the connection's tls mode and ca; with verify-ca the server's certificate must be signed by that CA.");
    }
    String how = rootOf(e, UnknownHostException.class) != null ? "the host name does not resolve"
        : rootOf(e, ConnectException.class) != null ? "the connection was refused"
        : rootOf(e, SocketTimeoutException.class) != null ? "no answer within " + TIMEOUT_MILLIS / 1000 + " s"
        : "the connection failed (SQLState " + e.getSQLState() + ", error " + code + ")";
    return problem(prefix + "_UNREACHABLE", who + ": " + how,
        "Check the host and port, that the server runs, and that no firewall blocks the control plane.");
  }

  private static Throwable rootOf(Throwable t, Class<? extends Throwable> type) {
    for (Throwable x = t; x != null; x = x.getCause()) {
      if (type.isInstance(x)) {
        return x;
      }
    }
    return null;
  }

  /**
   * A problem when the connection's host resolves to an address Ferry never connects to
   * ({@link NetworkTargets}), or to this machine on one of the control plane's own ports; else null.
   * Blocking (a DNS lookup).
   */
  static JsonObject refusedTarget(Connection c, String prefix, String who, Set<Integer> ownPorts) {
    String why = NetworkTargets.refusedResolved(c.host());
    if (why == null && ownPorts.contains(c.port()) && isThisMachine(c.host())) {
      why = "is this control plane's own port " + c.port();
    }
    return why == null ? null : problem(prefix + "_TARGET_REFUSED", who + ": " + c.host() + " " + why
        + "; Ferry never connects there", "Point the connection at the MySQL/MariaDB server's own host and port.");
  }

  private static boolean isThisMachine(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  static JsonObject problem(String code, String message, String remedy) {
    return new JsonObject().put("code", code).put("message", message).put("remedy", remedy);
  }
}
