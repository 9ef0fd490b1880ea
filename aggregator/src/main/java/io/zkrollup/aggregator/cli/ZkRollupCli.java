package io.zkrollup.aggregator.cli;

import io.zkrollup.aggregator.process.ChildStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The operator CLI: {@code java -jar aggregator/target/zkrollup.jar <command>}. */
@Command(
    name = "zkrollup",
    // Every sub-command inherits --help and --version: `zkrollup node --help` must print the usage,
    // not complain about required options.
    scope = CommandLine.ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = ZkRollupCli.Version.class,
    description = "ZK-rollup node and prover tools.",
    subcommands = {
      InfoCommand.class,
      Poseidon2Command.class,
      CircuitCommand.class,
      SetupCommand.class,
      CeremonyCommand.class,
      VerifierCommand.class,
      DeployCommand.class,
      KeygenCommand.class,
      QuickstartCommand.class,
      NodeCommand.class,
      AuditCommand.class,
      WorkerCommand.class,
      WalletCommand.class,
      TokenCommand.class,
      ExitCommand.class
    })
public final class ZkRollupCli {

  /** Runs the CLI and exits with its status. */
  public static void main(String[] args) {
    String[] expanded;
    try {
      expanded = ConfigFileArgs.expand(args);
    } catch (java.io.UncheckedIOException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    int status = commandLine().execute(expanded);
    ChildStatus.record(status);
    System.exit(status);
  }

  /** The configured command line, for tests that run commands in process. */
  public static CommandLine commandLine() {
    // Flags on the command line override the same options from a --config file.
    return new CommandLine(new ZkRollupCli()).setOverwrittenOptionsAllowed(true);
  }

  /** The project version this build was made from. */
  public static String version() {
    Properties props = new Properties();
    try (InputStream in = ZkRollupCli.class.getResourceAsStream("/zkrollup.properties")) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return props.getProperty("version", "unknown");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"zkrollup " + version()};
    }
  }
}
