package io.ferry.controlplane.check;

import static io.ferry.controlplane.check.ConnectionCheck.problem;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The checks on an open connection; each problem names the server as {@code user@host:port}. */
final class ServerChecks {
  private static final Pattern GRANT = Pattern.compile("^GRANT (.+?) ON (\\S+) TO ", Pattern.CASE_INSENSITIVE);
  private static final List<String> WRITE_PRIVILEGES = List.of("SELECT", "INSERT", "UPDATE", "DELETE", "CREATE");

  private final Connection conn;
  private final String who;
  private final String user;

  ServerChecks(Connection conn, String who, String user) {
    this.conn = conn;
    this.who = who;
    this.user = user;
  }

  void source(List<JsonObject> problems) throws SQLException {
    String logBin = variable("log_bin");
    if (!"ON".equalsIgnoreCase(logBin) && !"1".equals(logBin)) {
      problems.add(problem("SOURCE_BINLOG_DISABLED", who + " has binary logging off (log_bin=" + logBin + ")",
          "Start the server with log_bin (e.g. log-bin=mysql-bin) and a non-zero server_id."));
    }
    String format = variable("binlog_format");
    if (format != null && !"ROW".equalsIgnoreCase(format)) {
      problems.add(problem("SOURCE_BINLOG_FORMAT", who + " logs binlog_format=" + format + "; Ferry reads row events only",
          "SET GLOBAL binlog_format=ROW and set it in the server's configuration."));
    }
    String image = variable("binlog_row_image");
    if (image != null && !"FULL".equalsIgnoreCase(image)) {
      problems.add(problem("SOURCE_ROW_IMAGE", who + " logs binlog_row_image=" + image + "; Ferry needs FULL row images",
          "SET GLOBAL binlog_row_image=FULL and set it in the server's configuration."));
    }
    List<List<String>> grants = grants();
    if (!hasGlobal(grants, "REPLICATION SLAVE", "REPLICATION REPLICA")) {
      problems.add(problem("SOURCE_PRIVILEGES", who + ": user " + user + " lacks REPLICATION SLAVE",
          "GRANT REPLICATION SLAVE ON *.* TO the user (MariaDB: REPLICATION REPLICA also works)."));
    }
    if (!canReadBinlogStatus()) {
      problems.add(problem("SOURCE_PRIVILEGES", who + ": user " + user + " lacks REPLICATION CLIENT (MariaDB 10.5+: "
          + "BINLOG MONITOR), needed to read the binlog position",
          "GRANT REPLICATION CLIENT ON *.* TO the user (MariaDB 10.5+: GRANT BINLOG MONITOR ON *.*)."));
    }
  }

  void destination(List<JsonObject> problems) throws SQLException {
    if ("1".equals(variable("read_only")) || "ON".equalsIgnoreCase(variable("read_only"))) {
      problems.add(problem("DESTINATION_READ_ONLY", who + " is read-only (read_only=ON)",
          "Point the connection at a writable server, or SET GLOBAL read_only=OFF."));
    }
    List<String> missing = new ArrayList<>();
    List<List<String>> grants = grants();
    for (String privilege : WRITE_PRIVILEGES) {
      if (!hasAnywhere(grants, privilege)) {
        missing.add(privilege);
      }
    }
    if (!missing.isEmpty()) {
      problems.add(problem("DESTINATION_PRIVILEGES", who + ": user " + user + " lacks " + String.join(", ", missing),
          "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE ON the destination databases and the _ferry schema."));
    }
  }

  private String variable(String name) throws SQLException {
    try (Statement s = conn.createStatement();
        ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES LIKE '" + name + "'")) {
      return rs.next() ? rs.getString(2) : null;
    }
  }

  /** Each grant line as {@code [scope, privilege...]}, scope {@code *} for global grants. */
  private List<List<String>> grants() throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SHOW GRANTS")) {
      while (rs.next()) {
        Matcher m = GRANT.matcher(rs.getString(1));
        if (m.find() && m.group(2).contains(".")) {
          List<String> line = new ArrayList<>();
          line.add(m.group(2).startsWith("*.") ? "*" : m.group(2));
          for (String p : m.group(1).split(",")) {
            line.add(p.trim().replaceAll("\\s*\\(.*\\)$", "").toUpperCase(Locale.ROOT));
          }
          out.add(line);
        }
      }
    }
    return out;
  }

  private static boolean hasGlobal(List<List<String>> grants, String... alternatives) {
    return grants.stream().filter(g -> g.get(0).equals("*")).anyMatch(g -> holds(g, alternatives));
  }

  private static boolean hasAnywhere(List<List<String>> grants, String privilege) {
    return grants.stream().anyMatch(g -> holds(g, privilege));
  }

  private static boolean holds(List<String> grant, String... alternatives) {
    for (String p : grant.subList(1, grant.size())) {
      if (p.equals("ALL PRIVILEGES") || p.equals("ALL") || List.of(alternatives).contains(p)) {
        return true;
      }
    }
    return false;
  }

  /** Which privilege lets a user read the binlog position differs by server and version, so try it. */
  private boolean canReadBinlogStatus() throws SQLException {
    for (String sql : List.of("SHOW BINARY LOG STATUS", "SHOW BINLOG STATUS", "SHOW MASTER STATUS")) {
      try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        return true;
      } catch (SQLException e) {
        if (e.getErrorCode() == 1227 || e.getErrorCode() == 1044 || e.getErrorCode() == 1142) {
          return false;
        }
        if (e.getErrorCode() != 1064) {
          throw e;
        }
      }
    }
    return false;
  }
}
