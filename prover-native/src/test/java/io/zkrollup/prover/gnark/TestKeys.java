package io.zkrollup.prover.gnark;

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
  private static final Map<String, Path> DIRS = new HashMap<>();
  private static final Map<String, CircuitReport> REPORTS = new HashMap<>();

  private TestKeys() {}

  static synchronized Path dir(LibZkProver lib, ProofSystem system, int b, int d) {
    String name = system.label() + "-b" + b + "-d" + d;
    Path dir = DIRS.get(name);
    if (dir == null) {
      try {
        dir = Files.createTempDirectory("zkrollup-it-" + name);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      REPORTS.put(name, GnarkProver.setup(lib, b, d, system, dir));
      DIRS.put(name, dir);
    }
    return dir;
  }

  static synchronized CircuitReport report(LibZkProver lib, ProofSystem system, int b, int d) {
    dir(lib, system, b, d);
    return REPORTS.get(system.label() + "-b" + b + "-d" + d);
  }
}
