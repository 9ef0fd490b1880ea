package io.zkrollup.aggregator.l1;

import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.Objects;

/**
 * An entry of the L1 deposit queue.
 *
 * @param index its place in the queue, from 0
 * @param keyHash the key of the account it goes to (the node picks the index)
 * @param amount wei, below 2^112
 */
public record L1Deposit(long index, Fr keyHash, BigInteger amount) {

  /** Checks for nulls. */
  public L1Deposit {
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(amount, "amount");
  }
}
