package io.ferry.app;

import io.ferry.app.node.ConfigCheck;
import io.ferry.worker.config.JobConfigLoader;
import io.ferry.worker.error.FerryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry config check}: validates settings and job files without starting anything. */
@Command(name = "config", mixinStandardHelpOptions = true, usageHelpWidth = 120,
    description = "Checks Ferry's configuration.", subcommands = ConfigCommand.Check.class)
final class ConfigCommand {
  private ConfigCommand() {}

  @Command(name = "check", mixinStandardHelpOptions = true, usageHelpWidth = 120,
      description = {"Validates a node's settings (--config, overridden by FERRY_* variables) and any job files",
          "(--job), and lists every problem at once. Exit codes: 0 all good, 1 problems."})
  static final class Check implements Callable<Integer> {
    private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");

    @Option(names = "--config", description = "The node's settings file (YAML: httpPort, dataDir, ...).")
    Path config;

    @Option(names = "--job", description = "A job file of ferry replicate (repeatable).")
    List<Path> jobs = new ArrayList<>();

    @Override
    public Integer call() {
      List<String> problems = new ArrayList<>(ConfigCheck.problems(config, System.getenv()));
      for (Path job : jobs) {
        try {
          JobConfigLoader.fromSystemEnvironment().load(job);
        } catch (FerryException e) {
          problems.add(job + ": " + e.getMessage());
        }
      }
      if (problems.isEmpty()) {
        CONSOLE.info("configuration OK{}", jobs.isEmpty() ? "" : " (settings and " + jobs.size() + " job file(s))");
        return 0;
      }
      CONSOLE.info("{} problem(s):", problems.size());
      problems.forEach(p -> CONSOLE.info("  - {}", p));
      return 1;
    }
  }
}
