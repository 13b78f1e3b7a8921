package io.ferry.mariadb.check;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a build's test run: every secret the {@link SecretLedger ledgers} of the modules hold, searched for in
 * everything the run printed — each test class's output (all its loggers, exceptions with their causes, answers the
 * tests printed), the test reports, and the logs of the Ferry processes the tests started. A secret found anywhere
 * fails the build with the file and line (the secret itself masked).
 *
 * <p>The one line allowed to show a secret is the control plane's bootstrap line that shows a generated admin token
 * once to the operator who started it (API.md); its marker is {@link #ALLOWED}.
 *
 * <p>Usage: {@code SecretScan ROOT} — the project's root; the ledgers are {@code ROOT/<module>/target/secret-ledger.txt},
 * the scanned files everything under {@code ROOT/<module>/target/} in {@code surefire-reports},
 * {@code failsafe-reports*} and {@code child-logs}.
 */
public final class SecretScan {
  /** The file name of a module's ledger in its build directory. */
  public static final String LEDGER = "secret-ledger.txt";
  static final String ALLOWED = "Admin token (shown once";
  private static final Logger LOG = LoggerFactory.getLogger(SecretScan.class);

  private final Map<String, List<String>> byPrefix = new HashMap<>();
  private final List<String> findings = new ArrayList<>();
  private long lines;

  SecretScan(Set<String> secrets) {
    for (String s : secrets) {
      byPrefix.computeIfAbsent(s.substring(0, SecretLedger.MIN_LENGTH), k -> new ArrayList<>()).add(s);
    }
  }

  /** What a scan found: a summary line and one line per secret found (none: the run is clean). */
  record Report(String summary, List<String> findings) {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      LOG.error("usage: SecretScan PROJECT_ROOT");
      System.exit(2);
    }
    Report report = run(Path.of(args[0]));
    if (report.findings().isEmpty()) {
      LOG.info(report.summary());
    } else {
      LOG.error("{}\n  {}", report.summary(), String.join("\n  ", report.findings()));
      System.exit(1);
    }
  }

  /** Scans the project at {@code project}. */
  static Report run(Path project) throws IOException {
    Path root = project.toAbsolutePath().normalize();
    List<Path> targets = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      modules.map(m -> m.resolve("target")).filter(Files::isDirectory).sorted().forEach(targets::add);
    }
    Set<String> secrets = new LinkedHashSet<>();
    for (Path target : targets) {
      Path ledger = target.resolve(LEDGER);
      if (Files.exists(ledger)) {
        for (String line : Files.readAllLines(ledger, StandardCharsets.US_ASCII)) {
          if (!line.isBlank()) {
            secrets.add(new String(Base64.getDecoder().decode(line.trim()), StandardCharsets.UTF_8));
          }
        }
      }
    }
    SecretScan scan = new SecretScan(secrets);
    int files = 0;
    for (Path target : targets) {
      for (Path file : outputs(target)) {
        scan.scan(root, file);
        files++;
      }
    }
    return new Report(String.format("secret scan: %d secrets handed out by the tests, %d files, %d lines: %s",
        secrets.size(), files, scan.lines, scan.findings.isEmpty() ? "none found" : scan.findings.size() + " found"),
        List.copyOf(scan.findings));
  }

  private static List<Path> outputs(Path target) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(target)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        String name = dir.getFileName().toString();
        if (name.equals("surefire-reports") || name.startsWith("failsafe-reports") || name.equals("child-logs")) {
          try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).sorted().forEach(files::add);
          }
        }
      }
    }
    return files;
  }

  void scan(Path root, Path file) throws IOException {
    var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        lines++;
        String found = find(line);
        if (found != null && !line.contains(ALLOWED)) {
          findings.add(root.relativize(file) + ":" + number + ": "
              + line.replace(found, found.substring(0, 2) + "…(secret)").strip());
        }
      }
    }
  }

  /** The first secret {@code line} contains, or null. */
  String find(String line) {
    int k = SecretLedger.MIN_LENGTH;
    for (int i = 0; i + k <= line.length(); i++) {
      List<String> candidates = byPrefix.get(line.substring(i, i + k));
      if (candidates != null) {
        for (String s : candidates) {
          if (line.startsWith(s, i)) {
            return s;
          }
        }
      }
    }
    return null;
  }
}
