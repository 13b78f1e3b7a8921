package io.ferry.app.cli;

import io.vertx.core.json.JsonObject;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ferry connections ...}: the connections of the control plane's API. */
@Command(name = "connections", mixinStandardHelpOptions = true, usageHelpWidth = 120,
    description = {"Lists, creates, checks and deletes connections through the control plane's API.",
        "Exit codes: 0 done, 1 bad usage, 2 the API refused (or a check found problems), 3 unreachable."},
    subcommands = {ConnectionsCommand.ListConnections.class, ConnectionsCommand.Show.class,
        ConnectionsCommand.Create.class, ConnectionsCommand.Check.class, ConnectionsCommand.Delete.class})
public final class ConnectionsCommand {
  static final String BASE = "/api/v1/connections";

  private ConnectionsCommand() {}

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every connection (passwords are never shown).")
  static final class ListConnections extends ApiCommand {
    @Override
    int run(ApiClient client) {
      printTable(client.call("GET", BASE, null), "id", "name", "host", "port", "user", "tls");
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One connection.")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "CONNECTION")
    String id;

    @Override
    int run(ApiClient client) {
      printObject(client.call("GET", BASE + path(id), null));
      return 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Creates a connection. The password comes from --password-file, else FERRY_CONNECTION_PASSWORD,",
          "else a prompt; never from the command line."})
  static final class Create extends ApiCommand {
    @Option(names = "--name", required = true)
    String name;

    @Option(names = "--host", required = true)
    String host;

    @Option(names = "--port", defaultValue = "3306")
    int port;

    @Option(names = "--user", required = true)
    String user;

    @Option(names = "--password-file", description = "A file holding the password.")
    Path passwordFile;

    @Option(names = "--tls", defaultValue = "preferred", description = "disabled, preferred (default), required, verify-ca.")
    String tls;

    @Option(names = "--ca-file", description = "The server's CA certificate (PEM) for --tls verify-ca.")
    Path caFile;

    @Override
    int run(ApiClient client) {
      JsonObject body = new JsonObject().put("name", name).put("host", host).put("port", port).put("user", user)
          .put("password", password()).put("tls", tls);
      if (caFile != null) {
        body.put("ca", read(caFile));
      }
      printObject(client.call("POST", BASE, body));
      return 0;
    }

    private String password() {
      if (passwordFile != null) {
        return read(passwordFile).strip();
      }
      String env = System.getenv("FERRY_CONNECTION_PASSWORD");
      if (env != null) {
        return env;
      }
      Console console = System.console();
      if (console == null) {
        throw new CliException(CliException.BAD_USAGE, "no password: give --password-file or FERRY_CONNECTION_PASSWORD");
      }
      return new String(console.readPassword("password for %s@%s: ", user, host));
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException(CliException.BAD_USAGE, "cannot read " + file + ": " + e.getMessage());
    }
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Connects to the server now and lists every problem with its remedy (exit 2 when there are some).")
  static final class Check extends ApiCommand {
    @Parameters(paramLabel = "CONNECTION")
    String id;

    @Override
    int run(ApiClient client) {
      JsonObject result = (JsonObject) client.call("POST", BASE + path(id, "check"), null);
      if (api.json()) {
        printObject(result);
      } else {
        boolean ok = result.getBoolean("ok", false);
        say("{}: {}", id, ok ? "ok" : "problems");
        result.getJsonArray("problems", new io.vertx.core.json.JsonArray()).forEach(p -> {
          JsonObject problem = (JsonObject) p;
          say("  {}: {} Remedy: {}", problem.getString("code"), problem.getString("message"), problem.getString("remedy"));
        });
      }
      return result.getBoolean("ok", false) ? 0 : CliException.API_ERROR;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a connection no job uses.")
  static final class Delete extends ApiCommand {
    @Parameters(paramLabel = "CONNECTION")
    String id;

    @Override
    int run(ApiClient client) {
      client.call("DELETE", BASE + path(id), null);
      say("{}: deleted", id);
      return 0;
    }
  }
}
