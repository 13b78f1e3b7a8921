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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chaos soak. Two embedded servers; the job's connections go through {@link TcpProxy} pairs (one pair
 * for the streaming job, one for the snapshot jobs, whose destination side is held to 1 MB/s so a copy
 * lasts long enough to be hit). The streaming job ({@code chaos.*} to {@code chaos_copy}) runs in a child
 * process for the whole run while two threads write to the source. Each round takes the next (fault,
 * phase) of a seeded shuffle of all of them: a streaming round hits the streaming job; a copy round starts
 * a fresh snapshot job of {@code chaos_big} (60,000 rows) and hits it mid-copy. After the fault ends the
 * round waits for the job to pass the source's end of binlog (the time to recover), then compares by
 * CHECKSUM TABLE and row count — for a streaming round with the load paused for that moment.
 */
final class ChaosRun {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");
  private static final String USER = "ferry_chaos";
  private static final int BIG_ROWS = 60_000;
  private static final int ACCOUNTS = 1_000;
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
  private Load load;

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
      setUp();
      copyDstProxy.bandwidth(COPY_BANDWIDTH);
      Child main = new Child("chaos", writeJob("chaos", "chaos", "chaos_copy", srcProxy, dstProxy, "current"));
      try (Load l = new Load()) {
        load = l;
        main.start();
        awaitCheckpoint("chaos");
        source.execute("INSERT INTO chaos.accounts SELECT seq, 0, 'opened', NOW(6) FROM chaos.seq_1_to_" + ACCOUNTS);
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

  private void streamingRound(int round, Fault fault, Child main, TcpProxy srcProxy, TcpProxy dstProxy)
      throws Exception {
    inject(fault, main, srcProxy, dstProxy, 0);
    long t0 = System.currentTimeMillis();
    boolean recovered = awaitCaughtUp("chaos", main, RECOVER_TIMEOUT_MILLIS);
    long ttr = System.currentTimeMillis() - t0;
    long rows = 0;
    boolean mismatch = false;
    if (recovered) {
      load.pause();
      try {
        recovered = awaitCaughtUp("chaos", main, RECOVER_TIMEOUT_MILLIS);
        Comparison c = compare("chaos", "chaos_copy", "accounts", "events");
        rows = c.rows;
        mismatch = !c.equal;
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
    Child child = new Child(id, writeJob(id, "chaos_big", copyDb, srcProxy, dstProxy,
        "{snapshot: {chunkRows: 1000}}"));
    child.start();
    boolean recovered = false;
    long ttr = 0;
    long rows = 0;
    boolean mismatch = true;
    try {
      boolean copying = awaitRows(copyDb, 90_000);
      if (!copying) {
        report.note("round " + round + ": the copy job " + id + " copied nothing within 90 s; see its log");
      }
      source.execute("UPDATE chaos_big.big SET v = CONCAT('changed in round ', " + round + "), n = n + 1 WHERE id % 97 = "
          + (round % 97));
      inject(fault, child, srcProxy, dstProxy, COPY_BANDWIDTH);
      long t0 = System.currentTimeMillis();
      BinlogPosition end = sourceEnd();
      while (System.currentTimeMillis() - t0 < RECOVER_TIMEOUT_MILLIS) {
        child.supervise(report);
        BinlogPosition cp = checkpoint(id);
        if (cp != null && cp.compareTo(end) >= 0) {
          Comparison c = compare("chaos_big", copyDb, "big");
          if (c.equal) {
            recovered = true;
            mismatch = false;
            rows = c.rows;
            break;
          }
          rows = c.rows;
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

  /** Injects the fault and returns once it is over (healed, restarted). */
  private void inject(Fault fault, Child child, TcpProxy srcProxy, TcpProxy dstProxy, long dstBaseline)
      throws Exception {
    TcpProxy proxy = fault.onSource() ? srcProxy : dstProxy;
    long baseline = fault.onSource() ? 0 : dstBaseline;
    switch (fault) {
      case SOURCE_RESET, DESTINATION_RESET -> {
        proxy.resetAll();
        Thread.sleep(between(500, 2_000));
      }
      case SOURCE_BLACKHOLE, DESTINATION_BLACKHOLE -> {
        proxy.blackhole();
        Thread.sleep(between(4_000, 9_000));
        heal(proxy, baseline);
      }
      case SOURCE_LATENCY, DESTINATION_LATENCY -> {
        proxy.latency(between(50, 300));
        Thread.sleep(between(3_000, 6_000));
        heal(proxy, baseline);
      }
      case SOURCE_BANDWIDTH, DESTINATION_BANDWIDTH -> {
        proxy.bandwidth(between(20_000, 100_000));
        Thread.sleep(between(3_000, 6_000));
        heal(proxy, baseline);
      }
      case WORKER_KILL -> {
        child.kill9();
        Thread.sleep(between(200, 2_000));
        child.start();
      }
      case DESTINATION_RESTART -> {
        destination.kill();
        Thread.sleep(between(200, 2_000));
        destination.restart();
      }
    }
  }

  private static void heal(TcpProxy proxy, long baseline) {
    proxy.heal();
    if (baseline > 0) {
      proxy.bandwidth(baseline);
    }
  }

  private long between(long low, long high) {
    return low + (long) (random.nextDouble() * (high - low));
  }

  private void finalCheck(Child main, TcpProxy srcProxy, TcpProxy dstProxy) throws Exception {
    srcProxy.heal();
    dstProxy.heal();
    load.stopWriting();
    boolean caughtUp = awaitCaughtUp("chaos", main, RECOVER_TIMEOUT_MILLIS);
    Comparison c = compare("chaos", "chaos_copy", "accounts", "events");
    int secrets = scanLogs();
    if (!caughtUp) {
      report.note("the streaming job did not catch up at the end");
    }
    if (load.failures() > 0) {
      report.note(load.failures() + " load transactions failed on the source (rolled back; not counted)");
    }
    report.finish(System.currentTimeMillis() - began, load.committed(), c.rows, caughtUp && c.equal ? 0 : 1, secrets);
    say("final: %,d transactions written, %,d rows compared, %s; %d password sightings in %d job logs",
        load.committed(), c.rows, c.equal ? "equal" : "MISMATCH", secrets, childLogs.size());
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
    while (checkpoint(jobId) == null) {
      if (System.currentTimeMillis() > until) {
        throw new IllegalStateException("job " + jobId + " recorded no checkpoint within 2 minutes; see " + work);
      }
      Thread.sleep(200);
    }
  }

  /** Waits until the job's checkpoint reaches the source's end of binlog as it is now; false on timeout. */
  private boolean awaitCaughtUp(String jobId, Child child, long timeoutMillis) throws Exception {
    BinlogPosition end = sourceEnd();
    long until = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < until) {
      child.supervise(report);
      BinlogPosition cp = checkpoint(jobId);
      if (cp != null && cp.compareTo(end) >= 0) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  private boolean awaitRows(String db, long timeoutMillis) throws Exception {
    long until = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < until) {
      try (Connection c = destination.rootConnection(); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + db + ".big")) {
        if (rs.next() && rs.getLong(1) > 0) {
          return true;
        }
      } catch (SQLException e) {
        // not created yet
      }
      Thread.sleep(50);
    }
    return false;
  }

  private BinlogPosition sourceEnd() throws SQLException {
    try (Connection c = source.rootConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SHOW BINLOG STATUS")) {
      rs.next();
      return new BinlogPosition(rs.getString(1), rs.getLong(2), "");
    }
  }

  /** The job's stored position, or null (none yet, or the destination is down). */
  private BinlogPosition checkpoint(String jobId) {
    try (Connection c = destination.rootConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT binlog_file, binlog_pos FROM _ferry.checkpoint WHERE job_id = ?")) {
      ps.setString(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getString(1) != null ? new BinlogPosition(rs.getString(1), rs.getLong(2), "") : null;
      }
    } catch (SQLException e) {
      return null;
    }
  }

  private record Comparison(long rows, boolean equal) {}

  /** CHECKSUM TABLE and COUNT(*) of each table on both sides. */
  private Comparison compare(String db, String copy, String... tables) throws SQLException {
    long rows = 0;
    boolean equal = true;
    try (Connection s = source.rootConnection(); Connection d = destination.rootConnection()) {
      for (String t : tables) {
        long a = count(s, db, t);
        long b = count(d, copy, t);
        rows += a;
        equal &= a == b && checksum(s, db, t) == checksum(d, copy, t);
      }
    } catch (SQLException e) {
      return new Comparison(rows, false);
    }
    return new Comparison(rows, equal);
  }

  private static long count(Connection c, String db, String table) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + db + "." + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long checksum(Connection c, String db, String table) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CHECKSUM TABLE " + db + "." + table)) {
      rs.next();
      long v = rs.getLong(2);
      return rs.wasNull() ? Long.MIN_VALUE : v;
    }
  }

  private void say(String format, Object... args) {
    long s = (System.currentTimeMillis() - began) / 1000;
    CONSOLE.info("{}", String.format(Locale.ROOT, "[chaos %02d:%02d] %s", s / 60, s % 60,
        String.format(Locale.ROOT, format, args)));
  }

  // ---------------------------------------------------------------- the job process and the load

  /** {@code ferry replicate} as a child JVM with this JVM's class path; each start logs to a new file. */
  private final class Child {
    private final String id;
    private final Path config;
    private Process process;
    private boolean expectedDown;

    Child(String id, Path config) {
      this.id = id;
      this.config = config;
    }

    void start() throws IOException {
      Path log = work.resolve(String.format(Locale.ROOT, "%s-%02d.log", id, childLogs.size()));
      childLogs.add(log);
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      process = new ProcessBuilder(java, "-Dfile.encoding=UTF-8", "-Xmx256m", "-cp",
          System.getProperty("java.class.path"), "io.ferry.app.Main", "replicate", "--config", config.toString(),
          "--progress-seconds", "5").redirectErrorStream(true).redirectOutput(log.toFile()).start();
      expectedDown = false;
    }

    void kill9() throws InterruptedException {
      expectedDown = true;
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then SIGKILL after 30 s. */
    void stop() throws InterruptedException {
      if (process == null) {
        return;
      }
      expectedDown = true;
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }

    /** A process that ended by itself (the job failed for good) is noted and started again. */
    void supervise(ChaosReport into) throws IOException {
      if (process != null && !process.isAlive() && !expectedDown) {
        into.note("job " + id + "'s process exited by itself with code " + process.exitValue() + " (log "
            + childLogs.get(childLogs.size() - 1).getFileName() + "); started again");
        start();
      }
    }
  }

  /** Two threads of small transactions on {@code chaos}; {@link #pause()} waits for those in flight. */
  private final class Load implements AutoCloseable {
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    void start() {
      for (int i = 0; i < 2; i++) {
        long threadSeed = random.nextLong();
        Thread t = new Thread(() -> loop(new Random(threadSeed)), "chaos-load-" + i);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    private void loop(Random r) {
      Connection c = null;
      while (running.get()) {
        gate.readLock().lock();
        try {
          if (!running.get()) {
            return;
          }
          if (c == null) {
            c = DriverManager.getConnection(source.jdbcUrl("chaos"), source.adminUser(), source.adminPassword());
            c.setAutoCommit(false);
          }
          transaction(c, r);
          committed.incrementAndGet();
        } catch (SQLException e) {
          failures.incrementAndGet();
          try {
            if (c != null) {
              c.close();
            }
          } catch (SQLException ignored) {
            // reconnect next time
          }
          c = null;
        } finally {
          gate.readLock().unlock();
        }
        try {
          Thread.sleep(4);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private void transaction(Connection c, Random r) throws SQLException {
      try {
        try (PreparedStatement up = c.prepareStatement(
            "UPDATE accounts SET balance = balance + ?, note = ?, updated = NOW(6) WHERE id = ?")) {
          for (int i = 1 + r.nextInt(3); i > 0; i--) {
            up.setInt(1, r.nextInt(2_001) - 1_000);
            up.setString(2, "note " + r.nextInt(1_000_000));
            up.setInt(3, 1 + r.nextInt(ACCOUNTS));
            up.executeUpdate();
          }
        }
        try (PreparedStatement in = c.prepareStatement("INSERT INTO events (account, amount, payload) VALUES (?, ?, ?)")) {
          for (int i = 1 + r.nextInt(3); i > 0; i--) {
            byte[] payload = new byte[r.nextInt(120)];
            r.nextBytes(payload);
            in.setInt(1, 1 + r.nextInt(ACCOUNTS));
            in.setInt(2, r.nextInt(10_000));
            in.setBytes(3, payload);
            in.executeUpdate();
          }
        }
        if (r.nextInt(10) == 0) {
          try (PreparedStatement del = c.prepareStatement("DELETE FROM events WHERE account = ? ORDER BY id LIMIT 1")) {
            del.setInt(1, 1 + r.nextInt(ACCOUNTS));
            del.executeUpdate();
          }
        }
        c.commit();
      } catch (SQLException e) {
        try {
          c.rollback();
        } catch (SQLException ignored) {
          // the connection is gone
        }
        throw e;
      }
    }

    void pause() {
      gate.writeLock().lock();
    }

    void resume() {
      gate.writeLock().unlock();
    }

    void stopWriting() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        t.join(30_000);
      }
    }

    long committed() {
      return committed.get();
    }

    long failures() {
      return failures.get();
    }

    @Override
    public void close() throws InterruptedException {
      stopWriting();
    }
  }
}
