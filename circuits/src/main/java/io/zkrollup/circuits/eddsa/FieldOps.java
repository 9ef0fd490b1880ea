package io.zkrollup.circuits.eddsa;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.field.FrMath;
import java.math.BigInteger;

/**
 * Field operations the curve needs beyond {@link FrMath}: exponentiation by a fixed public exponent,
 * inversion, square roots and the sign rule of gnark-crypto's point compression. Same conventions as
 * {@link FrMath}: Montgomery limbs, destination first; stateless.
 */
final class FieldOps {
  private FieldOps() {}

  static final int L = FrMath.LIMBS;

  /** A plain (non-Montgomery) value below 2^256 is four 64-bit words, least significant first. */
  static final int WORDS = 4;

  /** p − 1 = 2^TWO_ADICITY · ODD_PART. */
  private static final int TWO_ADICITY;

  /** p − 2, the exponent of inversion. */
  private static final Exponent P_MINUS_2;

  /** (ODD_PART − 1) / 2, the exponent of Tonelli–Shanks. */
  private static final Exponent TS_EXPONENT;

  /** A quadratic non-residue raised to ODD_PART: a generator of the 2-Sylow subgroup. */
  private static final long[] TS_ROOT = new long[L];

  /** (p − 1) / 2 as plain limbs: values above it are "negative" in gnark-crypto's compression. */
  private static final long[] HALF = new long[WORDS];

  static {
    BigInteger p = Fr.MODULUS;
    BigInteger pMinus1 = p.subtract(BigInteger.ONE);
    TWO_ADICITY = pMinus1.getLowestSetBit();
    BigInteger odd = pMinus1.shiftRight(TWO_ADICITY);
    P_MINUS_2 = new Exponent(p.subtract(BigInteger.TWO));
    TS_EXPONENT = new Exponent(odd.subtract(BigInteger.ONE).shiftRight(1));
    BigInteger nonResidue = BigInteger.TWO;
    while (nonResidue.modPow(pMinus1.shiftRight(1), p).equals(BigInteger.ONE)) {
      nonResidue = nonResidue.add(BigInteger.ONE);
    }
    Fr.of(nonResidue.modPow(odd, p)).writeMontgomery(TS_ROOT, 0);
    toPlainLimbs(pMinus1.shiftRight(1), HALF);
  }

  /** A public exponent split into 4-bit windows, most significant first. */
  static final class Exponent {
    private final byte[] windows;

    Exponent(BigInteger e) {
      if (e.signum() <= 0) {
        throw new IllegalArgumentException("exponent must be positive");
      }
      int n = (e.bitLength() + 3) / 4;
      windows = new byte[n];
      for (int i = 0; i < n; i++) {
        windows[n - 1 - i] = (byte) (e.shiftRight(4 * i).intValue() & 0x0f);
      }
    }
  }

  /** Writes the plain value of the Montgomery element at {@code a[ao]} to {@code dst[0..WORDS)}. */
  static void toPlainWords(long[] dst, long[] a, int ao) {
    FrMath.toWords(dst, 0, a, ao, new long[L]);
  }

  /** Writes the value (0 ≤ v < 2^256) as four plain limbs, least significant first. */
  static void toPlainLimbs(BigInteger v, long[] dst) {
    for (int i = 0; i < WORDS; i++) {
      dst[i] = v.shiftRight(64 * i).longValue();
    }
  }

  /**
   * {@code r = a^e} with a fixed 4-bit window: per window four squarings and one multiplication (by
   * 1 for a zero window), so the sequence of operations depends only on the exponent's length.
   */
  static void pow(long[] r, int ro, long[] a, int ao, Exponent e) {
    long[] table = new long[16 * L];
    FrMath.setOne(table, 0);
    FrMath.copy(table, L, a, ao);
    for (int i = 2; i < 16; i++) {
      FrMath.mul(table, i * L, table, (i - 1) * L, a, ao);
    }
    long[] acc = new long[L];
    FrMath.setOne(acc, 0);
    for (byte w : e.windows) {
      for (int k = 0; k < 4; k++) {
        FrMath.square(acc, 0, acc, 0);
      }
      FrMath.mul(acc, 0, acc, 0, table, w * L);
    }
    FrMath.copy(r, ro, acc, 0);
  }

