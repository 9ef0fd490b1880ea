package io.zkrollup.aggregator.l1;

import io.zkrollup.statetree.field.Fr;
import java.util.List;

/**
 * The rollup contract as the node uses it (docs/protocol.md, "L1 contract"): its state, its deposit
 * queue, and committing batches. {@link EmbeddedL1} is one; a contract on an Ethereum node is
 * another.
 */
public interface RollupContract extends AutoCloseable {

  /** The contract's state now. */
  L1State state();

  /** Up to {@code max} queued deposits from index {@code from} on. */
  List<L1Deposit> deposits(long from, int max);

  /**
   * Commits the next batch.
   *
   * @throws L1RevertedException if the contract refuses it (nothing changes)
   */
  void commitBatch(byte[] pubdata, Fr newRoot, byte[] proof);

  /** Releases what the connection holds; the contract itself stays as it is. */
  @Override
  void close();
}
