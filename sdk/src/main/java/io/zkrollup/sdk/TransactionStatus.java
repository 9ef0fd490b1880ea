package io.zkrollup.sdk;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Where an accepted transaction is.
 *
 * @param stage its stage
 * @param journalIndex its position in the node's order
 * @param batch its batch, from {@link TransactionStage#SEALED} on
 */
public record TransactionStatus(TransactionStage stage, long journalIndex, OptionalLong batch) {

  /** Checks for null. */
  public TransactionStatus {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(batch, "batch");
  }
}
