package io.ferry.app.chaos;

import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import io.ferry.mariadb.net.TcpProxy;
import io.ferry.worker.position.BinlogPosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chaos soak. Two embedded servers; the job's connections go through {@link TcpProxy} pairs (one pair
 * for the streaming job, one for the snapshot jobs, whose destination side is held to 1 MB/s so a copy
 * lasts long enough to be hit). The streaming job ({@code chaos.*} to {@code chaos_copy}) runs in a child
 * process ({@link ChaosChild}) for the whole run while {@link ChaosLoad} writes to the source. Each round
 * takes the next (fault, phase) of a seeded shuffle of all of them: a streaming round hits the streaming
 * job; a copy round starts a fresh snapshot job of {@code chaos_big} (60,000 rows) and hits it mid-copy
 * ({@link FaultInjector}). After the fault ends the round waits for the job to pass the source's end of
 * binlog (the time to recover), then compares by CHECKSUM TABLE and row count ({@link ChaosChecks}) — for
 * a streaming round with the load paused for that moment.
 */
final class ChaosRun {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");
  private static final String USER = "ferry_chaos";
  private static final int BIG_ROWS = 60_000;
  private static final long COPY_BANDWIDTH = 1_000_000;
  private static final long RECOVER_TIMEOUT_MILLIS = 150_000;

  private final long seed;
  private final long millis;
  private final Path workDirOption;
  private final Random random;
  private final ChaosReport report;
  private final String sourcePassword = secret();
  private final String destinationPassword = secret();
  private final List<Path> childLogs = new ArrayList<>();
  private final long began = System.currentTimeMillis();
  private Path work;
  private MariaDbServer source;
  private MariaDbServer destination;
  private ChaosChecks checks;
  private FaultInjector faults;
  private ChaosLoad load;

  ChaosRun(long seed, long millis, Path workDir) {
    this.seed = seed;
    this.millis = millis;
    this.workDirOption = workDir;
    this.random = new Random(seed);
    this.report = new ChaosReport(seed);
  }

