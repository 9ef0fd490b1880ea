package io.zkrollup.circuits.tx;

import java.math.BigInteger;
import java.util.Objects;

/** The range rules of docs/protocol.md shared by the transaction records. */
public final class Ranges {

  /**
   * Account indices are 32-bit unsigned integers. (The rollup id is 64 bits, protocol v3: any Java
   * {@code long}, read as unsigned.)
   */
  public static final long MAX_U32 = 0xffff_ffffL;

  /** Token ids are below {@code 2^16} (protocol v3): 0 is ETH, 1 … 65,535 listed ERC-20 tokens. */
  public static final int TOKEN_BITS = 16;

  /** The largest token id. */
  public static final int MAX_TOKEN = (1 << TOKEN_BITS) - 1;

  /** Withdrawal amounts are below {@code 2^112} (14 bytes of public data, protocol v3). */
  public static final int WITHDRAWAL_BITS = 112;

  /** Withdrawal amounts (and balances, fees) are below {@code 2^128}. */
  public static final int AMOUNT_BITS = 128;

  /** Deposit amounts are below {@code 2^104} (13 bytes of public data, protocol v2). */
  public static final int DEPOSIT_BITS = 104;

  private Ranges() {}

  /** Checks {@code 0 ≤ value < 2^32}. */
  public static long checkU32(String what, long value) {
    if (value < 0 || value > MAX_U32) {
      throw new IllegalArgumentException(what + " must be in [0, 2^32), got " + value);
    }
    return value;
  }

  /** Checks {@code 0 ≤ token < 2^16}. */
  public static int checkToken(String what, long token) {
    if (token < 0 || token > MAX_TOKEN) {
      throw new IllegalArgumentException(what + " must be in [0, 2^16), got " + token);
    }
    return (int) token;
  }

  /** The 64-bit rollup id as the unsigned integer it is (Java has no unsigned long). */
  public static BigInteger unsignedRollupId(long rollupId) {
    return new BigInteger(Long.toUnsignedString(rollupId));
  }

  /** Checks {@code 0 ≤ nonce} (below {@code 2^63} as a {@code long}). */
  public static long checkNonce(long nonce) {
    if (nonce < 0) {
      throw new IllegalArgumentException("nonce must be in [0, 2^63), got " + nonce);
    }
    return nonce;
  }

  /** Checks {@code 0 ≤ value < 2^bits}. */
  public static BigInteger checkBits(String what, BigInteger value, int bits) {
    Objects.requireNonNull(value, what);
    if (value.signum() < 0 || value.bitLength() > bits) {
      throw new IllegalArgumentException(what + " must be in [0, 2^" + bits + "), got " + value);
    }
    return value;
  }

  /** Checks that a float16 amount is representable exactly. */
  public static BigInteger checkFloat16(String what, BigInteger value) {
    Objects.requireNonNull(value, what);
    if (!Float16.isRepresentable(value)) {
      throw new IllegalArgumentException(
          what + " " + value + " is not representable as float16 (m·10^e, m ≤ 2047, e ≤ 31)"
              + (value.signum() >= 0 ? "; the nearest below is " + Float16.floorOf(value).value() : ""));
    }
    return value;
  }
}
