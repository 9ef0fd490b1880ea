package io.zkrollup.aggregator.service;

/**
 * Where an accepted transaction is.
 *
 * @param stage its stage
 * @param journalIndex its journal index
 * @param batch its batch number, or −1 while {@link Stage#PENDING}
 */
public record TxStatus(Stage stage, long journalIndex, long batch) {

  /** The stages of an accepted transaction. */
  public enum Stage {
    /** Journaled; its batch is not built yet. */
    PENDING,
    /** Its batch is built. */
    SEALED,
    /** Its batch is proven. */
    PROVEN,
    /** Its batch is verified on L1. */
    PUBLISHED
  }
}
