package io.zkrollup.aggregator.cli;

import io.zkrollup.prover.gnark.CircuitReport;
import io.zkrollup.prover.gnark.GnarkProver;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.nativebridge.NativeProverException;
import java.io.PrintWriter;
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
 * {@code zkrollup circuit --slots B --depth D [--backend groth16|plonk] [--data-availability
 * rollup|validium] [--marginal] [--setup DIR]}: what the batch circuit costs for given B and D,
 * and optionally its setup. The work runs in a child JVM ({@link InChildJvm}).
 */
@Command(
    name = "circuit",
    description = {
      "Compile the batch circuit for B slots and tree depth D and print its constraint count and the",
      "constraints per transaction. With --setup, also run the setup, write the key directory and print",
      "the setup time, the key sizes and the time to load the keys back. The work runs in a child JVM:",
      "a circuit too large for the machine's memory ends that child, and this command reports it."
    })
final class CircuitCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin CircuitOptions circuit;

  @Option(
      names = "--marginal",
      description = "Also compile B+1 slots and print the cost of one more slot (excludes fixed costs).")
  boolean marginal;

  @Option(names = "--setup", paramLabel = "DIR", description = "Run the setup and write the keys to DIR.")
  Path keyDir;

  @Override
  public Integer call() throws InterruptedException {
    if (!InChildJvm.here()) {
      List<String> args = new ArrayList<>(List.of("circuit"));
      args.addAll(circuit.toArgs());
      if (marginal) {
        args.add("--marginal");
      }
      if (keyDir != null) {
        args.addAll(List.of("--setup", keyDir.toAbsolutePath().toString()));
      }
      return InChildJvm.run(spec, args, "compiling the circuit (" + circuit.describe() + ")");
    }
    PrintWriter out = spec.commandLine().getOut();
    LibZkProver lib = LibZkProver.load();
    int slots = circuit.slots;
    try {
      CircuitReport info = GnarkProver.describe(lib, slots, circuit.depth, circuit.system, circuit.mode);
      long constraints = info.constraints();
      out.printf(Locale.ROOT, "circuit            batch, B=%d, D=%d, %s, %s%n", slots, circuit.depth, circuit.system.label(), circuit.mode.label());
      out.printf(Locale.ROOT, "constraints        %,d%n", constraints);
      out.printf(Locale.ROOT, "per transaction    %,d (total / B)%n", constraints / slots);
      if (marginal) {
        long more = GnarkProver.describe(lib, slots + 1, circuit.depth, circuit.system, circuit.mode).constraints();
        out.printf(Locale.ROOT, "marginal slot      %,d (B+1 minus B)%n", more - constraints);
      }
      out.printf(Locale.ROOT, "witness            %,d bytes%n", info.number("witnessBytes"));
      out.printf(Locale.ROOT, "compile            %,d ms%n", info.number("compileMs"));
      if (keyDir != null) {
        CircuitReport setup = GnarkProver.setup(lib, slots, circuit.depth, circuit.system, circuit.mode, keyDir);
        out.printf(Locale.ROOT, "setup              %,d ms%n", setup.number("setupMs"));
        for (Map.Entry<String, Long> file : setup.fileSizes().entrySet()) {
          out.printf(Locale.ROOT, "%-18s %,d bytes%n", file.getKey(), file.getValue());
        }
        long start = System.nanoTime();
        try (GnarkProver loaded = GnarkProver.load(lib, keyDir)) {
          out.printf(Locale.ROOT, "key load           %,d ms (hashes checked)%n", (System.nanoTime() - start) / 1_000_000);
        }
        out.printf(Locale.ROOT, "keys written to    %s%n", keyDir.toAbsolutePath());
      }
      return 0;
    } catch (NativeProverException e) {
      spec.commandLine().getErr().println("rejected: " + e.getMessage());
      return 2;
    }
  }
}
