package io.zkrollup.aggregator.cli;

import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.gnark.Ceremony;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.nativebridge.NativeProverException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zkrollup ceremony <step>}: a multi-party Groth16 setup of the batch circuit, whose keys
 * nobody can forge proofs with unless every contributor colluded (docs/operations.md, "Keys for
 * funds: a ceremony"). The ceremony is a directory the participants pass along; each step is a
 * subcommand, and each runs its native work in a child JVM ({@link InChildJvm}), like {@code setup}.
 */
@Command(
    name = "ceremony",
    description = {
      "A multi-party setup (MPC ceremony) of the batch circuit's Groth16 keys, on gnark's mpcsetup. The keys are",
      "safe if any one contributor threw their randomness away. Steps, in order: init, contribute (each contributor,",
      "phase 1), seal-phase1, contribute (phase 2), finalize; anyone can verify."
    },
    subcommands = {
      CeremonyCommand.Init.class,
      CeremonyCommand.Contribute.class,
      CeremonyCommand.SealPhase1.class,
      CeremonyCommand.Finalize.class,
      CeremonyCommand.Verify.class
    })
final class CeremonyCommand {

  private CeremonyCommand() {}

  /** The ceremony directory every step takes. */
  static final class DirOption {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The ceremony directory (the transcript).")
    Path dir;
  }

  /** A step: its arguments for the child JVM, and its work there. */
  abstract static class Step implements Callable<Integer> {
    @Spec CommandSpec spec;

    /** The subcommand's name and arguments, for the same step in a child JVM. */
    abstract List<String> args();

    /** What the step does, for the error message when the child does not finish. */
    abstract String what();

    /** The step itself, in the child JVM. */
    abstract int run(PrintWriter out) throws NativeProverException;

    @Override
    public final Integer call() throws InterruptedException {
      if (!InChildJvm.here()) {
        List<String> all = new ArrayList<>(List.of("ceremony", spec.name()));
        all.addAll(args());
        return InChildJvm.run(spec, all, what());
      }
      PrintWriter out = spec.commandLine().getOut();
      try {
        return run(out);
      } catch (NativeProverException e) {
        out.flush();
        spec.commandLine().getErr().println("rejected: " + e.getMessage());
        return 2;
      }
    }
  }

  static String abs(Path p) {
    return p.toAbsolutePath().toString();
  }

  static String circuit(Ceremony.Spec s) {
    return String.format(Locale.ROOT, "groth16 B=%d, D=%d, %s", s.slots(), s.depth(), s.dataAvailability().label());
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%,.0f MiB", bytes / (1024.0 * 1024.0));
  }

  @Command(name = "init", description = "Start a ceremony in an empty directory: compile the batch circuit and write ceremony.json (coordinator).")
  static final class Init extends Step {
    @picocli.CommandLine.Mixin DirOption dir;

    @Option(names = "--slots", required = true, paramLabel = "B", description = "Slots (transactions) per batch.")
    int slots;

    @Option(names = "--depth", required = true, paramLabel = "D", description = "State tree depth, 1..32.")
    int depth;

    @Option(
        names = "--data-availability",
        defaultValue = "rollup",
        converter = CircuitOptions.ModeConverter.class,
        paramLabel = "MODE",
        description = "rollup (default) or validium: the circuit of that mode.")
    DataAvailability mode;

    @Override
    List<String> args() {
      return List.of("--dir", abs(dir.dir), "--slots", Integer.toString(slots), "--depth", Integer.toString(depth), "--data-availability", mode.label());
    }

    @Override
    String what() {
      return "compiling the circuit (B=" + slots + ", D=" + depth + ")";
    }

    @Override
    int run(PrintWriter out) {
      Ceremony.Started s;
      try (Progress p = Progress.start(out, "compiling the circuit")) {
        s = Ceremony.init(LibZkProver.load(), dir.dir, slots, depth, mode);
      }
      Ceremony.Spec c = s.spec();
      out.printf(Locale.ROOT, "ceremony           %s (%s)%n", abs(dir.dir), circuit(c));
      out.printf(Locale.ROOT, "constraints        %,d%n", c.constraints());
      out.printf(Locale.ROOT, "domain N           %,d (2^%d): phase 1 depends on it alone%n", c.domain(), Long.numberOfTrailingZeros(c.domain()));
      out.printf(Locale.ROOT, "circuit sha256     %s%n", c.circuitSha256());
      out.printf(Locale.ROOT, "phase-1 file       %,d bytes per contribution%n", s.phase1FileBytes());
      out.printf(Locale.ROOT, "memory             at least %s to contribute, %s to seal and verify%n", mib(s.contributeMemoryBytes()), mib(s.verifyMemoryBytes()));
      out.printf("next               each contributor in turn: zkrollup ceremony contribute --dir DIR --name NAME%n");
      return 0;
    }
  }

  @Command(
      name = "contribute",
      description = {
        "Add your contribution to the open phase: gnark draws fresh randomness (Go's crypto/rand), updates the latest file",
        "and writes the next one. The randomness is never written; run this on a machine you trust, then wipe it.",
        "Prints your receipt: the new file's SHA-256, which `verify` lists."
      })
  static final class Contribute extends Step {
    @picocli.CommandLine.Mixin DirOption dir;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Your name in the transcript: 1 to 64 letters, digits, '.', '_' or '-'.")
    String name;

    @Override
    List<String> args() {
      return List.of("--dir", abs(dir.dir), "--name", name);
    }

    @Override
    String what() {
      return "the contribution of " + name;
    }

    @Override
    int run(PrintWriter out) {
      Ceremony.Receipt r;
      try (Progress p = Progress.start(out, "contributing as " + name)) {
        r = Ceremony.contribute(LibZkProver.load(), dir.dir, name);
      }
      Ceremony.Contribution c = r.contribution();
      out.printf(Locale.ROOT, "contribution       phase %d, #%d by %s%n", c.phase(), c.index(), c.name());
      out.printf(Locale.ROOT, "file               %s (%,d bytes)%n", r.path(), r.bytes());
      out.printf(Locale.ROOT, "receipt            sha256 %s%n", c.sha256());
      out.printf("                   keep it: `zkrollup ceremony verify` lists every contribution's SHA-256; yours must be there%n");
      out.printf("next               pass the directory on; nothing of your randomness is in it%n");
      return 0;
    }
  }

  @Command(
      name = "seal-phase1",
      description = {
        "Verify every phase-1 contribution and seal the phase with a random beacon (coordinator): the hash of an L1 block",
        "announced in advance, mined after the last contribution. Writes the SRS and the start of phase 2."
      })
  static final class SealPhase1 extends Step {
    @picocli.CommandLine.Mixin DirOption dir;

    @Option(names = "--beacon", required = true, paramLabel = "HEX", description = "The beacon in hex (e.g. the announced L1 block's hash).")
    String beacon;

    @Override
    List<String> args() {
      return List.of("--dir", abs(dir.dir), "--beacon", beacon);
    }

    @Override
    String what() {
      return "sealing phase 1";
    }

    @Override
    int run(PrintWriter out) {
      Ceremony.Sealed s;
      try (Progress p = Progress.start(out, "verifying phase 1 and sealing it")) {
        s = Ceremony.sealPhase1(LibZkProver.load(), dir.dir, beacon);
      }
      out.printf(Locale.ROOT, "phase 1 sealed     %d contributions verified, beacon %s%n", s.contributions(), s.beacon());
      out.printf(Locale.ROOT, "srs                sha256 %s (phase1/srs.bin)%n", s.srsSha256());
      out.printf(Locale.ROOT, "phase 2 starts     sha256 %s (phase2/0000-initial.bin)%n", s.initialSha256());
      out.printf("next               each contributor in turn, again: zkrollup ceremony contribute --dir DIR --name NAME%n");
      return 0;
    }
  }

  @Command(
      name = "finalize",
      description = {
        "Verify every phase-2 contribution, seal the phase with a second beacon and write the key directory (coordinator).",
        "Its manifest records the ceremony as the keys' origin."
      })
  static final class Finalize extends Step {
    @picocli.CommandLine.Mixin DirOption dir;

    @Option(names = "--beacon", required = true, paramLabel = "HEX", description = "The phase-2 beacon in hex (another announced L1 block's hash).")
    String beacon;

    @Option(names = "--keys", required = true, paramLabel = "DIR", description = "The key directory to write (must not hold keys).")
    Path keyDir;

    @Override
    List<String> args() {
      return List.of("--dir", abs(dir.dir), "--beacon", beacon, "--keys", abs(keyDir));
    }

    @Override
    String what() {
      return "finalizing the ceremony";
    }

    @Override
    int run(PrintWriter out) {
      Ceremony.Finalized f;
      try (Progress p = Progress.start(out, "verifying phase 2, sealing it and writing the keys")) {
        f = Ceremony.finalizeKeys(LibZkProver.load(), dir.dir, beacon, keyDir);
      }
      out.printf(Locale.ROOT, "keys               %s%n", f.keyDir());
      for (Map.Entry<String, Long> file : f.fileSizes().entrySet()) {
        out.printf(Locale.ROOT, "%-18s %,d bytes%n", file.getKey(), file.getValue());
      }
      out.printf(Locale.ROOT, "beacon             %s%n", f.beacon());
      out.printf(Locale.ROOT, "transcript         %s%n", f.transcript());
      out.printf(Locale.ROOT, "origin             %s%n", f.origin().describe());
      out.printf("next               anyone: zkrollup ceremony verify --dir DIR --keys KEYS%n");
      return 0;
    }
  }

  @Command(
      name = "verify",
      description = {
        "Recompute the ceremony from its files alone: every contribution against its predecessor, both seals with their",
        "beacons, and with --keys, that the key directory holds exactly the keys the transcript produces. Prints every",
        "contribution with its SHA-256 (find your receipt), the beacons and PASS; or FAIL and what is wrong (exit 2)."
      })
  static final class Verify extends Step {
    @picocli.CommandLine.Mixin DirOption dir;

    @Option(names = "--keys", paramLabel = "DIR", description = "A key directory that must hold exactly the transcript's keys.")
    Path keyDir;

    @Option(names = "--beacon1", paramLabel = "HEX", description = "The phase-1 beacon that was announced; the transcript must have used it.")
    String beacon1;

    @Option(names = "--beacon2", paramLabel = "HEX", description = "The phase-2 beacon that was announced.")
    String beacon2;

    @Override
    List<String> args() {
      List<String> a = new ArrayList<>(List.of("--dir", abs(dir.dir)));
      if (keyDir != null) {
        a.addAll(List.of("--keys", abs(keyDir)));
      }
      if (beacon1 != null) {
        a.addAll(List.of("--beacon1", beacon1));
      }
      if (beacon2 != null) {
        a.addAll(List.of("--beacon2", beacon2));
      }
      return a;
    }

    @Override
    String what() {
      return "verifying the ceremony";
    }

    @Override
    int run(PrintWriter out) {
      Ceremony.Transcript t;
      try (Progress p = Progress.start(out, "recomputing the ceremony from its files")) {
        t = Ceremony.verify(LibZkProver.load(), dir.dir, Optional.ofNullable(keyDir), Optional.ofNullable(beacon1), Optional.ofNullable(beacon2));
      } catch (NativeProverException e) {
        out.printf("FAIL               %s%n", e.getMessage());
        return 2;
      }
      Ceremony.Spec c = t.spec();
      out.printf(Locale.ROOT, "ceremony           %s (%s; N = %,d)%n", abs(dir.dir), circuit(c), c.domain());
      out.printf(Locale.ROOT, "circuit sha256     %s (this library's circuit)%n", c.circuitSha256());
      printPhase(out, "phase 1", t.phase1());
      t.beacon1().ifPresent(b -> out.printf("beacon 1           %s%n", b));
      printPhase(out, "phase 2", t.phase2());
      t.beacon2().ifPresent(b -> out.printf("beacon 2           %s%n", b));
      out.printf("transcript         %s%n", t.transcript());
      if (t.keysChecked()) {
        out.printf("keys               %s holds exactly the transcript's keys (verifying.key %s)%n", abs(keyDir), t.keyFiles().get("verifying.key"));
      } else if (t.finalized()) {
        out.printf("keys               verifying.key %s (compare with --keys DIR)%n", t.keyFiles().get("verifying.key"));
      }
      out.printf("PASS               %s%n", state(t));
      return 0;
    }

    private static String state(Ceremony.Transcript t) {
      return switch (t.state()) {
        case "phase1-open" -> "phase 1 is open: every contribution so far verifies";
        case "phase2-open" -> "phase 1 is sealed, phase 2 is open: everything so far verifies";
        default -> "finalized: every contribution, both seals and the keys verify";
      };
    }

    private static void printPhase(PrintWriter out, String label, List<Ceremony.Contribution> cs) {
      if (cs.isEmpty()) {
        out.printf("%-18s no contributions yet%n", label);
      }
      for (Ceremony.Contribution c : cs) {
        out.printf(Locale.ROOT, "%-18s %2d %-16s %s  %s%n", c.index() == 1 ? label : "", c.index(), c.name(), c.sha256(), c.time());
      }
    }
  }
}
