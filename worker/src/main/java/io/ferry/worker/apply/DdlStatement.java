package io.ferry.worker.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a logged DDL statement touches, read with a small pattern matcher rather than a SQL parser:
 * table DDL ({@code CREATE/ALTER/DROP/TRUNCATE/RENAME TABLE}, {@code CREATE/DROP INDEX ... ON}) yields
 * the tables it names; anything else (databases, views, routines, grants) yields none. Also rewrites
 * database names for the rename map.
 */
record DdlStatement(String sql, String defaultDatabase, List<String[]> tables) {
  private static final String NAME = "(?:`(?:[^`]|``)+`|[A-Za-z0-9_$]+)";
  private static final String QUALIFIED = NAME + "(?:\\s*\\.\\s*" + NAME + ")?";
  private static final Pattern TABLE_DDL = Pattern.compile("^\\s*(?:/\\*.*?\\*/\\s*)?(CREATE|ALTER|DROP|TRUNCATE)"
      + "\\s+(?:OR\\s+REPLACE\\s+)?(?:ONLINE\\s+|OFFLINE\\s+|IGNORE\\s+)*(TEMPORARY\\s+)?TABLE\\s+"
      + "(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?(" + QUALIFIED + "(?:\\s*,\\s*" + QUALIFIED + ")*)",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern RENAME = Pattern.compile("^\\s*RENAME\\s+TABLES?\\s+(.*)$",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern INDEX = Pattern.compile("^\\s*(?:CREATE|DROP)\\s+(?:OR\\s+REPLACE\\s+)?"
      + "(?:ONLINE\\s+|OFFLINE\\s+)?(?:UNIQUE\\s+|FULLTEXT\\s+|SPATIAL\\s+)?INDEX\\s+(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?"
      + NAME + "\\s+ON\\s+(" + QUALIFIED + ")", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern ONE = Pattern.compile(QUALIFIED);
  /** The RENAME clause of an ALTER TABLE ({@code RENAME [TO|AS] name}), not RENAME COLUMN/INDEX/KEY. */
  private static final Pattern ALTER_RENAME = Pattern.compile("\\bRENAME\\s+(?:(?:TO|AS)\\s+)?(?!COLUMN\\b|INDEX\\b|KEY\\b)("
      + QUALIFIED + ")", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  static DdlStatement parse(String sql, String defaultDatabase) {
    List<String[]> tables = new ArrayList<>();
    Matcher m = TABLE_DDL.matcher(sql);
    if (m.find()) {
      if (m.group(2) == null) {
        names(m.group(3), defaultDatabase, tables);
        Matcher rename = ALTER_RENAME.matcher(sql.substring(m.end()));
        if (m.group(1).equalsIgnoreCase("ALTER") && tables.size() == 1 && rename.find()) {
          names(rename.group(1), defaultDatabase, tables); // ALTER TABLE a RENAME TO b: a then b, as RENAME TABLE
        }
      }
    } else if ((m = RENAME.matcher(sql)).find()) {
      names(m.group(1).replaceAll("(?i)\\s+TO\\s+", ","), defaultDatabase, tables);
    } else if ((m = INDEX.matcher(sql)).find()) {
      names(m.group(1), defaultDatabase, tables);
    }
    return new DdlStatement(sql, defaultDatabase, tables);
  }

  /** For a RENAME TABLE or ALTER TABLE … RENAME TO: each {@code {fromDb, fromTable, toDb, toTable}}; else empty. */
  List<String[]> renames() {
    List<String[]> out = new ArrayList<>();
    if (verb().equals("RENAME") || verb().equals("ALTER") && tables.size() == 2) {
      for (int i = 0; i + 1 < tables.size(); i += 2) {
        out.add(new String[] {tables.get(i)[0], tables.get(i)[1], tables.get(i + 1)[0], tables.get(i + 1)[1]});
      }
    }
    return out;
  }

  boolean isTableDdl() {
    return !tables.isEmpty();
  }

  String verb() {
    String s = sql.stripLeading();
    int space = s.indexOf(' ');
    return (space < 0 ? s : s.substring(0, space)).toUpperCase(Locale.ROOT);
  }

  /** The statement with database names of the rename map replaced where they qualify a name. */
  String rewrite(Map<String, String> databaseMap) {
    String out = sql;
    for (Map.Entry<String, String> e : databaseMap.entrySet()) {
      String from = Pattern.quote(e.getKey());
      String to = e.getValue().replace("`", "``");
      out = out.replaceAll("`" + from + "`(\\s*\\.)", Matcher.quoteReplacement("`" + to + "`") + "$1");
      out = out.replaceAll("(?<![`A-Za-z0-9_$.])" + from + "(\\s*\\.\\s*[`A-Za-z0-9_$])",
          Matcher.quoteReplacement("`" + to + "`") + "$1");
    }
    return out;
  }

  private static void names(String list, String defaultDatabase, List<String[]> out) {
    Matcher m = ONE.matcher(list);
    while (m.find()) {
      String[] parts = m.group().split("\\s*\\.\\s*(?=(?:[^`]*`[^`]*`)*[^`]*$)", 2);
      if (parts.length == 2) {
        out.add(new String[] {unquote(parts[0]), unquote(parts[1])});
      } else {
        out.add(new String[] {defaultDatabase, unquote(parts[0])});
      }
    }
  }

  private static String unquote(String name) {
    String n = name.trim();
    return n.startsWith("`") ? n.substring(1, n.length() - 1).replace("``", "`") : n;
  }
}
