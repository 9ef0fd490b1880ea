package io.zkrollup.circuits.tx;

import java.math.BigInteger;

/**
 * A transfer: {@code from} pays {@code amount} plus the batch fee, {@code to} (an existing account)
 * receives {@code amount}. Both amounts are float16 values.
 *
 * @param from the signer's account index, {@code < 2^32}
 * @param to the receiver's account index, {@code < 2^32}
 * @param amount the amount, float16-representable (wallets round with {@link Float16#floorOf})
 * @param maxFee the most the signer pays as batch fee, float16-representable
 * @param nonce the signer's nonce, {@code ≥ 0}
 */
public record Transfer(long from, long to, BigInteger amount, BigInteger maxFee, long nonce) implements SignableOp {

  /**
   * Validates the ranges.
   *
   * @throws IllegalArgumentException if an index is not 32 bits, an amount is not float16 or the
   *     nonce is negative
   */
  public Transfer {
    Ranges.checkU32("from", from);
    Ranges.checkU32("to", to);
    Ranges.checkFloat16("transfer amount", amount);
    Ranges.checkFloat16("maxFee", maxFee);
    Ranges.checkNonce(nonce);
  }

  /** Convenience for small amounts. */
  public Transfer(long from, long to, long amount, long maxFee, long nonce) {
    this(from, to, BigInteger.valueOf(amount), BigInteger.valueOf(maxFee), nonce);
  }

  @Override
  public OpCode opCode() {
    return OpCode.TRANSFER;
  }

  /** The float16 of the amount (the public data carries these bits). */
  public Float16 amount16() {
    return Float16.encode(amount);
  }

  @Override
  public BigInteger dest() {
    return BigInteger.valueOf(to);
  }
}
