package io.ferry.app.bench;

import io.ferry.mariadb.MariaDbServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ferry as a real deployment runs it, in a child JVM (this JVM's class path, {@code jvmOptions}), so its CPU and peak
 * RSS are measured on its own from /proc and do not include the bench, the load generator or the embedded servers'
 * JDBC clients: either {@code ferry replicate --config job.yaml} for one job ({@link #start}), or a {@link JobHost}
 * that runs job after job in one process, as a worker does ({@link #host}, {@link #startJob}). The job's progress is
 * read from its checkpoint row on the destination, as the native replica's is read from SHOW SLAVE STATUS.
 */
final class FerryChild implements AutoCloseable {
  private static final List<String> ENDS = List.of("STOPPED", "PAUSED", "ERROR");

  private final Process process;
  private final Path log;
  private volatile String jobId;
  private volatile long startedAt;
  private volatile long streamingAt;
  private volatile double cpuAtStreaming = Double.NaN;
  private volatile String ended;

  private FerryChild(Process process, Path log, String jobId) {
    this.process = process;
    this.log = log;
    this.jobId = jobId;
  }

  /**
   * Starts a job {@code jobId} on every table of {@code sbtest} from {@code start}; the source user's password and
   * the destination's are passed in the environment, not written to the job file.
   */
  static FerryChild start(Path dir, String jobId, MariaDbServer source, String sourceUser, String sourcePassword,
      MariaDbServer destination, String destUser, String destPassword, BinlogCoordinates start, int batchMaxRows,
      long serverId, List<String> jvmOptions) throws IOException {
    Path config = writeJob(dir, jobId, source, sourceUser, destination, destUser, start, batchMaxRows, serverId);
    return launch(dir.resolve(jobId + ".log"), jobId, sourcePassword, destPassword, jvmOptions,
        List.of("io.ferry.app.Main", "replicate", "--config", config.toString(), "--progress-seconds", "3600"));
  }

  /**
   * Starts a {@link JobHost} with no job yet; the passwords of the jobs' source and destination users are passed in
   * its environment, as to {@link #start}.
   */
  static FerryChild host(Path dir, String sourcePassword, String destPassword, List<String> jvmOptions)
      throws IOException {
    return launch(dir.resolve("job-host.log"), "", sourcePassword, destPassword, jvmOptions,
        List.of(JobHost.class.getName()));
  }

  /** In a {@link #host}: starts job {@code id} from {@code config} (the job before it is stopped first). */
  void startJob(String id, Path config) throws IOException {
    startedAt = 0;
    streamingAt = 0;
    cpuAtStreaming = Double.NaN;
    ended = null;
    jobId = id;
    resetPeakRss();
    OutputStream in = process.getOutputStream();
    in.write(("start " + config + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** In a {@link #host}: stops the job at a transaction boundary and waits up to {@code seconds} for it. */
  void stopJob(int seconds) throws IOException, InterruptedException {
    OutputStream in = process.getOutputStream();
    in.write("stop\n".getBytes(StandardCharsets.UTF_8));
    in.flush();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (ended == null && process.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  /** The job's file: every table of {@code sbtest} from {@code start}, passwords from the environment. */
  static Path writeJob(Path dir, String jobId, MariaDbServer source, String sourceUser, MariaDbServer destination,
      String destUser, BinlogCoordinates start, int batchMaxRows, long serverId) throws IOException {
    String yaml = "id: " + jobId + "\n"
        + "source: {host: \"" + source.host() + "\", port: " + source.port() + ", user: \"" + sourceUser
        + "\", password: \"${BENCH_SOURCE_PASSWORD}\", tls: disabled}\n"
        + "destination: {host: \"" + destination.host() + "\", port: " + destination.port() + ", user: \"" + destUser
        + "\", password: \"${BENCH_DEST_PASSWORD}\", tls: disabled}\n"
        + "tables: {include: [\"" + Sbtest.DATABASE + ".*\"]}\n"
        + "start: {file: " + start.file() + ", position: " + start.position() + "}\n"
        + "ddl: stop\n"
        + "tuning: {batchMaxRows: " + batchMaxRows + ", serverId: " + serverId + "}\n";
    return Files.writeString(dir.resolve(jobId + ".yaml"), yaml, StandardCharsets.UTF_8);
  }

  private static FerryChild launch(Path log, String jobId, String sourcePassword, String destPassword,
      List<String> jvmOptions, List<String> mainAndArgs) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Dfile.encoding=UTF-8"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.addAll(mainAndArgs);
    ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
    b.environment().put("BENCH_SOURCE_PASSWORD", sourcePassword);
    b.environment().put("BENCH_DEST_PASSWORD", destPassword);
    b.environment().remove("FERRY_LOG_FORMAT");
    FerryChild child = new FerryChild(b.start(), log, jobId);
    child.pump();
    return child;
  }

  /**
   * Copies the child's output to its log file and notes when its job starts ("job ID: STARTING") and when it has set
   * up and starts streaming ("job ID: epoch N, starting from ...").
   */
  private void pump() {
    Thread t = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
           PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
        String line;
        while ((line = in.readLine()) != null) {
          if (startedAt == 0 && line.contains("job " + jobId + ": STARTING")) {
            startedAt = System.nanoTime();
          }
          if (streamingAt == 0 && line.contains("job " + jobId + ": epoch ")) {
            cpuAtStreaming = CpuMeter.processCpuSeconds(process.pid());
            streamingAt = System.nanoTime();
          }
          for (String end : ENDS) {
            if (ended == null && line.contains("job " + jobId + ": " + end)) {
              ended = end;
            }
          }
          out.println(line);
        }
      } catch (IOException e) {
        // the process ended; its log is what it is
      }
    }, "bench-ferry-log");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Waits up to {@code seconds} for the job to have set up (preflight, checkpoint claimed, schemas read) and start
   * streaming; returns System.nanoTime() of that moment.
   */
  long awaitStreaming(int seconds) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (streamingAt == 0) {
      if (!process.isAlive()) {
        throw new IOException("the Ferry process ended with exit code " + process.exitValue() + " before its job"
            + " started; see " + log + tail());
      }
      if (ended != null) {
        throw new IOException("the Ferry job ended (" + ended + ") before it streamed; see " + log + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("the Ferry process did not start its job within " + seconds + " s; see " + log);
      }
      Thread.sleep(5);
    }
    return streamingAt;
  }

  /** Seconds from the job's start (JVM up) until it streams: preflight, claiming the checkpoint, reading schemas. */
  double setupSeconds() {
    return (streamingAt - startedAt) / 1e9;
  }

  /** CPU seconds of the child process when its job started streaming (JVM start-up and job set-up excluded). */
  double cpuAtStreaming() {
    return cpuAtStreaming;
  }

  long pid() {
    return process.pid();
  }

  /** Whether the process runs and its job has not ended (stopped, paused or failed). */
  boolean alive() {
    return process.isAlive() && ended == null;
  }

  /** The job's committed position on {@code destination}, or null before its first checkpoint. */
  String[] checkpoint(Connection destination) {
    try (PreparedStatement ps = destination.prepareStatement(
        "SELECT binlog_file, binlog_pos FROM _ferry.checkpoint WHERE job_id = ?")) {
      ps.setString(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getString(1) != null ? new String[] {rs.getString(1), Long.toString(rs.getLong(2))} : null;
      }
    } catch (SQLException e) {
      return null; // the checkpoint table does not exist yet
    }
  }

  /** Starts counting the peak resident memory anew (Linux's clear_refs); the peak so far stays if refused. */
  private void resetPeakRss() {
    try {
      Files.writeString(Path.of("/proc", Long.toString(process.pid()), "clear_refs"), "5");
    } catch (IOException | RuntimeException e) {
      // an older kernel or no permission: VmHWM is the process's peak since it started
    }
  }

  /** Peak resident memory (VmHWM) in MB, from /proc; NaN when unreadable. */
  double peakRssMb() {
    return statusKb("VmHWM:") / 1024.0;
  }

  double rssMb() {
    return statusKb("VmRSS:") / 1024.0;
  }

  private double statusKb(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith(key)) {
          return Double.parseDouble(line.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return "\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  /** SIGTERM (the job stops at a transaction boundary), then SIGKILL after 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
