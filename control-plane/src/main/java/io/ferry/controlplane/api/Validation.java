package io.ferry.controlplane.api;

import io.ferry.protocol.NetworkTargets;
import io.ferry.protocol.tls.TrustedCa;
import java.util.regex.Pattern;

/** Checks of single values shared by the routes; each throws {@link ApiException} naming the field. */
public final class Validation {
  /** A DNS name (labels of letters, digits, '-', '_') or an IPv4 address. */
  private static final Pattern HOSTNAME =
      Pattern.compile("(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");
  /** An IPv6 address, without brackets (they are added where a URL needs them). */
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
  /** A database or table name part: no dot, quote, slash, backslash, whitespace or control character. */
  private static final Pattern NAME = Pattern.compile("[^.`'\"/\\\\\\s\\p{Cntrl}*]{1,64}");
  private static final Pattern NAME_OR_GLOB = Pattern.compile("[^.`'\"/\\\\\\s\\p{Cntrl}]{1,64}");
  /** Tenant ids: what the worker and the URL paths take as an id. */
  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  private static final Pattern PATH_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
  public static final int MAX_CA_CHARS = 64 * 1024;

  private Validation() {}

  public static String host(String field, String host) {
    boolean ok = HOSTNAME.matcher(host).matches() || (host.contains(":") && IPV6.matcher(host).matches());
    if (!ok) {
      throw ApiException.invalid(field, "must be a host name or an IP address (letters, digits, '.', '-', ':')");
    }
    String refused = NetworkTargets.refusedLiteral(host);
    if (refused != null) {
      throw ApiException.invalid(field, refused + "; Ferry never connects there");
    }
    return host;
  }

  /** A user name as MySQL takes it: printable, no quote or backslash that could break a statement. */
  public static String user(String field, String user) {
    if (user.length() > 80 || !user.chars().allMatch(c -> c >= 0x20 && c != 0x7f && c != '\'' && c != '\\' && c != '`')) {
      throw ApiException.invalid(field, "must be at most 80 printable characters without quotes or backslashes");
    }
    return user;
  }

  /** A {@code db.table} pattern; {@code *} may stand for any run of characters. */
  public static void tablePattern(String field, String pattern) {
    int dot = pattern.indexOf('.');
    if (dot < 0 || !NAME_OR_GLOB.matcher(pattern.substring(0, dot)).matches()
        || !NAME_OR_GLOB.matcher(pattern.substring(dot + 1)).matches()) {
      throw ApiException.invalid(field, "must be of the form db.table or db.* (names of 1-64 characters, no quotes,"
          + " slashes or spaces)");
    }
  }

  /** A database name (no wildcard). */
  public static void databaseName(String field, String name) {
    if (!NAME.matcher(name).matches()) {
      throw ApiException.invalid(field, "must be a database name of 1-64 characters without dots, quotes, slashes,"
          + " spaces or '*'");
    }
  }

  public static String slug(String field, String value) {
    if (!SLUG.matcher(value).matches()) {
      throw ApiException.invalid(field, "must be 1-64 lower-case letters, digits, '_' or '-', starting with a letter"
          + " or digit");
    }
    return value;
  }

  /**
   * A PEM certificate chain, parsed so a garbled one is refused now rather than at connect time; with
   * the same parser as the worker's ({@link TrustedCa}), so a stored CA always reaches it.
   */
  public static String pem(String field, String pem) {
    if (!TrustedCa.isValid(pem)) {
      throw ApiException.invalid(field, "must be one or more PEM certificates (-----BEGIN CERTIFICATE-----)");
    }
    return pem;
  }

  /** Whether a path parameter can be an id at all; anything else is simply not found. */
  public static boolean plausibleId(String id) {
    return id != null && PATH_ID.matcher(id).matches();
  }
}
