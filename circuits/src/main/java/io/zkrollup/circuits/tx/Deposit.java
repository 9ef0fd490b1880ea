package io.zkrollup.circuits.tx;

import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A deposit from the L1 priority queue: {@code to} receives {@code amount}; if {@code to} is empty
 * it becomes an account with {@code keyHash} and nonce 0, otherwise its key hash must be {@code
 * keyHash}. Not signed (the L1 contract authorised it).
 *
 * @param to the account index, {@code < 2^32}
 * @param keyHash {@code compress(pubKeyX, pubKeyY)} of the owner's key, as the L1 contract computed it
 * @param amount the exact amount, {@code < 2^112}
 */
public record Deposit(long to, Fr keyHash, BigInteger amount) implements BatchOp {

  /**
   * Validates the ranges.
   *
   * @throws IllegalArgumentException if the index is not 32 bits or the amount not below 2^112
   */
  public Deposit {
    Ranges.checkU32("to", to);
    Objects.requireNonNull(keyHash, "keyHash");
    Ranges.checkBits("deposit amount", amount, Ranges.DEPOSIT_BITS);
  }

  @Override
  public OpCode opCode() {
    return OpCode.DEPOSIT;
  }
}
