package io.zkrollup.aggregator.service;

import io.zkrollup.aggregator.coordinator.JobCoordinator;
import java.util.Optional;

/** How far the node has come and how its prover queue stands. */
public interface NodeStatus {

  /** Journal, batch and proof counts and the state root now. */
  NodeProgress progress();

  /** The prover queue now, if the node proves its batches. */
  Optional<JobCoordinator.Snapshot> proverQueue();

  /** Whether L1 is in exodus, so that the node has stopped sequencing for good. */
  boolean l1Exodus();
}
