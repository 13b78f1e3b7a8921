package io.ferry.app.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** What a chaos run saw: per fault and phase, and the final comparison; printed as a Markdown table. */
public final class ChaosReport {
  static final String BEGIN = "<!-- chaos:begin -->";
  static final String END = "<!-- chaos:end -->";

  /** One fault × phase line. */
  static final class Line {
    int runs;
    int recovered;
    long recoverMillisTotal;
    long recoverMillisMax;
    long rowsChecked;
    int mismatches;

    void add(boolean ok, long recoverMillis, long rows, boolean mismatch) {
      runs++;
      if (ok) {
        recovered++;
        recoverMillisTotal += recoverMillis;
        recoverMillisMax = Math.max(recoverMillisMax, recoverMillis);
      }
      rowsChecked += rows;
      if (mismatch) {
        mismatches++;
      }
    }
  }

  private final long seed;
  private final Map<String, Line> lines = new TreeMap<>();
  private final List<String> notes = new ArrayList<>();
  private long millis;
  private long finalRows;
  private int finalMismatches = -1;
  private int secretsSeen;
  private long transactions;

  ChaosReport(long seed) {
    this.seed = seed;
  }

  synchronized void record(Fault fault, Phase phase, boolean recovered, long recoverMillis, long rows, boolean mismatch) {
    lines.computeIfAbsent(fault.label() + "|" + phase.label(), k -> new Line())
        .add(recovered, recoverMillis, rows, mismatch);
  }

  synchronized void note(String line) {
    notes.add(line);
  }

  synchronized void finish(long elapsedMillis, long transactionsWritten, long rows, int mismatches, int secrets) {
    this.millis = elapsedMillis;
    this.transactions = transactionsWritten;
    this.finalRows = rows;
    this.finalMismatches = mismatches;
    this.secretsSeen = secrets;
  }

  /** No mismatch, every fault recovered, the final comparison equal, no password in a log. */
  public synchronized boolean passed() {
    if (finalMismatches != 0 || secretsSeen != 0) {
      return false;
    }
    for (Line l : lines.values()) {
      if (l.mismatches > 0 || l.recovered < l.runs) {
        return false;
      }
    }
    return true;
  }

  public synchronized String markdown() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "Chaos run of %.1f minutes, seed %d, %s: %d source transactions written.%n%n",
        millis / 60_000.0, seed, Instant.now().truncatedTo(ChronoUnit.SECONDS), transactions));
    b.append("| Fault | Phase | Runs | Recovered | Time to recover, mean / max (s) | Rows checked | Mismatches |\n");
    b.append("|---|---|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<String, Line> e : lines.entrySet()) {
      String[] k = e.getKey().split("\\|");
      Line l = e.getValue();
      String ttr = l.recovered == 0 ? "—" : String.format(Locale.ROOT, "%.1f / %.1f",
          l.recoverMillisTotal / 1000.0 / l.recovered, l.recoverMillisMax / 1000.0);
      b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %,d | %d |%n", k[0], k[1], l.runs, l.recovered,
          ttr, l.rowsChecked, l.mismatches));
    }
    b.append(String.format(Locale.ROOT, "| **final comparison** | all | 1 | %d | — | %,d | %d |%n",
        finalMismatches == 0 ? 1 : 0, finalRows, Math.max(0, finalMismatches)));
    b.append(String.format(Locale.ROOT, "%nPasswords found in the job processes' logs: %d. Result: %s.%n", secretsSeen,
        passed() ? "PASSED" : "FAILED"));
    for (String n : notes) {
      b.append("\n- ").append(n);
    }
    return b.toString();
  }

  /** Replaces the section between the markers in {@code file} (appends one when it has none). */
  public void writeInto(Path file) throws IOException {
    String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    String section = BEGIN + "\n" + markdown().trim() + "\n" + END;
    int a = text.indexOf(BEGIN);
    int z = text.indexOf(END);
    String out = a >= 0 && z > a ? text.substring(0, a) + section + text.substring(z + END.length())
        : text + (text.endsWith("\n") || text.isEmpty() ? "" : "\n") + "\n" + section + "\n";
    Files.writeString(file, out, StandardCharsets.UTF_8);
  }
}
