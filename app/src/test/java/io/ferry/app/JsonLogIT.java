package io.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code FERRY_LOG_FORMAT=json}: a real {@code ferry replicate} process whose source refuses the login
 * logs one JSON object per line, and the lines about the job carry its id in the MDC.
 */
class JsonLogIT extends ChildJobBase {
  @Test
  void everyLineIsJsonAndTheJobsLinesCarryItsId() throws Exception {
    Path job = Files.writeString(dir.resolve("jsonlog.yaml"), "id: jsonlog\n"
        + "source: {host: \"" + source.host() + "\", port: " + source.port() + ", user: nobody, password: nope-7f3a9c,"
        + " tls: disabled}\n"
        + "destination: {host: \"" + destination.host() + "\", port: " + destination.port() + ", user: \""
        + destination.adminUser() + "\", password: \"" + destination.adminPassword() + "\", tls: disabled}\n"
        + "tables: {include: [\"shop.*\"]}\n", StandardCharsets.UTF_8);
    Path log = dir.resolve("jsonlog.log");
    FerryProcess p = FerryProcess.start(Map.of("FERRY_LOG_FORMAT", "json"), List.of(), log,
        "replicate", "--config", job.toString());
    children.add(p);
    assertThat(p.awaitExit(60)).as("exit code%s", p.tail()).isEqualTo(2);
    List<JsonObject> lines = new ArrayList<>();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        lines.add(new JsonObject(line)); // fails on a line that is not JSON
      }
    }
    assertThat(lines).isNotEmpty();
    assertThat(lines).anySatisfy(l -> {
      assertThat(l.getString("level")).isEqualTo("ERROR");
      assertThat(l.getString("formattedMessage")).contains("SOURCE_AUTH_FAILED", "nobody@");
      assertThat(l.getJsonObject("mdc").getString("job")).isEqualTo("jsonlog");
    });
    assertThat(lines).as("every line about the job carries its id").filteredOn(l -> l.getString("formattedMessage", "")
        .contains("jsonlog")).isNotEmpty().allSatisfy(l -> assertThat(l.getJsonObject("mdc", new JsonObject())
            .getString("job")).as(l.encode()).isEqualTo("jsonlog"));
    assertThat(Files.readString(log)).as("the password never shows").doesNotContain("nope-7f3a9c");
  }
}
