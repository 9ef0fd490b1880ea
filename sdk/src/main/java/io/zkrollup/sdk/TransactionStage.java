package io.zkrollup.sdk;

/** Where an accepted transaction is, in the order it gets there. */
public enum TransactionStage {
  /** Acknowledged and journaled, not yet in a sealed batch. */
  PENDING,
  /** In a batch whose witness the node has built and stored. */
  SEALED,
  /** That batch's proof is verified. */
  PROVEN,
  /** That batch is verified on L1 (a withdrawal in it can then be claimed). */
  PUBLISHED;

  /** Whether this stage is {@code other} or later. */
  public boolean isAtLeast(TransactionStage other) {
    return compareTo(other) >= 0;
  }
}
