package io.zkrollup.aggregator.testing;

import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.testing.SharedTestKeys;
import java.nio.file.Path;

/**
 * The Groth16 key directory for B=5, D=4 that the cluster, L1 and node tests share: set up once per
 * build ({@link SharedTestKeys}), the same set the prover-native worker tests use.
 */
public final class ClusterTestKeys {

  public static final int SLOTS = 5;
  public static final int DEPTH = 4;

  private ClusterTestKeys() {}

  public static Path dir() {
    return SharedTestKeys.of(ProofSystem.GROTH16, SLOTS, DEPTH, DataAvailability.ROLLUP);
  }
}
