package io.ferry.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ferry workers ...}: the fleet's workers. */
@Command(name = "workers", mixinStandardHelpOptions = true, usageHelpWidth = 120,
    description = {"Lists workers and drains one (its jobs move elsewhere without loss).",
        "Exit codes: 0 done, 1 bad usage, 2 the API refused, 3 unreachable."},
    subcommands = {WorkersCommand.ListWorkers.class, WorkersCommand.Drain.class})
public final class WorkersCommand {
  private WorkersCommand() {}

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every worker with its state and jobs.")
  static final class ListWorkers extends ApiCommand {
    @Override
    int run(ApiClient client) {
      printTable(client.call("GET", "/api/v1/workers", null), "id", "host", "state", "capacity", "jobs",
          "lastHeartbeat");
      return 0;
    }
  }

  @Command(name = "drain", mixinStandardHelpOptions = true, description = "Moves a worker's jobs elsewhere (admin).")
  static final class Drain extends ApiCommand {
    @Parameters(paramLabel = "WORKER")
    String id;

    @Override
    int run(ApiClient client) {
      client.call("POST", "/api/v1/workers" + path(id, "drain"), null);
      say("{}: draining", id);
      return 0;
    }
  }
}
