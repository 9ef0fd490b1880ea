package io.zkrollup.circuits.tx;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A withdrawal: {@code from} pays {@code amount} plus the batch fee; the L1 contract pays {@code
 * amount} to {@code l1Address}. The amount is exact (not a float).
 *
 * @param from the signer's account index, {@code < 2^32}
 * @param l1Address the L1 receiver
 * @param amount the exact amount, {@code < 2^128}
 * @param maxFee the most the signer pays as batch fee, float16-representable
 * @param nonce the signer's nonce, {@code ≥ 0}
 */
public record Withdrawal(long from, L1Address l1Address, BigInteger amount, BigInteger maxFee, long nonce)
    implements SignableOp {

  /**
   * Validates the ranges.
   *
   * @throws IllegalArgumentException if the index is not 32 bits, the amount not below 2^128, the
   *     max fee not float16 or the nonce negative
   */
  public Withdrawal {
    Ranges.checkU32("from", from);
    Objects.requireNonNull(l1Address, "l1Address");
    Ranges.checkBits("withdrawal amount", amount, Ranges.AMOUNT_BITS);
    Ranges.checkFloat16("maxFee", maxFee);
    Ranges.checkNonce(nonce);
  }

  @Override
  public OpCode opCode() {
    return OpCode.WITHDRAWAL;
  }

  @Override
  public BigInteger dest() {
    return l1Address.toBigInteger();
  }
}
