package io.zkrollup.aggregator.cli;

import io.zkrollup.prover.gnark.GnarkVerifier;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.nativebridge.NativeProverException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zkrollup verifier --keys DIR --out FILE}: writes the Solidity verifier of a key directory's
 * verifying key, the contract L1 checks batch proofs with (docs/l1.md).
 */
@Command(
    name = "verifier",
    description = {
      "Export the Solidity verifier contract (gnark's template) for the verifying key of a key",
      "directory written by `circuit --setup`. Compile it with contracts/scripts/compile.mjs."
    })
final class VerifierCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--keys", required = true, paramLabel = "DIR", description = "Key directory (hashes are checked).")
  Path keyDir;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the .sol file.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    String solidity;
    String circuit;
    String origin;
    try (GnarkVerifier prover = GnarkVerifier.load(LibZkProver.load(), keyDir)) {
      solidity = prover.exportSolidity();
      circuit = String.format(Locale.ROOT, "B=%d, D=%d, %s", prover.slots(), prover.depth(), prover.system().label());
      origin = prover.origin().describe();
    } catch (NativeProverException e) {
      spec.commandLine().getErr().println("rejected: " + e.getMessage());
      return 2;
    }
    try {
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(out, solidity, StandardCharsets.UTF_8);
    } catch (IOException e) {
      spec.commandLine().getErr().println("cannot write " + out + ": " + e.getMessage());
      return 1;
    }
    stdout.printf(Locale.ROOT, "verifier           %s (%s)%n", out.toAbsolutePath(), circuit);
    stdout.printf(Locale.ROOT, "source             %,d bytes%n", solidity.getBytes(StandardCharsets.UTF_8).length);
    stdout.printf("origin             %s%n", origin);
    return 0;
  }
}
