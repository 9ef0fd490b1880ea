package io.zkrollup.aggregator.node;

import io.zkrollup.prover.KeyOrigin;
import java.nio.file.Path;

/**
 * Whether keys may back a rollup on an L1. Keys from a single-party development setup are forgeable
 * by whoever ran the setup: anything on that machine at that moment could prove any state
 * transition, and Rollup.sol would pay out every withdrawal the forger likes. So a node and {@code
 * zkrollup deploy} refuse them for an L1 unless the operator says, with a loudly named flag, that
 * the chain holds nothing of value.
 */
public final class KeyTrust {

  /** The flag that accepts development keys on an L1 (tests, local chains). */
  public static final String INSECURE_FLAG = "--insecure-development-keys";

  private KeyTrust() {}

  /**
   * Checks that keys of {@code origin} may back a rollup on an L1.
   *
   * @param acceptDevelopmentKeys whether the operator accepted development keys explicitly
   * @throws IllegalStateException saying why and what to do, for development keys not accepted
   */
  public static void requireTrustedForL1(KeyOrigin origin, Path keyDir, boolean acceptDevelopmentKeys) {
    if (origin.isCeremony() || acceptDevelopmentKeys) {
      return;
    }
    throw new IllegalStateException(
        "the keys in " + keyDir + " come from a single-party development setup: whoever ran it can forge proofs, and Rollup.sol would pay out"
            + " whatever they prove. An L1 with funds needs keys from a multi-party ceremony (zkrollup ceremony; docs/operations.md,"
            + " \"Keys for funds: a ceremony\"). For a local or test chain only, pass " + INSECURE_FLAG + ".");
  }
}
