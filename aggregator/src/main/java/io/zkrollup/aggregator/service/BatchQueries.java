package io.zkrollup.aggregator.service;

import io.zkrollup.aggregator.batch.BatchUpdate;
import io.zkrollup.aggregator.batch.StoredBatch;
import io.zkrollup.aggregator.batch.StoredProof;
import io.zkrollup.statetree.field.Fr;
import java.util.Optional;
import java.util.function.Consumer;

/** Reads built batches, their proofs and where transactions are, and follows batch updates. */
public interface BatchQueries {

  /** How many batches are built (0 … builtCount − 1). */
  long builtCount();

  /** Built batch {@code n}, if it is built. */
  Optional<StoredBatch> batch(long n);

  /** The verified proof of batch {@code n}, if it has one. */
  Optional<StoredProof> proof(long n);

  /** Where the transaction with hash {@code txHash} is, if it was accepted. */
  Optional<TxStatus> status(Fr txHash);

  /**
   * Calls {@code listener} with every batch update from now on (sealed, proven, published), until
   * the returned handle is closed.
   */
  AutoCloseable subscribe(Consumer<BatchUpdate> listener);
}
