package io.zkrollup.sdk;

import io.zkrollup.statetree.field.Fr;
import java.util.Objects;

/**
 * A transaction the node acknowledged: it is journaled and fsynced, and will be in exactly one
 * batch.
 *
 * @param txHash the transaction's hash (the signed message): what {@link RollupClient#status} takes
 * @param journalIndex its position in the node's order
 */
public record Accepted(Fr txHash, long journalIndex) {

  /** Checks for null. */
  public Accepted {
    Objects.requireNonNull(txHash, "txHash");
  }
}
