package io.ferry.worker.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which source tables a job replicates: {@code include} and {@code exclude} patterns of the form
 * {@code db.table}, {@code db.*} or with {@code *} anywhere. An empty include list means nothing is
 * included. Ferry's own schema on a server is never included.
 */
public record TableFilter(List<String> include, List<String> exclude) {
  public static final String FERRY_SCHEMA = "_ferry";
  /** Compiled patterns: matching runs for every rows event, compiling once is enough. */
  private static final java.util.Map<String, Pattern> COMPILED = new java.util.concurrent.ConcurrentHashMap<>();

  public TableFilter {
    include = List.copyOf(include == null ? List.of() : include);
    exclude = List.copyOf(exclude == null ? List.of() : exclude);
  }

  public boolean matches(String database, String table) {
    if (database == null || FERRY_SCHEMA.equalsIgnoreCase(database)) {
      return false;
    }
    String name = database + "." + table;
    return include.stream().anyMatch(p -> glob(p, name)) && exclude.stream().noneMatch(p -> glob(p, name));
  }

  /** Databases named literally by the include patterns (those without a wildcard in the db part). */
  public List<String> literalDatabases() {
    return include.stream()
        .map(p -> p.substring(0, Math.max(0, p.indexOf('.'))))
        .filter(db -> !db.isEmpty() && !db.contains("*"))
        .distinct()
        .toList();
  }

  void validate(List<String> problems) {
    if (include.isEmpty()) {
      problems.add("tables.include must list at least one pattern such as \"shop.*\"");
    }
    for (String p : include) {
      checkPattern("tables.include", p, problems);
    }
    for (String p : exclude) {
      checkPattern("tables.exclude", p, problems);
    }
  }

  private static void checkPattern(String field, String p, List<String> problems) {
    if (p == null || !p.matches("[^.\\s]+\\.[^.\\s]+")) {
      problems.add(field + ": \"" + p + "\" is not of the form db.table or db.*");
    }
  }

  private static boolean glob(String pattern, String name) {
    return COMPILED.computeIfAbsent(pattern, TableFilter::compile).matcher(name).matches();
  }

  private static Pattern compile(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (String part : pattern.split("\\*", -1)) {
      if (!regex.isEmpty()) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
  }
}
