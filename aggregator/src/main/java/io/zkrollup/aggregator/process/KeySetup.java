package io.zkrollup.aggregator.process;

import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.ProofSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A development key setup ({@code zkrollup setup}) in a child JVM: the setup compiles the circuit
 * and holds the whole proving key in memory, so a circuit too large for the machine ends the child,
 * not the node that asked for it.
 */
public final class KeySetup {

  private KeySetup() {}

  /**
   * Sets up keys for (system, B, D, mode) in {@code dir}, unless it holds keys already.
   *
   * @param progress gets the child's output lines
   * @return whether a setup ran
   * @throws IllegalStateException if the setup failed or its process was ended
   */
  public static boolean ensure(Path dir, ProofSystem system, int slots, int depth, DataAvailability mode, Consumer<String> progress)
      throws InterruptedException {
    if (Files.exists(dir.resolve("manifest.json"))) {
      return false;
    }
    List<String> args =
        List.of(
            "setup", "--keys", dir.toAbsolutePath().toString(), "--slots", Integer.toString(slots), "--depth", Integer.toString(depth),
            "--backend", system.label(), "--data-availability", mode.label());
    NativeJob.Outcome o = NativeJob.run(List.of(), Map.of(), args, progress, progress);
    if (!o.succeeded()) {
      String why = o.finished() ? "it exited with status " + o.exitStatus() + ": " + String.join(" / ", o.tail()) : o.crash();
      throw new IllegalStateException("setting up " + system.label() + " keys for B=" + slots + ", D=" + depth + " in " + dir + " failed: " + why);
    }
    return true;
  }
}
