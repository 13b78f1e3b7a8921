package io.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry demo} as a person runs it, in a child JVM: it starts its servers and job, replicates
 * the live shop load, and at the end finds every table of the copy equal to the source by checksum.
 */
class DemoIT {
  @TempDir
  Path dir;

  @Test
  void theDemoReplicatesItsShopAndEndsEqual() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path out = dir.resolve("demo.out");
    Process p = new ProcessBuilder(List.of(java, "-Dfile.encoding=UTF-8", "-cp", System.getProperty("java.class.path"),
        "io.ferry.app.Main", "demo", "--seconds", "8", "--data-dir", dir.toString()))
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("demo ended").isTrue();
      String text = Files.readString(out, StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(text).isZero();
      assertThat(text).contains("RUNNING  source transactions").doesNotContain("DIFFERS").doesNotContain("ERROR");
      for (String table : List.of("audit_log", "customers", "orders", "order_items", "products")) {
        assertThat(text).as(text).containsPattern(table + " +\\d+ rows: shop_copy equals shop");
      }
    } finally {
      p.destroyForcibly();
    }
  }
}
