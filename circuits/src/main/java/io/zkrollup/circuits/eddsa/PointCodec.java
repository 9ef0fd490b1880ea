package io.zkrollup.circuits.eddsa;

import static io.zkrollup.circuits.eddsa.FieldOps.L;
import static io.zkrollup.circuits.eddsa.FieldOps.WORDS;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.field.FrMath;

/**
 * gnark-crypto's compressed point encoding ({@code PointAffine.Bytes}/{@code SetBytes}, after RFC
 * 8032 §3.1): the 32 bytes are y in little-endian order, and the top bit of the last byte is set iff
 * x is "negative", i.e. above (p − 1)/2. Works on Montgomery limbs; stateless.
 */
final class PointCodec {
  private PointCodec() {}

  static final int BYTES = 32;

  /** a and d in Montgomery limbs; never written. */
  private static final long[] A_LIMBS = Curve.limbs(Curve.A);

  private static final long[] D_LIMBS = Curve.limbs(Curve.D);

  /** The field modulus p as plain limbs, least significant first. */
  private static final long[] MODULUS = new long[WORDS];

  static {
    FieldOps.toPlainLimbs(Fr.MODULUS, MODULUS);
  }

  /** Writes the compressed encoding of the affine point (x, y) to {@code out[off..off+31]}. */
  static void encode(byte[] out, int off, long[] x, int xo, long[] y, int yo) {
    long[] plain = new long[WORDS];
    FieldOps.toPlainWords(plain, y, yo);
    for (int i = 0; i < WORDS; i++) {
      long v = plain[i];
      for (int b = 0; b < 8; b++) {
        out[off + 8 * i + b] = (byte) (v >>> (8 * b));
      }
    }
    if (FieldOps.isLexicographicallyLargest(x, xo)) {
      out[off + BYTES - 1] |= (byte) 0x80;
    }
  }

  /**
   * The y value of an encoding without its sign bit, as plain limbs (not reduced: it may be ≥ p).
   */
  static void readUnmaskedY(long[] dst, byte[] in, int off) {
    for (int i = 0; i < WORDS; i++) {
      long v = 0;
      for (int b = 7; b >= 0; b--) {
        v = (v << 8) | (in[off + 8 * i + b] & 0xffL);
      }
      dst[i] = v;
    }
    dst[WORDS - 1] &= Long.MAX_VALUE;
  }

  /** Whether the sign bit ("x is negative") of the encoding is set. */
  static boolean signBit(byte[] in, int off) {
    return (in[off + BYTES - 1] & 0x80) != 0;
  }

  /** Whether the plain limbs hold a value below p. */
  static boolean isCanonical(long[] v) {
    return FrMath.isCanonical(v[0], v[1], v[2], v[3]);
  }

  /**
   * Decodes {@code in[off..off+31]} as gnark-crypto's {@code PointAffine.SetBytes} does, writing
   * Montgomery limbs of x and y. Like gnark-crypto it reduces a y at or above p modulo p (values up
   * to 2^255 − 1 are possible, so at most two subtractions) and ignores the sign bit when x = 0.
   *
   * @return false if no point of the curve has this y (gnark-crypto then returns a point off the
   *     curve, which every later check of it refuses)
   */
  static boolean decode(long[] x, int xo, long[] y, int yo, byte[] in, int off) {
    long[] v = new long[WORDS];
    readUnmaskedY(v, in, off);
    while (!isCanonical(v)) {
      subtractModulus(v);
    }
    FrMath.toMontgomery(y, yo, v[0], v[1], v[2], v[3]);
    return recoverX(x, xo, y, yo, signBit(in, off));
  }

  /**
   * Solves the curve equation a·x² + y² = 1 + d·x²·y² for x: x² = (1 − y²)/(a − d·y²), then takes
   * the root whose sign matches {@code negative} (for x = 0 there is only one).
   *
   * @return false if (1 − y²)/(a − d·y²) is not a square
   */
  static boolean recoverX(long[] x, int xo, long[] y, int yo, boolean negative) {
    long[] t = new long[3 * L];
    FrMath.square(t, 0, y, yo); // y²
    FrMath.mul(t, L, t, 0, D_LIMBS, 0);
    FrMath.sub(t, L, A_LIMBS, 0, t, L); // a − d·y², never 0: −1/d is not a square
    FrMath.setOne(t, 2 * L);
    FrMath.sub(t, 2 * L, t, 2 * L, t, 0); // 1 − y²
    if (!FieldOps.sqrtRatio(t, 0, t, 2 * L, t, L)) {
      return false;
    }
    if (!FrMath.isZero(t, 0) && FieldOps.isLexicographicallyLargest(t, 0) != negative) {
      FrMath.neg(t, 0, t, 0);
    }
    FrMath.copy(x, xo, t, 0);
    return true;
  }

  private static void subtractModulus(long[] v) {
    long borrow = 0;
    for (int i = 0; i < WORDS; i++) {
      long d = v[i] - MODULUS[i] - borrow;
      borrow = ((~v[i] & MODULUS[i]) | (~(v[i] ^ MODULUS[i]) & d)) >>> 63;
      v[i] = d;
    }
  }
}
