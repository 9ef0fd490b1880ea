package io.zkrollup.prover.gnark;

import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.nativebridge.LibZkProver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Key directories made once per test JVM and shared by the ITs that need the same circuit: a setup
 * takes a minute on 2 cores. Never cached across runs, so a changed circuit always gets new keys.
 */
final class TestKeys {
  /** A key directory and what its setup reported. */
  record KeySet(Path dir, CircuitReport report) {}

  private static final Map<String, KeySet> SETUPS = new HashMap<>();

  private TestKeys() {}

  /** The keys for (system, B, D), set up on first use in this JVM. */
  static synchronized KeySet of(LibZkProver lib, ProofSystem system, int b, int d) {
    String name = system.label() + "-b" + b + "-d" + d;
    KeySet keys = SETUPS.get(name);
    if (keys == null) {
      Path dir;
      try {
        dir = Files.createTempDirectory("zkrollup-it-" + name);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      keys = new KeySet(dir, GnarkProver.setup(lib, b, d, system, DataAvailability.ROLLUP, dir));
      SETUPS.put(name, keys);
    }
    return keys;
  }
}
