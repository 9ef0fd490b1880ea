package io.zkrollup.aggregator.cli;

import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.nativebridge.NativeProverException;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zkrollup poseidon2 [--compress] VALUE...}: hash field elements with the proving core. */
@Command(
    name = "poseidon2",
    description = "Poseidon2-hash BN254 field elements through the native proving core.")
final class Poseidon2Command implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--compress",
      description = "Use the 2-to-1 Merkle compression (exactly two values) instead of the hash.")
  boolean compress;

  @Parameters(
      arity = "1..*",
      paramLabel = "VALUE",
      converter = FieldElementArgument.class,
      description = "Field elements, decimal or 0x-hex, each below the BN254 scalar modulus.")
  List<byte[]> values;

  @Override
  public Integer call() {
    LibZkProver prover = LibZkProver.load();
    try {
      byte[] digest;
      if (compress) {
        if (values.size() != 2) {
          spec.commandLine().getErr().println("--compress takes exactly two values, got " + values.size());
          return 2;
        }
        digest = prover.poseidon2Compress(values.get(0), values.get(1));
      } else {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        values.forEach(all::writeBytes);
        digest = prover.poseidon2Hash(all.toByteArray());
      }
      spec.commandLine().getOut().println(FieldElementArgument.hex(digest));
      return 0;
    } catch (NativeProverException e) {
      spec.commandLine().getErr().println("rejected: " + e.getMessage());
      return 2;
    }
  }
}
