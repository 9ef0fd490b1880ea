package io.zkrollup.circuits.tx;

import java.math.BigInteger;

/**
 * A transfer: {@code from} pays {@code amount} (and the batch fee if {@code token} is the batch's fee
 * token), {@code to} (an existing account of the same token) receives {@code amount}. Both amounts
 * are float16 values.
 *
 * @param from the signer's account index, {@code < 2^32}
 * @param to the receiver's account index, {@code < 2^32}
 * @param amount the amount, float16-representable (wallets round with {@link Float16#floorOf})
 * @param maxFee the most the signer pays as batch fee, float16-representable
 * @param nonce the signer's nonce, {@code ≥ 0}
 * @param token the token of both accounts (the signer's), {@code < 2^16}; 0 is ETH
 */
public record Transfer(long from, long to, BigInteger amount, BigInteger maxFee, long nonce, int token) implements SignableOp {

  /**
   * Validates the ranges.
   *
   * @throws IllegalArgumentException if an index is not 32 bits, an amount is not float16, the
   *     nonce is negative or the token not below 2^16
   */
  public Transfer {
    Ranges.checkU32("from", from);
    Ranges.checkU32("to", to);
    Ranges.checkFloat16("transfer amount", amount);
    Ranges.checkFloat16("maxFee", maxFee);
    Ranges.checkNonce(nonce);
    Ranges.checkToken("token", token);
  }

  /** An ETH transfer (token 0). */
  public Transfer(long from, long to, BigInteger amount, BigInteger maxFee, long nonce) {
    this(from, to, amount, maxFee, nonce, 0);
  }

  /** Convenience for small amounts. */
  public Transfer(long from, long to, long amount, long maxFee, long nonce, int token) {
    this(from, to, BigInteger.valueOf(amount), BigInteger.valueOf(maxFee), nonce, token);
  }

  /** Convenience for small amounts of ETH (token 0). */
  public Transfer(long from, long to, long amount, long maxFee, long nonce) {
    this(from, to, amount, maxFee, nonce, 0);
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