  /** {@code r = a^-1}; zero maps to zero (callers never invert zero: the curve has no such case). */
  static void inverse(long[] r, int ro, long[] a, int ao) {
    pow(r, ro, a, ao, P_MINUS_2);
  }

  /**
   * A square root of a: writes one root to r and returns true, or returns false (r untouched) if a
   * is not a square. Which of the two roots is written does not matter to callers: they pick the
   * sign with {@link #isLexicographicallyLargest}.
   */
  static boolean sqrt(long[] r, int ro, long[] a, int ao) {
    long[] one = new long[L];
    FrMath.setOne(one, 0);
    return sqrtRatio(r, ro, a, ao, one, 0);
  }

  /**
   * A square root of u/v without computing 1/v (v must not be 0): the "sqrt_ratio" of RFC 9380
   * (appendix F.2.1.1), which folds the inversion into the Tonelli–Shanks exponentiation, followed
   * by the usual Tonelli–Shanks loop (variable-time: callers only take roots of public values).
   * Returns false (r untouched) if u/v is not a square.
   *
   * <p>With a = u/v, p − 1 = 2^s·q (q odd) and c = (q − 1)/2: t = (u·v^(2^(s+1) − 1))^c ·
   * v^(2^s − 1) gives x = u·t with x² = a·b for b = u·v·t² = a^q, the starting point of the loop.
   */
  static boolean sqrtRatio(long[] r, int ro, long[] u, int uo, long[] v, int vo) {
    if (FrMath.isZero(u, uo)) {
      FrMath.setZero(r, ro);
      return true;
    }
    long[] t = new long[6 * L];
    final int w = 0;
    final int x = L;
    final int b = 2 * L;
    final int z = 3 * L;
    final int s = 4 * L;
    final int vPow = 5 * L;
    FrMath.copy(t, vPow, v, vo); // v^(2^s − 1), by square-and-multiply
    for (int i = 1; i < TWO_ADICITY; i++) {
      FrMath.square(t, vPow, t, vPow);
      FrMath.mul(t, vPow, t, vPow, v, vo);
    }
    FrMath.square(t, w, t, vPow);
    FrMath.mul(t, w, t, w, v, vo); // v^(2^(s+1) − 1)
    FrMath.mul(t, w, t, w, u, uo);
    pow(t, w, t, w, TS_EXPONENT);
    FrMath.mul(t, w, t, w, t, vPow); // t
    FrMath.mul(t, x, t, w, u, uo); // x = u·t
    FrMath.mul(t, b, t, w, v, vo);
    FrMath.mul(t, b, t, b, t, x); // b = u·v·t² = a^q
    FrMath.copy(t, z, TS_ROOT, 0);
    long[] one = new long[L];
    FrMath.setOne(one, 0);
    int m = TWO_ADICITY;
    // invariant: x² = a·b, and b has order dividing 2^(m−1) if a is a square
    while (!FrMath.equal(t, b, one, 0)) {
      // least k with b^(2^k) = 1; k = m means a is not a square
      int k = 0;
      FrMath.copy(t, s, t, b);
      while (!FrMath.equal(t, s, one, 0)) {
        FrMath.square(t, s, t, s);
        k++;
        if (k == m) {
          return false;
        }
      }
      FrMath.copy(t, s, t, z);
      for (int i = 0; i < m - k - 1; i++) {
        FrMath.square(t, s, t, s);
      }
      FrMath.square(t, z, t, s);
      FrMath.mul(t, b, t, b, t, z);
      FrMath.mul(t, x, t, x, t, s);
      m = k;
    }
    FrMath.copy(r, ro, t, x);
    return true;
  }

  /**
   * Whether a is above (p − 1)/2, gnark-crypto's {@code LexicographicallyLargest}: the sign bit of a
   * compressed point.
   */
  static boolean isLexicographicallyLargest(long[] a, int ao) {
    long[] plain = new long[WORDS];
    toPlainWords(plain, a, ao);
    for (int i = WORDS - 1; i >= 0; i--) {
      int c = Long.compareUnsigned(plain[i], HALF[i]);
      if (c != 0) {
        return c > 0;
      }
    }
    return false;
  }

  /** Whether a is the Montgomery form of 1. */
  static boolean isOne(long[] a, int ao) {
    long[] one = new long[L];
    FrMath.setOne(one, 0);
    return FrMath.equal(a, ao, one, 0);
  }
}
