package io.zkrollup.aggregator.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The operator CLI: {@code java -jar aggregator/target/zkrollup.jar <command>}. */
@Command(
    name = "zkrollup",
    mixinStandardHelpOptions = true,
    versionProvider = ZkRollupCli.Version.class,
    description = "ZK-rollup node and prover tools.",
    subcommands = {InfoCommand.class, Poseidon2Command.class, CircuitCommand.class})
public final class ZkRollupCli {

  /** Runs the CLI and exits with its status. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, for tests that run commands in process. */
  public static CommandLine commandLine() {
    return new CommandLine(new ZkRollupCli());
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
