package io.zkrollup.aggregator.l1;

import io.zkrollup.statetree.field.Fr;
import java.util.List;

/**
 * The rollup contract as the node uses it (docs/protocol.md, "L1 contract" and "Protocol v2"): its
 * state (exodus included), its priority queue of deposits and forced withdrawals, and committing
 * batches. The contract is {@code contracts/src/Rollup.sol} on an Ethereum node ({@link
 * Web3jRollupContract}); tests may put other implementations behind it.
 */
public interface RollupContract extends AutoCloseable {

  /** The contract's state now. */
  L1State state();

  /**
   * The contract's state at the newest block with the node's confirmations (its own included): what
   * a reorganisation shallower than the confirmations cannot take away. {@link #state()} where
   * every block counts as confirmed.
   */
  default L1State confirmedState() {
    return state();
  }

  /** The contract's batch count now ({@code state().batchCount()}, possibly cheaper). */
  default long batchCount() {
    return state().batchCount();
  }

  /**
   * Up to {@code max} priority requests (deposits and forced withdrawals, in queue order) from
   * index {@code from} on. The node must consume them in this order, each in a priority op.
   */
  List<PriorityRequest> requests(long from, int max);

  /**
   * The contract's rolling hash of the priority queue before request {@code index} ({@code
   * queueHash(index)}: zero bytes beyond the last request), at the head: what the requests the
   * node has fed must still hash to, or L1 reorganised under them.
   */
  byte[] queueHash(long index);

  /** The L1 block number now (the head the node's reads see). */
  long blockNumber();

  /** The block in which priority request {@code index} (below {@code requestCount}) was made. */
  long requestBlock(long index);

  /**
   * Blocks the oldest unconsumed request may wait; after that anyone may start exodus (the
   * contract's {@code priorityDeadline}).
   */
  long priorityDeadline();

  /**
   * Commits the next batch.
   *
   * @throws L1RevertedException if the contract refuses it (nothing changes; in exodus: {@code
   *     Exodus()})
   * @throws L1UnavailableException if L1 could not be reached or did not confirm in time, after
   *     retries (the batch may or may not be in: {@link #batchCount} says)
   */
  void commitBatch(byte[] pubdata, Fr newRoot, byte[] proof);

  /** Releases what the connection holds; the contract itself stays as it is. */
  @Override
  void close();
}
