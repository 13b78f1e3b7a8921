package io.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mariadb.check.SecretLedger;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./ferry demo} as a person runs it (the launcher on the runnable jar), in a child process: it starts its servers, the control plane and
 * a worker, creates its job through the API and prints where to reach it; a second demo is refused
 * while it runs; Ctrl+C (SIGINT) makes it catch up, find every table of the copy equal to the source by
 * checksum, and exit 0 leaving none of the processes it started behind.
 */
class DemoIT {
  private static final Pattern DASHBOARD = Pattern.compile("Dashboard +(http://localhost:(\\d+)/)");
  private static final Pattern TOKEN = Pattern.compile("Admin token +(fy_\\S+)");

  @TempDir
  Path dir;

  @Test
  void theDemoRunsTheFleetReplicatesItsShopAndCtrlCLeavesNothingBehind() throws Exception {
    Path out = dir.resolve("demo.out");
    Process demo = start(out);
    try {
      Awaitility.await("demo progress with applied rows").atMost(Duration.ofSeconds(150))
          .pollInterval(Duration.ofMillis(500)).failFast(() -> !demo.isAlive())
          .until(() -> Pattern.compile("RUNNING  source transactions [1-9]\\d*  \\|  applied rows [1-9]")
              .matcher(read(out)).find());
      String text = read(out);
      Matcher url = DASHBOARD.matcher(text);
      Matcher token = TOKEN.matcher(text);
      assertThat(url.find()).as(text).isTrue();
      assertThat(token.find()).as(text).isTrue();
      // The job was created through the API, which answers with the printed token.
      HttpResponse<String> jobs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + url.group(2) + "/api/v1/jobs"))
          .header("Authorization", "Bearer " + token.group(1)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(jobs.statusCode()).isEqualTo(200);
      assertThat(new JsonArray(jobs.body()).getJsonObject(0).getString("name")).isEqualTo("demo");

      Path second = dir.resolve("second.out");
      Process again = start(second);
      assertThat(again.waitFor(60, TimeUnit.SECONDS)).as("the second demo ends at once").isTrue();
      assertThat(again.exitValue()).isEqualTo(1);
      assertThat(read(second)).contains("already running");

      List<ProcessHandle> started = demo.toHandle().descendants().toList();
      assertThat(started).as("the demo's servers").isNotEmpty();
      new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).start().waitFor();
      boolean ended = demo.waitFor(120, TimeUnit.SECONDS);
      text = read(out);
      assertThat(ended).as("demo ended after Ctrl+C; its output:\n%s\nits log's last lines:\n%s", text,
          tail(dir.resolve("demo.log"), 60)).isTrue();
      assertThat(demo.exitValue()).as(text).isZero();
      assertThat(text).doesNotContain("DIFFERS");
      for (String table : List.of("audit_log", "customers", "orders", "order_items", "products")) {
        assertThat(text).as(text).containsPattern(table + " +\\d+ rows: shop_copy equals shop");
      }
      // The history written before the job existed reached the copy through the initial copy.
      assertThat(text).as(text).containsPattern("orders +\\d{5,} rows: shop_copy equals shop")
          .containsPattern("order_items +\\d{5,} rows: shop_copy equals shop");
      Awaitility.await("every process the demo started has ended").atMost(Duration.ofSeconds(10))
          .until(() -> started.stream().noneMatch(ProcessHandle::isAlive));
      assertThat(text).as("the terminal shows no INFO log lines").doesNotContainPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO ");
      assertThat(Files.readString(dir.resolve("demo.log"))).as("the log went to demo.log")
          .containsPattern("INFO .*\\[job_[0-9a-f]+\\] ");
      Matcher job = Pattern.compile("Job (job_[0-9a-f]+) copies").matcher(text);
      assertThat(job.find()).as(text).isTrue();
      // The job's id is on every line about it, the scheduler's included.
      assertThat(Files.readAllLines(dir.resolve("demo.log"))).filteredOn(l -> l.contains(job.group(1)))
          .isNotEmpty().allSatisfy(l -> assertThat(l).as("a line about the job").contains("[" + job.group(1) + "] "))
          .anySatisfy(l -> assertThat(l).contains(" scheduler: job " + job.group(1) + " -> worker "));
      try (var left = Files.list(dir)) {
        assertThat(left.map(p -> p.getFileName().toString()).toList()).as("the demo's own files are removed")
            .noneMatch(name -> name.startsWith("demo-"));
      }
    } finally {
      demo.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      demo.destroyForcibly();
      SecretLedger.keepChildLog(out, "demo-terminal");
      SecretLedger.keepChildLog(dir.resolve("demo.log"), "demo-log");
    }
  }

  private static String tail(Path file, int lines) throws IOException {
    if (!Files.exists(file)) {
      return "(none)";
    }
    List<String> all = Files.readAllLines(file);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /**
   * {@code ./ferry demo} as a user runs it: the launcher at the project's root, on the runnable jar this build's
   * package phase made ({@code FERRY_SKIP_BUILD=1}: the build already ran; the launcher {@code exec}s java, so the
   * process is the JVM itself).
   */
  private Process start(Path out) throws Exception {
    Path launcher = Path.of("..", "ferry").toAbsolutePath().normalize();
    assertThat(Path.of("target", "ferry.jar")).as("the runnable jar of the package phase").exists();
    // As in a terminal, SIGINT has its default action: a build started in the background by a shell without
    // job control (`.ci/run &`) passes SIGINT on ignored, and the JVM then never sees Ctrl+C.
    ProcessBuilder builder = new ProcessBuilder(List.of("env", "--default-signal=INT", launcher.toString(), "demo",
        "--data-dir", dir.toString()))
        .redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().put("FERRY_SKIP_BUILD", "1");
    if (SecretLedger.jvmOption() != null) {
      builder.environment().put("FERRY_JAVA_OPTS", SecretLedger.jvmOption()); // the demo's passwords are scanned for
    }
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    return builder.start();
  }

  private static String read(Path out) throws Exception {
    return Files.readString(out, StandardCharsets.ISO_8859_1);
  }
}
