package io.ferry.protocol;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Where Ferry refuses to connect, whatever a tenant writes as a connection's host: link-local addresses
 * ({@code 169.254.0.0/16}, {@code fe80::/10}, where cloud metadata services answer), the wildcard address
 * and multicast. The control plane refuses such a literal address when the connection is saved, and every
 * connect (the control plane's check, the worker's JDBC sessions and binlog stream) refuses a name that
 * resolves to one.
 */
public final class NetworkTargets {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private NetworkTargets() {}

  /** Why {@code host}, when it is an IP address literal, is refused; null when allowed or a name. */
  public static String refusedLiteral(String host) {
    if (host == null || !(IPV4.matcher(host).matches() || host.contains(":"))) {
      return null;
    }
    try {
      return refused(InetAddress.getByName(host)); // a literal: no lookup
    } catch (UnknownHostException | SecurityException e) {
      return null; // not a valid literal after all; the host's own validation names it
    }
  }

  /**
   * Why {@code host} is refused, looking it up: the first refused address it resolves to; null when every
   * address is allowed or the name does not resolve (the connect then fails on its own, with its own error).
   * Blocking (a DNS lookup).
   */
  public static String refusedResolved(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        String why = refused(a);
        if (why != null) {
          return host.equals(a.getHostAddress()) ? why : "resolves to " + a.getHostAddress() + ", which " + why;
        }
      }
      return null;
    } catch (UnknownHostException | SecurityException e) {
      return null;
    }
  }

  /** Why this address is refused, or null. */
  public static String refused(InetAddress a) {
    if (a.isLinkLocalAddress()) {
      return "is a link-local address (169.254.0.0/16 or fe80::/10, where cloud metadata services answer)";
    }
    if (a.isAnyLocalAddress()) {
      return "is the wildcard address, not a server";
    }
    if (a.isMulticastAddress()) {
      return "is a multicast address, not a server";
    }
    return null;
  }
}
