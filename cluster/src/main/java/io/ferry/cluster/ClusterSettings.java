package io.ferry.cluster;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where this node listens for cluster traffic and whom it joins.
 *
 * @param host the address this node binds and advertises, for both Hazelcast and the event bus
 *     ({@code FERRY_CLUSTER_HOST}); it must be an address of this machine that the other members can
 *     reach: wildcard addresses are refused because they cannot be advertised
 * @param port the Hazelcast member port ({@code FERRY_CLUSTER_PORT}); 0 picks a free one, which only
 *     suits a node that nobody needs to join
 * @param eventBusPort the event-bus TLS port ({@code FERRY_CLUSTER_EVENTBUS_PORT}); 0 picks a free one,
 *     which members learn through Hazelcast; fix it when a firewall sits between members
 * @param join the members to join ({@code FERRY_CLUSTER_JOIN}); empty for the first node
 * @param credentialsDir the directory {@code ./ferry cluster init --out DIR} wrote ({@code FERRY_CLUSTER_DIR})
 */
public record ClusterSettings(String host, int port, int eventBusPort, List<Member> join, Path credentialsDir) {
  public static final String ENV_HOST = "FERRY_CLUSTER_HOST";
  public static final String ENV_PORT = "FERRY_CLUSTER_PORT";
  public static final String ENV_EVENT_BUS_PORT = "FERRY_CLUSTER_EVENTBUS_PORT";
  public static final String ENV_JOIN = "FERRY_CLUSTER_JOIN";
  public static final String ENV_DIR = "FERRY_CLUSTER_DIR";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;
  public static final int DEFAULT_EVENT_BUS_PORT = 0;
  /** The default credentials directory, under {@code $FERRY_DATA_DIR}. */
  public static final String DEFAULT_DIR_NAME = "cluster";

  /** One entry of the join list. */
  public record Member(String host, int port) {
    public Member {
      Objects.requireNonNull(host, "host");
    }

    /** {@code host:port} as Hazelcast's TCP-IP join takes it (IPv6 in brackets). */
    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  public ClusterSettings {
    Objects.requireNonNull(credentialsDir, "credentialsDir");
    join = List.copyOf(join);
    List<String> problems = new ArrayList<>();
    checkHost(ENV_HOST, host, problems);
    checkPort(ENV_PORT, port, problems);
    checkPort(ENV_EVENT_BUS_PORT, eventBusPort, problems);
    if (!problems.isEmpty()) {
      throw new ClusterException("Invalid cluster settings: " + String.join("; ", problems));
    }
  }

  /** Defaults for one node on this machine: 127.0.0.1:5701, no join list. */
  public static ClusterSettings local(Path credentialsDir) {
    return new ClusterSettings(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_EVENT_BUS_PORT, List.of(), credentialsDir);
  }

  /**
   * Reads the {@code FERRY_CLUSTER_*} variables; unset or blank ones take their defaults. Every
   * problem is reported at once, each naming its variable. {@code dataDir} is {@code $FERRY_DATA_DIR},
   * the parent of the default credentials directory; it may be null when {@code FERRY_CLUSTER_DIR} is set.
   */
  public static ClusterSettings fromEnvironment(Map<String, String> env, Path dataDir) {
    List<String> problems = new ArrayList<>();
    String host = value(env, ENV_HOST);
    host = host == null ? DEFAULT_HOST : host;
    checkHost(ENV_HOST, host, problems);
    int port = parsePort(env, ENV_PORT, DEFAULT_PORT, problems);
    int eventBusPort = parsePort(env, ENV_EVENT_BUS_PORT, DEFAULT_EVENT_BUS_PORT, problems);
    List<Member> join = parseJoin(value(env, ENV_JOIN), problems);
    Path dir = null;
    String dirValue = value(env, ENV_DIR);
    if (dirValue != null) {
      try {
        dir = Path.of(dirValue);
      } catch (InvalidPathException e) {
        problems.add(ENV_DIR + "='" + dirValue + "' is not a valid path: " + e.getReason());
      }
    } else if (dataDir != null) {
      dir = dataDir.resolve(DEFAULT_DIR_NAME);
    } else {
      problems.add(ENV_DIR + " is not set and there is no FERRY_DATA_DIR to default it to");
    }
    if (!problems.isEmpty()) {
      throw new ClusterException("Invalid cluster settings: " + String.join("; ", problems));
    }
    return new ClusterSettings(host, port, eventBusPort, join, dir);
  }

  /**
   * Parses a comma-separated join list of {@code host:port} ({@code [v6]:port} for IPv6; a bare host
   * means port {@value #DEFAULT_PORT}), naming each bad entry in {@code problems}.
   */
  static List<Member> parseJoin(String value, List<String> problems) {
    List<Member> members = new ArrayList<>();
    if (value == null) {
      return members;
    }
    for (String raw : value.split(",", -1)) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        problems.add(ENV_JOIN + " has an empty entry in '" + value + "'");
        continue;
      }
      String host = entry;
      String portText = null;
      if (entry.startsWith("[")) {
        int close = entry.indexOf(']');
        if (close < 0 || (close + 1 < entry.length() && entry.charAt(close + 1) != ':')) {
          problems.add(ENV_JOIN + " entry '" + entry + "' is not [ipv6]:port");
          continue;
        }
        host = entry.substring(1, close);
        portText = close + 1 < entry.length() ? entry.substring(close + 2) : null;
      } else if (entry.indexOf(':') != entry.lastIndexOf(':')) {
        problems.add(ENV_JOIN + " entry '" + entry + "' looks like a bare IPv6 address; write it as [address]:port");
        continue;
      } else if (entry.contains(":")) {
        host = entry.substring(0, entry.indexOf(':'));
        portText = entry.substring(entry.indexOf(':') + 1);
      }
      int port = DEFAULT_PORT;
      if (portText != null) {
        port = parsePortText(portText);
        if (port <= 0) {
          problems.add(ENV_JOIN + " entry '" + entry + "' has an invalid port '" + portText + "' (1-65535)");
          continue;
        }
      }
      if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
        problems.add(ENV_JOIN + " entry '" + entry + "' has no valid host");
        continue;
      }
      members.add(new Member(host, port));
    }
    return members;
  }

  private static int parsePort(Map<String, String> env, String name, int defaultPort, List<String> problems) {
    String text = value(env, name);
    if (text == null) {
      return defaultPort;
    }
    int port = parsePortText(text);
    if (port < 0) {
      problems.add(name + "='" + text + "' is not a port number (0-65535, 0 = any free port)");
      return defaultPort;
    }
    return port;
  }

  /** The port, or -1 when the text is not a number in 0..65535. */
  private static int parsePortText(String text) {
    try {
      int port = Integer.parseInt(text.trim());
      return port >= 0 && port <= 65535 ? port : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void checkHost(String name, String host, List<String> problems) {
    if (host == null || host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      problems.add(name + "='" + host + "' is not a host name or address");
    } else if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      problems.add(name + "='" + host + "' is a wildcard; set the one address of this machine that other"
          + " members reach (the node binds and advertises it)");
    }
  }

  private static void checkPort(String name, int port, List<String> problems) {
    if (port < 0 || port > 65535) {
      problems.add(name + "=" + port + " is not a port number (0-65535)");
    }
  }

  private static String value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
