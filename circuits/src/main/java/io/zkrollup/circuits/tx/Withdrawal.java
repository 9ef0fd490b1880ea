package io.zkrollup.circuits.tx;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A withdrawal: {@code from} pays {@code amount} (and the batch fee if {@code token} is the batch's
 * fee token); the L1 contract pays {@code amount} of {@code token} to {@code l1Address}. The amount
 * is exact (not a float) and below {@code 2^112} (14 bytes of public data, protocol v3): a larger
 * balance leaves in two withdrawals.
 *
 * @param from the signer's account index, {@code < 2^32}
 * @param l1Address the L1 receiver
 * @param amount the exact amount, {@code < 2^112}
 * @param maxFee the most the signer pays as batch fee, float16-representable
 * @param nonce the signer's nonce, {@code ≥ 0}
 * @param token the signer account's token, {@code < 2^16}; 0 is ETH
 */
public record Withdrawal(long from, L1Address l1Address, BigInteger amount, BigInteger maxFee, long nonce, int token)
    implements SignableOp {

  /**
   * Validates the ranges.
   *
   * @throws IllegalArgumentException if the index is not 32 bits, the amount not below 2^112, the
   *     max fee not float16, the nonce negative or the token not below 2^16
   */
  public Withdrawal {
    Ranges.checkU32("from", from);
    Objects.requireNonNull(l1Address, "l1Address");
    Ranges.checkBits("withdrawal amount", amount, Ranges.WITHDRAWAL_BITS);
    Ranges.checkFloat16("maxFee", maxFee);
    Ranges.checkNonce(nonce);
    Ranges.checkToken("token", token);
  }

  /** An ETH withdrawal (token 0). */
  public Withdrawal(long from, L1Address l1Address, BigInteger amount, BigInteger maxFee, long nonce) {
    this(from, l1Address, amount, maxFee, nonce, 0);
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
