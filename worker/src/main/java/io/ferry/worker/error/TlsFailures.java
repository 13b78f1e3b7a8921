package io.ferry.worker.error;

import io.ferry.worker.config.ConnectionConfig;
import java.io.EOFException;
import java.net.SocketException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLHandshakeException;

/**
 * Recognises a TLS failure among a connect failure's causes (JDBC or binlog client alike) and says what
 * to do. A server certificate that does not verify, a failed handshake or a server without TLS where TLS
 * is required are fatal: retrying cannot fix them, and Ferry never falls back to plaintext. A handshake
 * cut by the network stays a network fault for the caller to retry.
 */
public final class TlsFailures {
  private TlsFailures() {}

  /**
   * The failure as {@code <ROLE>_TLS_FAILED}, or null when {@code t} is not a TLS failure.
   *
   * @param where how messages start, e.g. {@code job shop: source repl@db1:3306}
   */
  public static FerryException classify(Throwable t, ConnectionConfig c, String role, String where) {
    String code = role.toUpperCase(Locale.ROOT) + "_TLS_FAILED";
    if (has(t, CertificateException.class) || has(t, CertPathValidatorException.class)) {
      String trusted = c.verifyingCa() != null ? "the connection's CA certificate" : "the JVM's default trust store";
      return FerryException.fatal(code, where + ": the server's TLS certificate was not accepted (tls " + mode(c)
          + ", checked against " + trusted + "): " + rootMessage(t), c.verifyingCa() != null
          ? "Replace the " + role + " connection's CA certificate (ca; caFile in a job file) with the PEM certificate"
              + " of the CA that signed the server's certificate, then restart the job."
          : "Give the " + role + " connection the PEM certificate of the CA that signed the server's certificate"
              + " (ca; ca or caFile in a job file), or add that CA to the JVM's trust store; then restart the job.", t);
    }
    if (has(t, SSLHandshakeException.class) && !has(t, EOFException.class) && !has(t, SocketException.class)) {
      return FerryException.fatal(code, where + ": the TLS handshake failed (tls " + mode(c) + "): " + rootMessage(t),
          "Check the server's TLS set-up (ssl_cert, ssl_key, TLS versions) and the " + role + " connection's tls mode.",
          t);
    }
    String text = messages(t);
    if (text.contains("does not support ssl") || text.contains("not supported by server")) {
      return FerryException.fatal(code, where + ": the server offers no TLS, but the connection's tls is " + mode(c),
          "Enable TLS on the server (ssl_cert, ssl_key), or set the " + role + " connection's tls to preferred.", t);
    }
    return null;
  }

  private static String mode(ConnectionConfig c) {
    return c.tls().name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static boolean has(Throwable t, Class<? extends Throwable> type) {
    for (Throwable x = t; x != null; x = x.getCause()) {
      if (type.isInstance(x)) {
        return true;
      }
    }
    return false;
  }

  private static String messages(Throwable t) {
    StringBuilder out = new StringBuilder();
    for (Throwable x = t; x != null; x = x.getCause()) {
      out.append(x.getMessage()).append('\n');
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
