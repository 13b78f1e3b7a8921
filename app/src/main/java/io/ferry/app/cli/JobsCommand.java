package io.ferry.app.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ferry jobs ...}: the jobs of the control plane's API. */
@Command(name = "jobs", mixinStandardHelpOptions = true, usageHelpWidth = 120,
    description = {"Lists, creates and operates jobs through the control plane's API (token: --token-file, FERRY_TOKEN",
        "or the config file; URL: --url, FERRY_URL or the config file, ~/.config/ferry/cli.yaml or --cli-config).",
        "Exit codes: 0 done, 1 bad usage, 2 the API refused, 3 the control plane cannot be reached or no token",
        "was found, 4 a verify found differences."},
    subcommands = {JobsCommand.ListJobs.class, JobsCommand.Show.class, JobsCommand.Create.class,
        JobsCommand.Start.class, JobsCommand.Pause.class, JobsCommand.Resume.class, JobsCommand.Stop.class,
        JobsCommand.Delete.class, JobsCommand.Verify.class})
public final class JobsCommand {
  static final String BASE = "/api/v1/jobs";

  private JobsCommand() {}

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every job with its state, worker and lag.")
  static final class ListJobs extends ApiCommand {
    @Option(names = "--state", description = "Only jobs in this state (e.g. RUNNING, ERROR).")
    String state;

    @Override
    int run(ApiClient client) {
      printTable(client.call("GET", BASE + (state == null ? "" : "?state=" + state), null),
          "id", "name", "state", "worker", "lagSeconds", "rowsApplied", "snapshot.rowsCopied", "error.code");
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "One job; with --watch, a progress bar of its initial copy until it runs (or fails).")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "JOB")
    String id;

    @Option(names = "--watch", description = "Print the copy's progress every second until the job is RUNNING.")
    boolean watch;

    @Override
    int run(ApiClient client) {
      JsonObject job = (JsonObject) client.call("GET", BASE + path(id), null);
      while (watch && List.of("CREATED", "STARTING", "SNAPSHOT").contains(job.getString("state"))) {
        say("{}", Progress.copyLine(job));
        LockSupport.parkNanos(1_000_000_000L);
        job = (JsonObject) client.call("GET", BASE + path(id), null);
      }
      printObject(job);
      return "ERROR".equals(job.getString("state")) && watch ? CliException.API_ERROR : 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates (and starts) a job.")
  static final class Create extends ApiCommand {
    @Option(names = "--name", required = true)
    String name;

    @Option(names = "--source", required = true, description = "The source connection's id.")
    String source;

    @Option(names = "--destination", required = true, description = "The destination connection's id.")
    String destination;

    @Option(names = "--include", required = true, split = ",", description = "Table patterns such as shop.* or shop.orders.")
    List<String> include;

    @Option(names = "--exclude", split = ",", description = "Table patterns to leave out.")
    List<String> exclude = List.of();

    @Option(names = "--map", split = ",", description = "Database renames, source=destination (e.g. shop=shop_copy).")
    Map<String, String> databaseMap = Map.of();

    @Option(names = "--start", defaultValue = "snapshot", description = "snapshot (default: copy, then stream) or current.")
    String start;

    @Option(names = "--ddl", defaultValue = "exec", description = "exec (default), ignore or stop.")
    String ddl;

    @Option(names = "--stopped", description = "Create it without starting it.")
    boolean stopped;

    @Override
    int run(ApiClient client) {
      JsonObject body = new JsonObject().put("name", name).put("source", source).put("destination", destination)
          .put("tables", new JsonObject().put("include", new JsonArray(include)).put("exclude", new JsonArray(exclude)))
          .put("databaseMap", new JsonObject(new java.util.TreeMap<String, Object>(databaseMap)))
          .put("start", start).put("ddl", ddl).put("autoStart", !stopped);
      printObject(client.call("POST", BASE, body));
      return 0;
    }
  }

  /** start, pause, resume, stop: one POST each. */
  abstract static class Action extends ApiCommand {
    @Parameters(paramLabel = "JOB")
    String id;

    abstract String action();

    @Override
    int run(ApiClient client) {
      JsonObject job = (JsonObject) client.call("POST", BASE + path(id, action()), null);
      if (api.json()) {
        printObject(job);
      } else {
        say("{}: {} (wanted: {})", job.getString("id"), job.getString("state"), job.getString("desiredState"));
      }
      return 0;
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Starts a stopped or failed job.")
  static final class Start extends Action {
    @Override
    String action() {
      return "start";
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pauses a job (its worker lets it go).")
  static final class Pause extends Action {
    @Override
    String action() {
      return "pause";
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resumes a paused job.")
  static final class Resume extends Action {
    @Override
    String action() {
      return "resume";
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops a job.")
  static final class Stop extends Action {
    @Override
    String action() {
      return "stop";
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a stopped job.")
  static final class Delete extends ApiCommand {
    @Parameters(paramLabel = "JOB")
    String id;

    @Override
    int run(ApiClient client) {
      client.call("DELETE", BASE + path(id), null);
      say("{}: deleted", id);
      return 0;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Compares the job's tables on source and destination while it runs (on its worker).",
          "Without --wait it prints the started report; with --wait, a progress bar and then the final one (exit 4 when a",
          "table differs)."})
  static final class Verify extends ApiCommand {
    @Parameters(paramLabel = "JOB")
    String id;

    @Option(names = "--wait", description = "Wait for the report and print it.")
    boolean await;

    @Option(names = "--last", description = "Print the latest report instead of starting a verify.")
    boolean last;

    @Override
    int run(ApiClient client) {
      JsonObject report = last ? (JsonObject) client.call("GET", BASE + path(id, "verify"), null)
          : (JsonObject) client.call("POST", BASE + path(id, "verify"), null);
      long started = System.nanoTime();
      while (await && "running".equals(report.getString("state"))) {
        LockSupport.parkNanos(1_000_000_000L);
        report = (JsonObject) client.call("GET", BASE + path(id, "verify"), null);
        if (!api.json() && "running".equals(report.getString("state"))) {
          say("{}", Progress.verifyLine(report, (System.nanoTime() - started) / 1_000_000_000L));
        }
      }
      if (api.json()) {
        printObject(report);
      } else {
        Progress.printReport(report);
      }
      return "mismatch".equals(report.getString("state")) ? CliException.MISMATCH
          : "error".equals(report.getString("state")) ? CliException.API_ERROR : 0;
    }
  }
}
