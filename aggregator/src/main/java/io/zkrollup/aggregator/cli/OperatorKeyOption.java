package io.zkrollup.aggregator.cli;

import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.util.HexFormat;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The operator account's public key (a picocli mixin of node and deploy): fees go to its account. */
final class OperatorKeyOption {

  @Option(names = "--operator-key", required = true, paramLabel = "HEX", description = "The operator account's EdDSA public key (32 bytes, hex; zkrollup keygen prints one).")
  String hex;

  /** The key; a usage error if it is not a valid point. */
  EdDsaPublicKey key(CommandSpec spec) {
    try {
      return EdDsaPublicKey.fromBytes(HexFormat.of().parseHex(hex.startsWith("0x") ? hex.substring(2) : hex));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--operator-key: " + e.getMessage());
    }
  }

  /** The key's hash, as the contract's deposit 0 and the operator's leaf hold it. */
  Fr keyHash(CommandSpec spec, Poseidon2 poseidon2) {
    return GenesisFile.keyHash(poseidon2, key(spec));
  }
}
