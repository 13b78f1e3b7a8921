package io.ferry.app.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code ferry replicate} as a child JVM with this JVM's class path; each start logs to a new file in the
 * run's work directory, added to the run's list of logs (which the run scans for passwords at the end).
 */
final class ChaosChild {
  private final String id;
  private final Path config;
  private final Path work;
  private final List<Path> logs;
  private Process process;
  private boolean expectedDown;

  ChaosChild(String id, Path config, Path work, List<Path> logs) {
    this.id = id;
    this.config = config;
    this.work = work;
    this.logs = logs;
  }

  void start() throws IOException {
    Path log = work.resolve(String.format(Locale.ROOT, "%s-%02d.log", id, logs.size()));
    logs.add(log);
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
          + logs.get(logs.size() - 1).getFileName() + "); started again");
      start();
    }
  }
}
