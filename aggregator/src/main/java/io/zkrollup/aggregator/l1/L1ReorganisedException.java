package io.zkrollup.aggregator.l1;

/**
 * L1 reorganised under priority requests the node has already journaled: a deposit it fed is gone
 * or in another place. Batches built on them can never be committed, so the node stops; raising
 * the confirmations the node waits for is the fix for the next time.
 */
public final class L1ReorganisedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What L1 holds now and what the node fed. */
  public L1ReorganisedException(String message) {
    super(message);
  }
}
