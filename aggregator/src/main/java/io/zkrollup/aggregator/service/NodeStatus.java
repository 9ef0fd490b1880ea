package io.zkrollup.aggregator.service;

import io.zkrollup.aggregator.coordinator.JobCoordinator;
import java.math.BigInteger;
import java.util.Optional;
import java.util.SortedMap;

/** How far the node has come and how its prover queue stands. */
public interface NodeStatus {

  /** Journal, batch and proof counts and the state root now. */
  NodeProgress progress();

  /** The prover queue now, if the node proves its batches. */
  Optional<JobCoordinator.Snapshot> proverQueue();

  /** Whether L1 is in exodus, so that the node has stopped sequencing for good. */
  boolean l1Exodus();

  /** Batches L1 holds with the node's confirmations, as the node last saw (0 without an L1). */
  default long l1VerifiedBatches() {
    return 0;
  }

  /** Why the node stopped accepting transactions, if it did. */
  default Optional<String> halted() {
    return Optional.empty();
  }

  /**
   * The fee of every token the node takes signed ops of now, by token id: ETH's and each token's
   * the operator has a fee account of (docs/protocol.md, "The node (v3)"). Grows as tokens are
   * listed on L1.
   */
  SortedMap<Integer, BigInteger> servedFees();
}
