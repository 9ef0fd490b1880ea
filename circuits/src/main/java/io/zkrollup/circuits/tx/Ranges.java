package io.zkrollup.circuits.tx;

import java.math.BigInteger;
import java.util.Objects;

/** The range rules of docs/protocol.md shared by the transaction records. */
public final class Ranges {

  /** Account indices and the rollup id are 32-bit unsigned integers. */
  public static final long MAX_U32 = 0xffff_ffffL;

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
