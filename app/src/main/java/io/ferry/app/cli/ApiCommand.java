package io.ferry.app.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Mixin;

/**
 * A command that talks to the control plane: prints the answer as a table (or JSON with {@code --json})
 * and maps failures to exit codes (2 the API refused, 3 it could not be reached, 4 a verify differs).
 */
abstract class ApiCommand implements Callable<Integer> {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");
  private static final Logger LOG = LoggerFactory.getLogger(ApiCommand.class);

  @Mixin
  ApiOptions api;

  /** Does the work; returns the exit code. */
  abstract int run(ApiClient client);

  @Override
  public Integer call() {
    try {
      return run(api.client());
    } catch (CliException e) {
      LOG.error("{}", e.getMessage());
      return e.exitCode();
    }
  }

  static String path(String... parts) {
    StringBuilder out = new StringBuilder();
    for (String p : parts) {
      out.append('/').append(java.net.URLEncoder.encode(p, java.nio.charset.StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  /** Prints an object: its JSON with --json, else one "field: value" line per field. */
  void printObject(Object answer) {
    if (api.json() || !(answer instanceof JsonObject o)) {
      CONSOLE.info("{}", answer instanceof JsonObject j ? j.encodePrettily()
          : answer instanceof JsonArray a ? a.encodePrettily() : String.valueOf(answer));
      return;
    }
    o.forEach(e -> CONSOLE.info("{}: {}", e.getKey(), e.getValue() instanceof JsonObject || e.getValue() instanceof JsonArray
        ? ((Object) e.getValue()).toString() : e.getValue()));
  }

  /** Prints rows: their JSON with --json, else a table of {@code columns} (dotted paths into each row). */
  void printTable(Object answer, String... columns) {
    if (api.json() || !(answer instanceof JsonArray rows)) {
      printObject(answer);
      return;
    }
    List<String[]> lines = new ArrayList<>();
    String[] header = new String[columns.length];
    for (int i = 0; i < columns.length; i++) {
      header[i] = columns[i].toUpperCase(java.util.Locale.ROOT);
    }
    lines.add(header);
    for (Object r : rows) {
      String[] line = new String[columns.length];
      for (int i = 0; i < columns.length; i++) {
        Object v = value((JsonObject) r, columns[i]);
        line[i] = v == null ? "-" : v.toString();
      }
      lines.add(line);
    }
    int[] width = new int[columns.length];
    lines.forEach(l -> {
      for (int i = 0; i < l.length; i++) {
        width[i] = Math.max(width[i], l[i].length());
      }
    });
    for (String[] l : lines) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < l.length; i++) {
        sb.append(i == l.length - 1 ? l[i] : String.format("%-" + (width[i] + 2) + "s", l[i]));
      }
      CONSOLE.info("{}", sb.toString().stripTrailing());
    }
  }

  static Object value(JsonObject row, String dotted) {
    Object v = row;
    for (String part : dotted.split("\\.")) {
      v = v instanceof JsonObject o ? o.getValue(part) : null;
    }
    return v;
  }

  static void say(String format, Object... args) {
    CONSOLE.info(format, args);
  }
}
