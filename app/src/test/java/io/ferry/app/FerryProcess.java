package io.ferry.app;

import io.ferry.mariadb.check.SecretLedger;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code ferry replicate} as a real child JVM: {@code java -cp <this JVM's class path> io.ferry.app.Main replicate
 * --config job.yaml --progress-seconds 1}, stdout and stderr in one log file per run. Every child started here is
 * also killed by a shutdown hook of the test JVM, so none outlives it; tests close them in their own clean-up too.
 */
final class FerryProcess implements AutoCloseable {
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "ferry-it-children"));
  }

  private final Process process;
  private final Path log;

  private FerryProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code ferry replicate --config config}, logging to {@code log}. */
  static FerryProcess replicate(Path config, Path log, String... jvmOptions) throws IOException {
    return start(Map.of(), List.of(jvmOptions), log, "replicate", "--config", config.toString(), "--progress-seconds", "1");
  }

  /** Starts {@code ferry <args>} with {@code env} added to this JVM's environment, logging to {@code log}. */
  static FerryProcess start(Map<String, String> env, List<String> jvmOptions, Path log, String... args)
      throws IOException {
    return launch(List.of("-cp", System.getProperty("java.class.path"), "io.ferry.app.Main"), env, jvmOptions, log,
        args);
  }

  /**
   * Starts {@code java -jar jar <args>}: the runnable jar that {@code mvn package} builds, with nothing else on the
   * class path.
   */
  static FerryProcess startJar(Path jar, Map<String, String> env, Path log, String... args) throws IOException {
    return launch(List.of("-jar", jar.toString()), env, List.of(), log, args);
  }

  private static FerryProcess launch(List<String> main, Map<String, String> env, List<String> jvmOptions, Path log,
                                     String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Dfile.encoding=UTF-8", "-Xmx256m"));
    command.addAll(jvmOptions);
    if (SecretLedger.jvmOption() != null) {
      command.add(SecretLedger.jvmOption()); // what the child hands out is scanned for too
    }
    command.addAll(main);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process p = builder.start();
    LIVE.add(p);
    p.onExit().thenRun(() -> LIVE.remove(p));
    return new FerryProcess(p, log);
  }

  /** SIGSTOP: the process freezes (threads, sockets open) until {@link #sigcont()}. */
  void sigstop() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT: a frozen process runs on. */
  void sigcont() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + name + " " + pid() + " failed");
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /** SIGKILL (on Linux) and wait until the process is gone; returns its exit code. */
  int kill9() throws InterruptedException {
    process.destroyForcibly();
    return awaitExit(30);
  }

  /** SIGTERM (on Linux); does not wait. */
  void sigterm() {
    process.destroy();
  }

  /** Waits up to {@code seconds} for the exit; returns the exit code, or throws with the log tail. */
  int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("ferry (pid " + pid() + ") has not exited within " + seconds + " s" + tail());
    }
    return process.exitValue();
  }

  /** The exit code, or null while running. */
  Integer exitCode() {
    return process.isAlive() ? null : process.exitValue();
  }

  boolean logContains(String text) {
    return read().contains(text);
  }

  /** Whether a line of the log mentions {@code prefix} followed by {@code position} as a whole word. */
  boolean logNames(String prefix, String position) {
    return Pattern.compile(Pattern.quote(prefix + " " + position) + "(\\s|$)", Pattern.MULTILINE).matcher(read())
        .find();
  }

  /** The last lines of this run's log, for assertion messages. */
  String tail() {
    List<String> lines = read().lines().toList();
    List<String> last = new ArrayList<>(lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    return "\n--- last lines of " + log + " (pid " + pid() + ", " + (isAlive() ? "running" : "exit " + exitCode())
        + ") ---\n" + String.join("\n", last);
  }

  private String read() {
    try {
      byte[] bytes = Files.readAllBytes(log);
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** Kills the process if it still runs and waits for it. Idempotent. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    SecretLedger.keepChildLog(log, log.getFileName().toString());
  }
}