  private static String secret() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return "Chaos-" + HexFormat.of().formatHex(b);
  }

  ChaosReport run() throws Exception {
    work = workDirOption != null ? Files.createDirectories(workDirOption) : Files.createTempDirectory("ferry-chaos-");
    say("seed %d, %.1f minutes of faults; job files and logs in %s", seed, millis / 60_000.0, work);
    try (MariaDbServer src = MariaDbServer.start(MariaDbConfig.builder().role(MariaDbConfig.Role.SOURCE).serverId(1)
             .build());
         MariaDbServer dst = MariaDbServer.start(MariaDbConfig.builder().role(MariaDbConfig.Role.DESTINATION)
             .serverId(2).build());
         TcpProxy srcProxy = TcpProxy.start(src.port());
         TcpProxy dstProxy = TcpProxy.start(dst.port());
         TcpProxy copySrcProxy = TcpProxy.start(src.port());
         TcpProxy copyDstProxy = TcpProxy.start(dst.port())) {
      source = src;
      destination = dst;
      checks = new ChaosChecks(src, dst);
      faults = new FaultInjector(random, dst);
      setUp();
      copyDstProxy.bandwidth(COPY_BANDWIDTH);
      ChaosChild main = child("chaos", writeJob("chaos", "chaos", "chaos_copy", srcProxy, dstProxy, "current"));
      try (ChaosLoad l = new ChaosLoad(source, random)) {
        load = l;
        main.start();
        awaitCheckpoint("chaos");
        source.execute("INSERT INTO chaos.accounts SELECT seq, 0, 'opened', NOW(6) FROM chaos.seq_1_to_"
            + ChaosLoad.ACCOUNTS);
        l.start();
        List<Object[]> combos = new ArrayList<>();
        for (Fault f : Fault.values()) {
          for (Phase p : Phase.values()) {
            combos.add(new Object[] {f, p});
          }
        }
        long deadline = began + millis;
        int round = 0;
        int copies = 0;
        while (System.currentTimeMillis() < deadline) {
          if (round % combos.size() == 0) {
            Collections.shuffle(combos, random);
          }
          Object[] combo = combos.get(round % combos.size());
          round++;
          Fault fault = (Fault) combo[0];
          Phase phase = (Phase) combo[1];
          if (phase == Phase.STREAMING) {
            streamingRound(round, fault, main, srcProxy, dstProxy);
          } else {
            copies++;
            copyRound(round, copies, fault, copySrcProxy, copyDstProxy);
          }
        }
        finalCheck(main, srcProxy, dstProxy);
      } finally {
        main.stop();
      }
    }
    return report;
  }

  // ---------------------------------------------------------------- rounds

  private void streamingRound(int round, Fault fault, ChaosChild main, TcpProxy srcProxy, TcpProxy dstProxy)
      throws Exception {
    faults.inject(fault, main, srcProxy, dstProxy, 0);
    long t0 = System.currentTimeMillis();
    boolean recovered = awaitCaughtUp("chaos", main, RECOVER_TIMEOUT_MILLIS);
    long ttr = System.currentTimeMillis() - t0;
    long rows = 0;
    boolean mismatch = false;
    if (recovered) {
      load.pause();
      try {
        recovered = awaitCaughtUp("chaos", main, RECOVER_TIMEOUT_MILLIS);
        ChaosChecks.Comparison c = checks.compare("chaos", "chaos_copy", "accounts", "events");
        rows = c.rows();
        mismatch = !c.equal();
      } finally {
        load.resume();
      }
    }
    report.record(fault, Phase.STREAMING, recovered, ttr, rows, mismatch);
    say("round %d: %s during streaming: %s in %.1f s, %,d rows checked, %s", round, fault.label(),
        recovered ? "recovered" : "NOT recovered", ttr / 1000.0, rows, mismatch ? "MISMATCH" : "equal");
  }

  private void copyRound(int round, int n, Fault fault, TcpProxy srcProxy, TcpProxy dstProxy) throws Exception {
    String id = "copy" + n;
    String copyDb = "chaos_big_c" + n;
    ChaosChild child = child(id, writeJob(id, "chaos_big", copyDb, srcProxy, dstProxy,
        "{snapshot: {chunkRows: 1000}}"));
    child.start();
    boolean recovered = false;
    long ttr = 0;
    long rows = 0;
    boolean mismatch = true;
    try {
      boolean copying = checks.awaitRows(copyDb, 90_000);
      if (!copying) {
        report.note("round " + round + ": the copy job " + id + " copied nothing within 90 s; see its log");
      }
      source.execute("UPDATE chaos_big.big SET v = CONCAT('changed in round ', " + round + "), n = n + 1 WHERE id % 97 = "
          + (round % 97));
      faults.inject(fault, child, srcProxy, dstProxy, COPY_BANDWIDTH);
      long t0 = System.currentTimeMillis();
      BinlogPosition end = checks.sourceEnd();
      while (System.currentTimeMillis() - t0 < RECOVER_TIMEOUT_MILLIS) {
        child.supervise(report);
        BinlogPosition cp = checks.checkpoint(id);
        if (cp != null && cp.compareTo(end) >= 0) {
          ChaosChecks.Comparison c = checks.compare("chaos_big", copyDb, "big");
          if (c.equal()) {
            recovered = true;
            mismatch = false;
            rows = c.rows();
            break;
          }
          rows = c.rows();
        }
        Thread.sleep(250);
      }
      ttr = System.currentTimeMillis() - t0;
    } finally {
      child.stop();
    }
    destination.execute("DROP DATABASE IF EXISTS " + copyDb);
    report.record(fault, Phase.COPY, recovered, ttr, rows, mismatch);
    say("round %d: %s during the copy (%s): %s in %.1f s, %,d rows checked, %s", round, fault.label(), id,
        recovered ? "recovered" : "NOT recovered", ttr / 1000.0, rows, mismatch ? "MISMATCH" : "equal");
  }

  private void finalCheck(ChaosChild main, TcpProxy srcProxy, TcpProxy dstProxy) throws Exception {
    srcProxy.heal();
    dstProxy.heal();
    load.stopWriting();
    boolean caughtUp = awaitCaughtUp("chaos", main, RECOVER_TIMEOUT_MILLIS);
    ChaosChecks.Comparison c = checks.compare("chaos", "chaos_copy", "accounts", "events");
    int secrets = scanLogs();
    if (!caughtUp) {
      report.note("the streaming job did not catch up at the end");
    }
    if (load.failures() > 0) {
      report.note(load.failures() + " load transactions failed on the source (rolled back; not counted)");
    }
    report.finish(System.currentTimeMillis() - began, load.committed(), c.rows(), caughtUp && c.equal() ? 0 : 1, secrets);
    say("final: %,d transactions written, %,d rows compared, %s; %d password sightings in %d job logs",
        load.committed(), c.rows(), c.equal() ? "equal" : "MISMATCH", secrets, childLogs.size());
  }

  /** Counts the passwords of this run in the job processes' logs (the job files hold them by design). */
  private int scanLogs() throws IOException {
    int seen = 0;
    for (Path log : childLogs) {
      if (!Files.exists(log)) {
        continue;
      }
      String text = Files.readString(log, StandardCharsets.UTF_8);
      for (String secret : List.of(sourcePassword, destinationPassword)) {
        for (int i = text.indexOf(secret); i >= 0; i = text.indexOf(secret, i + 1)) {
          seen++;
          report.note("a password appears in " + log.getFileName());
        }
      }
    }
    return seen;
  }

  // ---------------------------------------------------------------- set-up and checks

  private void setUp() {
    source.createUser(USER, sourcePassword, "ALL PRIVILEGES ON *.*");
    destination.createUser(USER, destinationPassword, "ALL PRIVILEGES ON *.*");
    source.execute("CREATE DATABASE chaos",
        "CREATE TABLE chaos.accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL, note VARCHAR(100),"
            + " updated DATETIME(6) NOT NULL)",
        "CREATE TABLE chaos.events (id BIGINT AUTO_INCREMENT PRIMARY KEY, account INT NOT NULL, amount INT NOT NULL,"
            + " payload VARBINARY(200), KEY (account))",
        "CREATE DATABASE chaos_big",
        "CREATE TABLE chaos_big.big (id INT PRIMARY KEY, v VARCHAR(80) NOT NULL, n INT NOT NULL)",
        "INSERT INTO chaos_big.big SELECT seq, CONCAT('row ', seq, ' ', SHA1(seq)), seq FROM chaos_big.seq_1_to_"
            + BIG_ROWS);
  }

  private Path writeJob(String id, String db, String copy, TcpProxy srcProxy, TcpProxy dstProxy, String start)
      throws IOException {
    String yaml = "id: " + id + "\n"
        + "source: {host: \"127.0.0.1\", port: " + srcProxy.port() + ", user: \"" + USER + "\", password: \""
        + sourcePassword + "\", tls: disabled}\n"
        + "destination: {host: \"127.0.0.1\", port: " + dstProxy.port() + ", user: \"" + USER + "\", password: \""
        + destinationPassword + "\", tls: disabled}\n"
        + "tables: {include: [\"" + db + ".*\"]}\n"
        + "databaseMap: {" + db + ": " + copy + "}\n"
        + "start: " + start + "\n"
        + "ddl: exec\n"
        + "tuning: {heartbeatSeconds: 1}\n";
    Path file = work.resolve(id + ".yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  private void awaitCheckpoint(String jobId) throws Exception {
    long until = System.currentTimeMillis() + 120_000;
    while (checks.checkpoint(jobId) == null) {
      if (System.currentTimeMillis() > until) {
        throw new IllegalStateException("job " + jobId + " recorded no checkpoint within 2 minutes; see " + work);
      }
      Thread.sleep(200);
    }
  }

  /** Waits until the job's checkpoint reaches the source's end of binlog as it is now; false on timeout. */
  private boolean awaitCaughtUp(String jobId, ChaosChild child, long timeoutMillis) throws Exception {
    BinlogPosition end = checks.sourceEnd();
    long until = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < until) {
      child.supervise(report);
      BinlogPosition cp = checks.checkpoint(jobId);
      if (cp != null && cp.compareTo(end) >= 0) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  private ChaosChild child(String id, Path config) {
    return new ChaosChild(id, config, work, childLogs);
  }

  private void say(String format, Object... args) {
    long s = (System.currentTimeMillis() - began) / 1000;
    CONSOLE.info("{}", String.format(Locale.ROOT, "[chaos %02d:%02d] %s", s / 60, s % 60,
        String.format(Locale.ROOT, format, args)));
  }
}
