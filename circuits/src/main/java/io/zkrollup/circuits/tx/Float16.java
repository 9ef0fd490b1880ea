package io.zkrollup.circuits.tx;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A float16 amount (docs/protocol.md, "Amount floats"): a 5-bit exponent {@code e} in the high
 * bits and an 11-bit mantissa {@code m} in the low bits, value {@code m · 10^e}. Values range from 0
 * to {@code 2047 · 10^31} (below {@code 2^115}) with 3 to 4 significant digits.
 *
 * <p>A value can have several encodings (10 is {@code 10·10^0} and {@code 1·10^1}). {@link
 * #encode} picks the one with the <em>smallest exponent</em>, so that Java produces one set of
 * bits per value (they appear in signed messages and public data); {@link #fromBits} accepts every
 * encoding.
 *
 * @param exponent {@code e}, 0..31
 * @param mantissa {@code m}, 0..2047
 */
public record Float16(int exponent, int mantissa) {

  /** Bits of the exponent. */
  public static final int EXPONENT_BITS = 5;

  /** Bits of the mantissa. */
  public static final int MANTISSA_BITS = 11;

  /** The largest exponent, 31. */
  public static final int MAX_EXPONENT = (1 << EXPONENT_BITS) - 1;

  /** The largest mantissa, 2047. */
  public static final int MAX_MANTISSA = (1 << MANTISSA_BITS) - 1;

  /** The largest value, {@code 2047 · 10^31}. */
  public static final BigInteger MAX_VALUE = BigInteger.valueOf(MAX_MANTISSA).multiply(BigInteger.TEN.pow(MAX_EXPONENT));

  private static final BigInteger MAX_MANTISSA_BIG = BigInteger.valueOf(MAX_MANTISSA);

  /** Zero: exponent 0, mantissa 0 (bits 0). */
  public static final Float16 ZERO = new Float16(0, 0);

  /**
   * Validates the parts.
   *
   * @throws IllegalArgumentException if the exponent is not 0..31 or the mantissa not 0..2047
   */
  public Float16 {
    if (exponent < 0 || exponent > MAX_EXPONENT) {
      throw new IllegalArgumentException("float16 exponent must be 0.." + MAX_EXPONENT + ", got " + exponent);
    }
    if (mantissa < 0 || mantissa > MAX_MANTISSA) {
      throw new IllegalArgumentException("float16 mantissa must be 0.." + MAX_MANTISSA + ", got " + mantissa);
    }
  }

  /**
   * The float with the given 16 bits ({@code exponent << 11 | mantissa}).
   *
   * @throws IllegalArgumentException if {@code bits} is not 0..65535
   */
  public static Float16 fromBits(int bits) {
    if (bits < 0 || bits > 0xffff) {
      throw new IllegalArgumentException("float16 bits must be 0..65535, got " + bits);
    }
    return new Float16(bits >>> MANTISSA_BITS, bits & MAX_MANTISSA);
  }

  /**
   * The exact encoding of {@code value}, with the smallest exponent.
   *
   * @throws IllegalArgumentException if the value is negative, above {@link #MAX_VALUE}, or has
   *     more significant digits than the mantissa holds (e.g. 2048 or 12345); round it with {@link
   *     #floorOf} first
   */
  public static Float16 encode(BigInteger value) {
    Objects.requireNonNull(value, "value");
    if (value.signum() < 0) {
      throw new IllegalArgumentException("a float16 amount cannot be negative, got " + value);
    }
    BigInteger m = value;
    for (int e = 0; e <= MAX_EXPONENT; e++) {
      if (m.compareTo(MAX_MANTISSA_BIG) <= 0) {
        return new Float16(e, m.intValue());
      }
      BigInteger[] qr = m.divideAndRemainder(BigInteger.TEN);
      if (qr[1].signum() != 0) {
        break;
      }
      m = qr[0];
    }
    throw new IllegalArgumentException(
        "amount " + value + " is not representable as float16 (m·10^e, m ≤ 2047, e ≤ 31); the nearest below is " + floorOf(value).value());
  }

  /** {@link #encode} for a {@code long}. */
  public static Float16 encode(long value) {
    return encode(BigInteger.valueOf(value));
  }

  /** Whether {@link #encode} accepts {@code value}. */
  public static boolean isRepresentable(BigInteger value) {
    Objects.requireNonNull(value, "value");
    return value.signum() >= 0 && value.compareTo(MAX_VALUE) <= 0 && floorOf(value).value().equals(value);
  }

  /**
   * The largest representable value ≤ {@code value} (what a wallet sends when it rounds down),
   * encoded with the smallest exponent. Values above {@link #MAX_VALUE} give {@link #MAX_VALUE}.
   *
   * @throws IllegalArgumentException if the value is negative
   */
  public static Float16 floorOf(BigInteger value) {
    Objects.requireNonNull(value, "value");
    if (value.signum() < 0) {
      throw new IllegalArgumentException("a float16 amount cannot be negative, got " + value);
    }
    if (value.compareTo(MAX_VALUE) >= 0) {
      return new Float16(MAX_EXPONENT, MAX_MANTISSA);
    }
    // The smallest e with floor(value / 10^e) ≤ 2047 ...
    int e = 0;
    BigInteger m = value;
    while (m.compareTo(MAX_MANTISSA_BIG) > 0) {
      m = m.divide(BigInteger.TEN);
      e++;
    }
    Float16 candidate = new Float16(e, m.intValue());
    // ... but 2047·10^(e-1) can be larger than floor(value / 10^e)·10^e (value 20480: 20470, not
    // 20400); smaller exponents give less.
    if (e > 0) {
      Float16 below = new Float16(e - 1, MAX_MANTISSA);
      if (below.value().compareTo(candidate.value()) > 0) {
        candidate = below;
      }
    }
    return encode(candidate.value());
  }

  /** The 16 bits: {@code exponent << 11 | mantissa}. */
  public int bits() {
    return (exponent << MANTISSA_BITS) | mantissa;
  }

  /** The value {@code mantissa · 10^exponent}. */
  public BigInteger value() {
    return BigInteger.valueOf(mantissa).multiply(BigInteger.TEN.pow(exponent));
  }

  @Override
  public String toString() {
    return mantissa + "e" + exponent;
  }
}
