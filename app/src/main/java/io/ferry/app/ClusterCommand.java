package io.ferry.app;

import io.ferry.cluster.ClusterCredentials;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry cluster init|issue}: the credentials cluster members use to authenticate each other. */
@Command(name = "cluster", mixinStandardHelpOptions = true, usageHelpWidth = 120,
    description = "Creates the credentials that cluster members use to authenticate each other.",
    subcommands = {ClusterCommand.Init.class, ClusterCommand.Issue.class})
final class ClusterCommand {
  private static final Logger CONSOLE = LoggerFactory.getLogger("ferry.console");

  @Command(name = "init", mixinStandardHelpOptions = true, usageHelpWidth = 120,
      description = {"Writes a new cluster CA, a member key and certificate, and the cluster secret to DIR",
          "(files readable by their owner only). Copy DIR to every node as its FERRY_CLUSTER_DIR."})
  static final class Init implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the credentials.")
    Path out;

    @Option(names = "--host", paramLabel = "NAME", description = "Extra host names or IPs for the member certificate.")
    List<String> hosts = List.of();

    @Option(names = "--force", description = "Overwrite credentials already in DIR.")
    boolean force;

    @Override
    public Integer call() {
      ClusterCredentials c = ClusterCredentials.init(out, hosts, force);
      CONSOLE.info("Cluster credentials written to {}. Give every node a copy (FERRY_CLUSTER_DIR); keep {} off the"
          + " nodes if you issue member certificates with 'ferry cluster issue'.", c.directory(),
          ClusterCredentials.CA_KEY_FILE);
      return 0;
    }
  }

  @Command(name = "issue", mixinStandardHelpOptions = true, usageHelpWidth = 120,
      description = "Issues another member certificate of the cluster in --ca into DIR (without the CA key).")
  static final class Issue implements Callable<Integer> {
    @Option(names = "--ca", required = true, paramLabel = "CA_DIR", description = "The directory 'cluster init' wrote.")
    Path ca;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the member's credentials.")
    Path out;

    @Option(names = "--host", paramLabel = "NAME", description = "Extra host names or IPs for the member certificate.")
    List<String> hosts = List.of();

    @Option(names = "--force", description = "Overwrite credentials already in DIR.")
    boolean force;

    @Override
    public Integer call() {
      ClusterCredentials c = ClusterCredentials.issueMember(ca, out, hosts, force);
      CONSOLE.info("Member credentials written to {}.", c.directory());
      return 0;
    }
  }
}
