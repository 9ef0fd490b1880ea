package io.zkrollup.aggregator.cli;

import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.ProofSystem;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** Which batch circuit a command compiles or sets up: B, D, proof system and mode (a picocli mixin). */
final class CircuitOptions {

  @Option(names = "--slots", required = true, paramLabel = "B", description = "Slots (transactions) per batch.")
  int slots;

  @Option(names = "--depth", required = true, paramLabel = "D", description = "State tree depth, 1..32.")
  int depth;

  @Option(
      names = "--backend",
      defaultValue = "groth16",
      converter = SystemConverter.class,
      description = "groth16 (default) or plonk (development SRS: never for funds).")
  ProofSystem system;

  @Option(
      names = "--data-availability",
      defaultValue = "rollup",
      converter = ModeConverter.class,
      paramLabel = "MODE",
      description = "rollup (default) or validium: the circuit (and keys) of that mode.")
  DataAvailability mode;

  /** These options as arguments, for the same command in a child JVM. */
  List<String> toArgs() {
    return List.of("--slots", Integer.toString(slots), "--depth", Integer.toString(depth), "--backend", system.label(), "--data-availability", mode.label());
  }

  /** "B=…, D=…". */
  String describe() {
    return "B=" + slots + ", D=" + depth;
  }

  static final class ModeConverter implements ITypeConverter<DataAvailability> {
    @Override
    public DataAvailability convert(String value) {
      return DataAvailability.ofLabel(value);
    }
  }

  static final class SystemConverter implements ITypeConverter<ProofSystem> {
    @Override
    public ProofSystem convert(String value) {
      return ProofSystem.parse(value);
    }
  }
}
