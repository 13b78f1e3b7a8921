package io.ferry.worker.preflight;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The current user's privileges as {@code SHOW GRANTS} lists them, good enough to tell a missing
 * privilege before the job meets it. Role grants are not followed; a check that cannot decide says yes.
 */
final class Grants {
  private static final Pattern GRANT = Pattern.compile("^GRANT (.+?) ON (\\S+) TO ", Pattern.CASE_INSENSITIVE);

  private record Grant(List<String> privileges, String database) {}

  private final List<Grant> grants;

  private Grants(List<Grant> grants) {
    this.grants = grants;
  }

  static Grants of(Connection c) throws SQLException {
    List<Grant> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GRANTS")) {
      while (rs.next()) {
        Matcher m = GRANT.matcher(rs.getString(1));
        if (m.find()) {
          List<String> privs = new ArrayList<>();
          for (String p : m.group(1).split(",")) {
            privs.add(p.trim().replaceAll("\\s*\\(.*\\)$", "").toUpperCase(Locale.ROOT));
          }
          String object = m.group(2);
          if (!object.contains(".")) {
            continue; // GRANT PROXY ON ''@'%' and the like
          }
          String db = object.startsWith("*.") ? "*" : object.substring(0, object.indexOf('.')).replace("`", "");
          out.add(new Grant(privs, db.replace("\\_", "_")));
        }
      }
    }
    return new Grants(out);
  }

  /** Whether any of {@code alternatives} is granted globally or on {@code database} ("*" = global only). */
  boolean has(String database, String... alternatives) {
    for (Grant g : grants) {
      boolean applies = g.database.equals("*") || !database.equals("*") && matches(g.database, database);
      if (!applies) {
        continue;
      }
      for (String p : g.privileges) {
        if (p.equals("ALL PRIVILEGES") || p.equals("ALL")) {
          return true;
        }
        for (String a : alternatives) {
          if (p.equals(a)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean matches(String pattern, String database) {
    String regex = Pattern.quote(pattern).replace("%", "\\E.*\\Q").replace("_", "\\E.\\Q");
    return database.matches(regex) || pattern.equals(database);
  }
}
