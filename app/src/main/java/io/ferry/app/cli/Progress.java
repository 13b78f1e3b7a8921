package io.ferry.app.cli;

import io.vertx.core.json.JsonObject;

/** The lines the CLI prints for a copy in progress and for a verify report. */
public final class Progress {
  private static final int BAR = 30;

  private Progress() {}

  /** {@code [#########.....]  45%  tables 1/4  rows 120,000  9,500 rows/s  ETA 30 s  (shop.orders)}. */
  public static String copyLine(JsonObject job) {
    JsonObject s = job.getJsonObject("snapshot");
    if (s == null) {
      return job.getString("id") + ": " + job.getString("state");
    }
    long copied = s.getLong("rowsCopied", 0L);
    Long eta = s.getLong("etaSeconds");
    double rate = s.getDouble("rowsPerSecond", 0.0);
    double done = eta == null || rate <= 0 ? (double) s.getInteger("tablesDone", 0) / Math.max(1, s.getInteger("tablesTotal", 1))
        : copied / (copied + eta * rate);
    int filled = (int) Math.round(Math.min(1, done) * BAR);
    return String.format("[%s%s] %3d%%  tables %d/%d  rows %,d  %,d rows/s  ETA %s%s", "#".repeat(filled),
        ".".repeat(BAR - filled), Math.round(done * 100), s.getInteger("tablesDone", 0), s.getInteger("tablesTotal", 0),
        copied, Math.round(rate), eta == null ? "?" : eta + " s",
        s.getString("currentTable") == null ? "" : "  (" + s.getString("currentTable") + ")");
  }

  /** {@code [#########.....]  tables 1/3  rows 250,000 checked  (shop.orders)} for a running verify. */
  static String verifyLine(JsonObject report, long seconds) {
    JsonObject p = report.getJsonObject("progress");
    if (p == null) {
      return "verify " + report.getString("id") + ": running (" + seconds + " s)";
    }
    int total = Math.max(1, p.getInteger("tablesTotal", 1));
    int filled = (int) Math.round(Math.min(1.0, (double) p.getInteger("tablesDone", 0) / total) * BAR);
    return String.format("[%s%s]  tables %d/%d  rows %,d checked  %d s%s", "#".repeat(filled), ".".repeat(BAR - filled),
        p.getInteger("tablesDone", 0), p.getInteger("tablesTotal", 0), p.getLong("rowsChecked", 0L), seconds,
        p.getString("currentTable") == null ? "" : "  (" + p.getString("currentTable") + ")");
  }

  static void printReport(JsonObject report) {
    ApiCommand.say("verify {}: {}", report.getString("id", "-"), report.getString("state"));
    for (Object o : report.getJsonArray("tables", new io.vertx.core.json.JsonArray())) {
      JsonObject t = (JsonObject) o;
      ApiCommand.say("  {}  {}  {} rows checked{}", t.getBoolean("match") ? "match    " : "DIFFERENT", t.getString("table"),
          t.getLong("rowsChecked"), t.getJsonArray("mismatches").isEmpty() ? ""
              : "; differing keys: " + String.join("; ", t.getJsonArray("mismatches").getList()));
    }
    JsonObject error = report.getJsonObject("error");
    if (error != null) {
      ApiCommand.say("  {}: {} Remedy: {}", error.getString("code"), error.getString("message"), error.getString("remedy"));
    }
  }
}
