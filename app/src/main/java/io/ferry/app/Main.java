package io.ferry.app;

import io.ferry.app.bench.BenchCommand;
import io.ferry.app.chaos.ChaosCommand;
import io.ferry.app.cli.ConnectionsCommand;
import io.ferry.app.cli.JobsCommand;
import io.ferry.app.cli.WorkersCommand;
import io.ferry.protocol.FerryVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ferry} command line. */
@Command(name = "ferry", mixinStandardHelpOptions = true, usageHelpWidth = 120, versionProvider = Main.Version.class,
    description = "Ferry replicates MySQL/MariaDB databases by reading the source's binlog.",
    subcommands = {ServerCommand.class, ControlPlaneCommand.class, WorkerCommand.class, ClusterCommand.class,
        ReplicateCommand.class, VerifyCommand.class, DemoCommand.class, BenchCommand.class, ChaosCommand.class,
        JobsCommand.class, ConnectionsCommand.class, WorkersCommand.class, ConfigCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    Logging.install();
    System.exit(commandLine().execute(args));
  }

  /**
   * The whole command tree, with bad usage (an unknown option, a missing argument or subcommand) exiting 1 on every
   * command, as their help says: picocli's default, 2, is what the API commands return when the API refused and what
   * {@code replicate} returns when its job failed.
   */
  static CommandLine commandLine() {
    CommandLine root = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).setUsageHelpWidth(120);
    badUsageExits(root, BAD_USAGE);
    return root;
  }

  /** The exit code of bad usage on every command. */
  static final int BAD_USAGE = 1;

  private static void badUsageExits(CommandLine command, int code) {
    command.getCommandSpec().exitCodeOnInvalidInput(code);
    command.getSubcommands().values().forEach(sub -> badUsageExits(sub, code));
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Name a command, e.g. 'ferry demo'.");
  }

  /** The version set by the build (the same one {@code GET /health} and the dashboard show). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ferry " + FerryVersion.get()};
    }
  }
}
