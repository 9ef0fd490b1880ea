package io.zkrollup.aggregator.coordinator;

import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.gnark.GnarkProver;
import io.zkrollup.prover.nativebridge.LibZkProver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One Groth16 key directory for B=5, D=4, set up once per test JVM and shared by the cluster tests
 * and the L1 tests (a setup takes a minute on 2 cores).
 */
public final class ClusterTestKeys {

  public static final int SLOTS = 5;
  public static final int DEPTH = 4;

  private static Path dir;

  private ClusterTestKeys() {}

  public static synchronized Path dir() {
    if (dir == null) {
      try {
        Path d = Files.createTempDirectory("cluster-test-keys");
        GnarkProver.setup(LibZkProver.load(), SLOTS, DEPTH, ProofSystem.GROTH16, DataAvailability.ROLLUP, d);
        dir = d;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dir;
  }
}
