package io.zkrollup.statetree.field;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An element of the BN254 scalar field (the field of gnark's {@code ecc.BN254.ScalarField()}): an
 * immutable value.
 *
 * <p>The wire form is the canonical encoding: 32 bytes, big-endian, strictly below the modulus, so
 * every element has exactly one encoding; {@link #fromBytes} refuses anything else. Internally the
 * value is kept in Montgomery form; {@link FrMath} works on that form without allocating, and
 * {@link #writeMontgomery}/{@link #fromMontgomery} move values between the two.
 */
public final class Fr {

  /** Size in bytes of the canonical encoding. */
  public static final int BYTES = 32;

  /** The modulus p = 21888242871839275222246405745257275088548364400416034343698204186575808495617. */
  public static final BigInteger MODULUS =
      new BigInteger("30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001", 16);

  /** 0. */
  public static final Fr ZERO = new Fr(0, 0, 0, 0, 0);

  /** 1. */
  public static final Fr ONE = new Fr(FrMath.ONE0, FrMath.ONE1, FrMath.ONE2, FrMath.ONE3, FrMath.ONE4);

  // Montgomery limbs (see FrMath), least significant first.
  private final long m0;
  private final long m1;
  private final long m2;
  private final long m3;
  private final long m4;

  private Fr(long m0, long m1, long m2, long m3, long m4) {
    this.m0 = m0;
    this.m1 = m1;
    this.m2 = m2;
    this.m3 = m3;
    this.m4 = m4;
  }

  // ---------------------------------------------------------------- construction

  /**
   * Decodes the canonical encoding.
   *
   * @throws IllegalArgumentException if {@code bytes} is not 32 bytes or encodes a value ≥ p
   */
  public static Fr fromBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException(
          "a field element is " + BYTES + " bytes, got " + bytes.length);
    }
    return fromBytes(bytes, 0);
  }

  /**
   * Decodes the canonical encoding at {@code bytes[offset..offset+31]}.
   *
   * @throws IllegalArgumentException if the range is out of bounds or encodes a value ≥ p
   */
  public static Fr fromBytes(byte[] bytes, int offset) {
    Objects.checkFromIndexSize(offset, BYTES, Objects.requireNonNull(bytes, "bytes").length);
    long[] limbs = new long[FrMath.LIMBS];
    if (!FrMath.decodeCanonical(limbs, 0, bytes, offset)) {
      throw new IllegalArgumentException(
          "not a canonical field element (must be below the BN254 scalar modulus): "
              + HexFormat.of().formatHex(bytes, offset, offset + BYTES));
    }
    return fromMontgomery(limbs, 0);
  }

  /**
   * Parses a canonical value written in hex (64 digits at most, optional {@code 0x} prefix).
   *
   * @throws IllegalArgumentException if it is not hex or not below p
   */
  public static Fr fromHex(String hex) {
    String digits = Objects.requireNonNull(hex, "hex").startsWith("0x") ? hex.substring(2) : hex;
    if (digits.isEmpty() || digits.length() > 2 * BYTES) {
      throw new IllegalArgumentException("a field element is 1 to 64 hex digits, got: " + hex);
    }
    byte[] bytes;
    try {
      bytes = HexFormat.of().parseHex("0".repeat(2 * BYTES - digits.length()) + digits);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not hex: " + hex, e);
    }
    return fromBytes(bytes);
  }

  /**
   * The element with the given value.
   *
   * @throws IllegalArgumentException if {@code value} is negative or ≥ p (use {@link #reduce} to
   *     reduce arbitrary integers)
   */
  public static Fr of(BigInteger value) {
    Objects.requireNonNull(value, "value");
    if (value.signum() < 0 || value.compareTo(MODULUS) >= 0) {
      throw new IllegalArgumentException("not a canonical field element: " + value);
    }
    return fromCanonicalLimbs(
        value.longValue(),
        value.shiftRight(64).longValue(),
        value.shiftRight(128).longValue(),
        value.shiftRight(192).longValue());
  }

  /** The element {@code value mod p} (any integer, negative ones included). */
  public static Fr reduce(BigInteger value) {
    return of(Objects.requireNonNull(value, "value").mod(MODULUS));
  }

  /**
   * The element with the given non-negative value.
   *
   * @throws IllegalArgumentException if {@code value} is negative
   */
  public static Fr of(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("negative value " + value + "; use reduce() for -x mod p");
    }
    return fromCanonicalLimbs(value, 0, 0, 0);
  }

  /** From the four 64-bit words of a canonical value, least significant first. */
  private static Fr fromCanonicalLimbs(long x0, long x1, long x2, long x3) {
    long[] limbs = new long[FrMath.LIMBS];
    FrMath.toMontgomery(limbs, 0, x0, x1, x2, x3);
    return fromMontgomery(limbs, 0);
  }

  /**
   * The element whose Montgomery limbs are {@code limbs[offset..offset+LIMBS-1]} (as produced by
   * {@link FrMath}). The limbs must be reduced, which every public {@link FrMath} method
   * guarantees.
   */
  public static Fr fromMontgomery(long[] limbs, int offset) {
    return new Fr(limbs[offset], limbs[offset + 1], limbs[offset + 2], limbs[offset + 3], limbs[offset + 4]);
  }

  /** Writes this element's Montgomery limbs to {@code dst[offset..offset+LIMBS-1]}, for {@link FrMath}. */
  public void writeMontgomery(long[] dst, int offset) {
    dst[offset] = m0;
    dst[offset + 1] = m1;
    dst[offset + 2] = m2;
    dst[offset + 3] = m3;
    dst[offset + 4] = m4;
  }

  // ---------------------------------------------------------------- arithmetic (allocating)

  /** {@code this + other}. */
  public Fr add(Fr other) {
    return apply(other, Op.ADD);
  }

  /** {@code this - other}. */
  public Fr subtract(Fr other) {
    return apply(other, Op.SUB);
  }

  /** {@code this · other}. */
  public Fr multiply(Fr other) {
    return apply(other, Op.MUL);
  }

  /** {@code this²}. */
  public Fr square() {
    return apply(this, Op.MUL);
  }

  /** {@code -this}. */
  public Fr negate() {
    long[] t = limbs();
    FrMath.neg(t, 0, t, 0);
    return fromMontgomery(t, 0);
  }

  /** {@code this^exponent} for a non-negative exponent. */
  public Fr pow(BigInteger exponent) {
    if (Objects.requireNonNull(exponent, "exponent").signum() < 0) {
      throw new IllegalArgumentException("negative exponent " + exponent);
    }
    long[] base = limbs();
    long[] acc = new long[FrMath.LIMBS];
    FrMath.setOne(acc, 0);
    for (int i = exponent.bitLength() - 1; i >= 0; i--) {
      FrMath.square(acc, 0, acc, 0);
      if (exponent.testBit(i)) {
        FrMath.mul(acc, 0, acc, 0, base, 0);
      }
    }
    return fromMontgomery(acc, 0);
  }

  /**
   * The multiplicative inverse ({@code this^(p-2)}).
   *
   * @throws ArithmeticException for zero
   */
  public Fr inverse() {
    if (isZero()) {
      throw new ArithmeticException("zero has no inverse");
    }
    return pow(MODULUS.subtract(BigInteger.TWO));
  }

  private enum Op {
    ADD,
    SUB,
    MUL
  }

  private Fr apply(Fr other, Op op) {
    Objects.requireNonNull(other, "other");
    long[] t = new long[2 * FrMath.LIMBS];
    writeMontgomery(t, 0);
    other.writeMontgomery(t, FrMath.LIMBS);
    switch (op) {
      case ADD -> FrMath.add(t, 0, t, 0, t, FrMath.LIMBS);
      case SUB -> FrMath.sub(t, 0, t, 0, t, FrMath.LIMBS);
      case MUL -> FrMath.mul(t, 0, t, 0, t, FrMath.LIMBS);
    }
    return fromMontgomery(t, 0);
  }

  // ---------------------------------------------------------------- inspection and encoding

  /** Whether this is 0. */
  public boolean isZero() {
    return (m0 | m1 | m2 | m3 | m4) == 0;
  }

  /** The canonical encoding: 32 bytes, big-endian. */
  public byte[] toBytes() {
    byte[] out = new byte[BYTES];
    writeBytes(out, 0);
    return out;
  }

  /** Writes the canonical encoding to {@code out[offset..offset+31]}. */
  public void writeBytes(byte[] out, int offset) {
    Objects.checkFromIndexSize(offset, BYTES, out.length);
    long[] t = limbs();
    FrMath.encode(out, offset, t, 0, new long[FrMath.ENCODE_SCRATCH]);
  }

  /** The value as a non-negative integer below p. */
  public BigInteger toBigInteger() {
    return new BigInteger(1, toBytes());
  }

  /** The canonical encoding in hex, {@code 0x} followed by 64 digits. */
  public String toHex() {
    return "0x" + HexFormat.of().formatHex(toBytes());
  }

  private long[] limbs() {
    long[] t = new long[FrMath.LIMBS];
    writeMontgomery(t, 0);
    return t;
  }

  @Override
  public boolean equals(Object o) {
    // Montgomery form is a bijection on reduced values, so limb equality is value equality.
    return o instanceof Fr other
        && m0 == other.m0
        && m1 == other.m1
        && m2 == other.m2
        && m3 == other.m3
        && m4 == other.m4;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(m0 ^ (m1 * 31) ^ (m2 * 961) ^ (m3 * 29791) ^ (m4 * 923521));
  }

  /** The canonical encoding in hex, as {@link #toHex()}. */
  @Override
  public String toString() {
    return toHex();
  }
}
