package io.zkrollup.aggregator.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.OptionalLong;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How a command reaches an Ethereum chain and signs on it (a picocli mixin of node and deploy): the
 * JSON-RPC URL, a file holding the signing key (never the key itself on a command line, where
 * {@code ps} and shell history would show it), and the chain to insist on.
 */
final class L1Options {

  @Option(names = "--l1-rpc", paramLabel = "URL", description = "Ethereum JSON-RPC URL of the L1 (http or https).")
  URI rpc;

  @Option(names = "--l1-key-file", paramLabel = "FILE", description = "File holding the hex private key that signs L1 transactions (never pass a key on the command line).")
  Path keyFile;

  @Option(names = "--l1-chain-id", paramLabel = "ID", description = "Refuse to go on unless the RPC serves this chain (default: take the RPC's).")
  Long chainId;

  /** Whether any of these options was given. */
  boolean given() {
    return rpc != null || keyFile != null || chainId != null;
  }

  /** The expected chain, if one was given. */
  OptionalLong chain() {
    return chainId == null ? OptionalLong.empty() : OptionalLong.of(chainId);
  }

  /** Throws a usage error unless the RPC URL and the key file are both given, the URL http(s). */
  void require(CommandSpec spec) {
    if (rpc == null || keyFile == null) {
      throw new ParameterException(spec.commandLine(), "--l1-rpc and --l1-key-file are required");
    }
    if (!"http".equals(rpc.getScheme()) && !"https".equals(rpc.getScheme())) {
      throw new ParameterException(spec.commandLine(), "--l1-rpc must be an http or https URL, got " + rpc);
    }
  }
}
