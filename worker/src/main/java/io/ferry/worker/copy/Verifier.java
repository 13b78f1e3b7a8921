package io.ferry.worker.copy;

import io.ferry.worker.config.JobConfig;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.jdbc.Jdbc;
import io.ferry.worker.jdbc.SourceQueries;
import io.ferry.worker.position.BinlogPosition;
import io.ferry.worker.schema.SchemaReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Compares a job's source and destination tables while the job keeps replicating (the VDiff of
 * Ferry). Each table is walked in key order in ranges of {@link #CHUNK_ROWS} rows; a range whose row
 * count and XOR of 64-bit row hashes are equal on both sides matches. A range that differs is looked
 * at row by row, in rounds: read the source's rows, note the source's binlog position, wait until the
 * job's checkpoint has passed it, read the destination's rows, read the source's rows again. A key
 * counts as different in a round only when the source did not change it meanwhile (otherwise the
 * round says nothing about it); it is reported only when it differs in {@link #ROUNDS} rounds. So lag
 * never shows up as a mismatch, and a row changed behind Ferry's back does. Tables without a key are
 * compared by their whole-table count and hash.
 */
public final class Verifier {
  static final int CHUNK_ROWS = 1_000;
  static final int ROUNDS = 3;
  private static final int MAX_ATTEMPTS = 10;

  /** One table's result; {@code mismatches} lists differing keys ({@code col=value}), at most the first N. */
  public record TableResult(String table, boolean match, long rowsChecked, List<String> mismatches) {}

  /** The whole comparison: {@code match} when every table matches. */
  public record Report(boolean match, List<TableResult> tables) {}

  /** Told after every key range how far the comparison has come; called on the verifying thread. */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (tablesDone, tablesTotal, rowsChecked, currentTable) -> { };

    /** @param currentTable the table being compared, or null once all are done */
    void at(int tablesDone, int tablesTotal, long rowsChecked, String currentTable);
  }

  private final JobConfig job;
  private final Duration catchUp;
  private final int maxKeys;
  private final Clock clock;
  private Connection meta;
  private Progress progress = Progress.NONE;
  private int tablesDone;
  private int tablesTotal;
  private long rowsBefore;

  /**
   * @param catchUp how long to wait for the job's checkpoint to pass the source's position
   * @param maxKeys how many differing keys to list per table
   */
  public Verifier(JobConfig job, Duration catchUp, int maxKeys, Clock clock) {
    this.job = job;
    this.catchUp = catchUp;
    this.maxKeys = maxKeys;
    this.clock = clock;
  }

  public Report run() {
    return run(Progress.NONE);
  }

  /** Compares every table, telling {@code progress} how far it has come. */
  public Report run(Progress progress) {
    this.progress = progress;
    // Row data is read as the servers' own bytes; names and positions on a session of its own.
    try (Connection meta = Jdbc.connect(job.source(), "source", job.id(), null);
         Connection source = Jdbc.connect(job.source(), "source", job.id(), null);
         Connection dest = Jdbc.connect(job.destination(), "destination", job.id(), null)) {
      this.meta = meta;
      for (Connection c : List.of(source, dest)) {
        try (Statement s = c.createStatement()) {
          s.execute("SET SESSION time_zone = '+00:00', character_set_results = binary");
        }
      }
      List<TableResult> results = new ArrayList<>();
      List<String[]> tables = SchemaReader.includedTables(meta, job.tables());
      tablesTotal = tables.size();
      for (String[] t : tables) {
        TablePlan plan = TablePlan.read(meta, t[0], t[1], job.destinationDatabase(t[0]));
        if (plan != null) {
          TableResult r = plan.hasKey() ? keyed(source, dest, plan) : whole(source, dest, plan);
          results.add(r);
          rowsBefore += r.rowsChecked();
        }
        tablesDone++;
        progress.at(tablesDone, tablesTotal, rowsBefore, null);
      }
      return new Report(results.stream().allMatch(TableResult::match), results);
    } catch (SQLException e) {
      throw Jdbc.classify(e, job.source(), "verify", job.id());
    }
  }

  private TableResult keyed(Connection source, Connection dest, TablePlan plan) throws SQLException {
    List<String> from = null;
    long rows = 0;
    List<String> mismatches = new ArrayList<>();
    int differing = 0;
    while (true) {
      List<String> to = boundary(source, plan, from);
      long[] a = aggregate(source, plan, from, to, false);
      long[] b = aggregate(dest, plan, from, to, true);
      rows += a[0];
      progress.at(tablesDone, tablesTotal, rowsBefore + rows, plan.sourceName());
      if (a[0] != b[0] || a[1] != b[1]) {
        for (String key : confirm(source, dest, plan, from, to)) {
          differing++;
          if (mismatches.size() < maxKeys) {
            mismatches.add(key);
          }
        }
      }
      if (to == null) {
        break;
      }
      from = to;
    }
    return new TableResult(plan.sourceName(), differing == 0, rows, mismatches);
  }

  private TableResult whole(Connection source, Connection dest, TablePlan plan) throws SQLException {
    for (int attempt = 0; ; attempt++) {
      long[] a = aggregate(source, plan, null, null, false);
      awaitCheckpoint(dest, SourceQueries.currentPosition(meta));
      long[] b = aggregate(dest, plan, null, null, true);
      long[] again = aggregate(source, plan, null, null, false);
      boolean stable = a[0] == again[0] && a[1] == again[1];
      if (stable || attempt >= MAX_ATTEMPTS) {
        boolean match = a[0] == b[0] && a[1] == b[1];
        return new TableResult(plan.sourceName(), match, a[0], match ? List.of()
            : List.of("(no key: " + a[0] + " rows on the source, " + b[0] + " on the destination, hashes "
                + (a[1] == b[1] ? "equal" : "differ") + ")"));
      }
    }
  }

  /** The last key of the range of CHUNK_ROWS rows after {@code from}, or null when fewer remain. */
  private List<String> boundary(Connection source, TablePlan plan, List<String> from) throws SQLException {
    return plan.keyAfter(source, from, CHUNK_ROWS - 1);
  }

  /** Row count and the XOR of the rows' 64-bit hashes over a key range. */
  private static long[] aggregate(Connection c, TablePlan plan, List<String> from, List<String> to, boolean dest)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COALESCE(BIT_XOR(CAST(CONV(LEFT("
        + plan.rowHash() + ", 16), 16, 10) AS UNSIGNED)), 0) FROM " + plan.qualified(dest)
        + plan.rangeWhere(from != null, to != null))) {
      plan.bindRange(ps, 1, from, to);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), Long.parseUnsignedLong(new String(rs.getBytes(2), StandardCharsets.US_ASCII))};
      }
    }
  }

  /** The keys of a range that differ in ROUNDS rounds in which the source held them still. */
  private List<String> confirm(Connection source, Connection dest, TablePlan plan, List<String> from, List<String> to)
      throws SQLException {
    Map<String, Integer> strikes = new HashMap<>();
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Map<String, String> before = rows(source, plan, from, to, false);
      awaitCheckpoint(dest, SourceQueries.currentPosition(meta));
      Map<String, String> there = rows(dest, plan, from, to, true);
      Map<String, String> after = rows(source, plan, from, to, false);
      Map<String, Integer> next = new HashMap<>();
      boolean settled = true;
      for (String key : union(before, there)) {
        String want = before.get(key);
        if (Objects.equals(want, there.get(key))) {
          continue;
        }
        if (!Objects.equals(want, after.get(key))) {
          settled = false; // the source changed it meanwhile: this round says nothing about it
          if (strikes.containsKey(key)) {
            next.put(key, strikes.get(key));
          }
          continue;
        }
        next.put(key, strikes.getOrDefault(key, 0) + 1);
      }
      strikes = next;
      if (strikes.isEmpty() && settled) {
        return List.of();
      }
      if (!strikes.isEmpty() && strikes.values().stream().allMatch(n -> n >= ROUNDS)) {
        return new ArrayList<>(strikes.keySet().stream().sorted().toList());
      }
    }
    return strikes.entrySet().stream().filter(e -> e.getValue() >= ROUNDS).map(Map.Entry::getKey).sorted().toList();
  }

  /** The rows of a key range: displayed key → row hash. */
  private static Map<String, String> rows(Connection c, TablePlan plan, List<String> from, List<String> to,
                                          boolean dest) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + plan.keyList() + ", " + plan.rowHash() + " FROM "
        + plan.qualified(dest) + plan.rangeWhere(from != null, to != null) + " ORDER BY " + plan.keyList())) {
      plan.bindRange(ps, 1, from, to);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<String> parts = new ArrayList<>();
          for (int i = 0; i < plan.key.length; i++) {
            CopyColumn k = plan.columns.get(plan.key[i]);
            byte[] v = rs.getBytes(i + 1);
            String shown = k.kind() == CopyColumn.Kind.BYTES ? "0x" + HexFormat.of().formatHex(v)
                : new String(v, StandardCharsets.UTF_8);
            parts.add(k.name() + "=" + shown);
          }
          out.put(String.join(",", parts), new String(rs.getBytes(plan.key.length + 1), StandardCharsets.US_ASCII));
        }
      }
    }
    return out;
  }

  private static List<String> union(Map<String, String> a, Map<String, String> b) {
    List<String> keys = new ArrayList<>(a.keySet());
    b.keySet().stream().filter(k -> !a.containsKey(k)).forEach(keys::add);
    return keys;
  }

  /** Waits until the job's checkpoint at the destination has reached {@code position}. */
  private void awaitCheckpoint(Connection dest, BinlogPosition position) throws SQLException {
    long deadline = clock.millis() + catchUp.toMillis();
    while (true) {
      BinlogPosition at = checkpoint(dest);
      if (at != null && at.compareTo(position) >= 0) {
        return;
      }
      if (clock.millis() > deadline) {
        throw FerryException.fatal("VERIFY_LAGGING", "job " + job.id() + ": the destination's checkpoint " + at
            + " did not reach the source's position " + position + " within " + catchUp.toSeconds() + " s",
            "Verify compares at a position the job has applied: make sure the job runs and has caught up, then "
                + "verify again.");
      }
      LockSupport.parkNanos(50_000_000L);
    }
  }

  private BinlogPosition checkpoint(Connection dest) throws SQLException {
    try (PreparedStatement ps = dest.prepareStatement("SELECT binlog_file, binlog_pos FROM "
        + Jdbc.quote(job.tuning().ferrySchema(), "checkpoint") + " WHERE job_id = ?")) {
      ps.setString(1, job.id());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getBytes(1) == null) {
          return null;
        }
        return new BinlogPosition(new String(rs.getBytes(1), StandardCharsets.UTF_8), rs.getLong(2), "");
      }
    }
  }
}
