package io.zkrollup.aggregator.cli;

import io.zkrollup.prover.gnark.CircuitReport;
import io.zkrollup.prover.gnark.GnarkProver;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.nativebridge.NativeProverException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zkrollup setup --keys DIR --slots B --depth D [--backend groth16|plonk]
 * [--data-availability rollup|validium]}: a single-party development setup of the batch circuit,
 * written as a key directory. It runs in a child JVM, like every circuit compilation.
 */
@Command(
    name = "setup",
    description = {
      "Set up proving keys for the batch circuit of B slots and tree depth D and write them to a key",
      "directory (circuit, proving key, verifying key, manifest with their SHA-256).",
      "DEVELOPMENT KEYS: a single-party setup, whose randomness whoever ran it could keep and forge",
      "proofs with. Keys for funds come from a multi-party ceremony (zkrollup ceremony)."
    })
final class SetupCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--keys", required = true, paramLabel = "DIR", description = "The key directory to write (must not hold keys yet).")
  Path keyDir;

  @Mixin CircuitOptions circuit;

  @Override
  public Integer call() throws InterruptedException {
    if (Files.exists(keyDir.resolve("manifest.json"))) {
      spec.commandLine().getErr().println("rejected: " + keyDir + " holds keys already; choose an empty directory");
      return 2;
    }
    if (!InChildJvm.here()) {
      List<String> args = new ArrayList<>(List.of("setup", "--keys", keyDir.toAbsolutePath().toString()));
      args.addAll(circuit.toArgs());
      return InChildJvm.run(spec, args, "setting up keys for " + circuit.describe());
    }
    PrintWriter out = spec.commandLine().getOut();
    try {
      CircuitReport setup = GnarkProver.setup(LibZkProver.load(), circuit.slots, circuit.depth, circuit.system, circuit.mode, keyDir);
      out.printf(
          Locale.ROOT, "keys               %s (%s %s, %s)%n", keyDir.toAbsolutePath(), circuit.system.label(), circuit.describe(), circuit.mode.label());
      out.printf(Locale.ROOT, "constraints        %,d%n", setup.constraints());
      out.printf(Locale.ROOT, "setup              %,d ms%n", setup.number("setupMs"));
      for (Map.Entry<String, Long> file : setup.fileSizes().entrySet()) {
        out.printf(Locale.ROOT, "%-18s %,d bytes%n", file.getKey(), file.getValue());
      }
      out.printf("origin             %s%n", setup.origin().orElseThrow().describe());
      return 0;
    } catch (NativeProverException e) {
      spec.commandLine().getErr().println("rejected: " + e.getMessage());
      return 2;
    }
  }
}
