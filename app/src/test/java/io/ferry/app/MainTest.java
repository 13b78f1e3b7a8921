package io.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command tree, in process with nothing running: {@code --help} answers on every command, and bad usage exits 1
 * everywhere (the code the commands' help and the README promise; 2 means the API refused or a job failed).
 */
class MainTest {
  /** One run: its exit code and what it printed on stdout and stderr. */
  private record Run(int exit, String out, String err) {}

  private static Run ferry(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void everyCommandAnswersHelp() {
    Map<String, CommandLine> all = new LinkedHashMap<>();
    collect(Main.commandLine(), new ArrayList<>(), all);
    assertThat(all.keySet()).contains("jobs list", "jobs show", "jobs create", "jobs start", "jobs pause",
        "jobs resume", "jobs stop", "jobs delete", "jobs verify", "connections list", "connections show",
        "connections create", "connections check", "connections delete", "workers list", "workers drain",
        "config check", "demo", "server", "control-plane", "worker", "replicate", "verify");
    all.forEach((path, command) -> {
      List<String> args = new ArrayList<>(List.of(path.split(" ")));
      args.add("--help");
      Run run = ferry(args.toArray(String[]::new));
      assertThat(run.exit()).as(path + " --help: " + run.err()).isZero();
      assertThat(run.out()).as(path + " --help").contains("Usage: ferry " + path);
      String[] description = command.getCommandSpec().usageMessage().description();
      assertThat(description).as(path + " describes itself").isNotEmpty();
      assertThat(run.out().replaceAll("\\s+", " ")).as(path + " --help")
          .contains(description[0].strip().replaceAll("\\s+", " "));
    });
  }

  @Test
  void badUsageExitsOneOnEveryCommand() {
    Run missingArgument = ferry("jobs", "show");
    assertThat(missingArgument.exit()).as(missingArgument.err()).isEqualTo(1);
    assertThat(missingArgument.err()).contains("Missing required parameter: 'JOB'", "Usage: ferry jobs show");
    assertThat(ferry("jobs").exit()).as("no subcommand").isEqualTo(1);
    assertThat(ferry("jobs", "list", "--no-such-option").exit()).isEqualTo(1);
    assertThat(ferry("connections", "create", "--name", "x").exit()).as("required options missing").isEqualTo(1);
    assertThat(ferry("workers", "drain").exit()).isEqualTo(1);
    assertThat(ferry("config", "check", "--no-such-option").exit()).isEqualTo(1);
    assertThat(ferry("replicate").exit()).as("replicate without --config").isEqualTo(1);
    assertThat(ferry("no-such-command").exit()).isEqualTo(1);
    assertThat(ferry().exit()).as("no command at all").isEqualTo(1);
  }

  @Test
  void versionIsTheBuildsVersion() {
    Run run = ferry("--version");
    assertThat(run.exit()).isZero();
    assertThat(run.out().strip()).matches("ferry \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  private static void collect(CommandLine command, List<String> parents, Map<String, CommandLine> out) {
    for (Map.Entry<String, CommandLine> e : command.getSubcommands().entrySet()) {
      if (e.getKey().equals("help") || !e.getKey().equals(e.getValue().getCommandName())) {
        continue; // picocli's own help command, and aliases
      }
      List<String> path = new ArrayList<>(parents);
      path.add(e.getKey());
      out.put(String.join(" ", path), e.getValue());
      collect(e.getValue(), path, out);
    }
  }
}
