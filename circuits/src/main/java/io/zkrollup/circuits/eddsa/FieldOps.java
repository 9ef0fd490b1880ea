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

  /** p − 1 = 2^TWO_ADICITY · ODD_PART. */
  private static final int TWO_ADICITY;

  /** p − 2, the exponent of inversion. */
  private static final Exponent P_MINUS_2;

  /** (ODD_PART − 1) / 2, the first exponent of Tonelli–Shanks. */
  private static final Exponent TS_EXPONENT;

  /** A quadratic non-residue raised to ODD_PART: a generator of the 2-Sylow subgroup. */
  private static final long[] TS_ROOT = new long[L];

  /** (p − 1) / 2 as plain limbs: values above it are "negative" in gnark-crypto's compression. */
  private static final long[] HALF = new long[L];

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

  /** Writes the value (0 ≤ v < 2^256) as four plain limbs, least significant first. */
  static void toPlainLimbs(BigInteger v, long[] dst) {
    for (int i = 0; i < L; i++) {
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
   * Tonelli–Shanks square root. Writes one root of a to r and returns true, or returns false (r
   * untouched) if a is not a square. Which root is written does not matter to callers: they pick
   * the sign with {@link #isLexicographicallyLargest}.
   */
  static boolean sqrt(long[] r, int ro, long[] a, int ao) {
    if (FrMath.isZero(a, ao)) {
      FrMath.setZero(r, ro);
      return true;
    }
    long[] t = new long[5 * L];
    final int w = 0;
    final int x = L;
    final int b = 2 * L;
    final int z = 3 * L;
    final int s = 4 * L;
    pow(t, w, a, ao, TS_EXPONENT); // a^((q-1)/2)
    FrMath.mul(t, x, a, ao, t, w); // a^((q+1)/2)
    FrMath.mul(t, b, t, x, t, w); // a^q
    FrMath.copy(t, z, TS_ROOT, 0);
    long[] one = new long[L];
    FrMath.setOne(one, 0);
    int v = TWO_ADICITY;
    while (!FrMath.equal(t, b, one, 0)) {
      // least k with b^(2^k) = 1; k = v means a is not a square
      int k = 0;
      FrMath.copy(t, s, t, b);
      while (!FrMath.equal(t, s, one, 0)) {
        FrMath.square(t, s, t, s);
        k++;
        if (k == v) {
          return false;
        }
      }
      FrMath.copy(t, s, t, z);
      for (int i = 0; i < v - k - 1; i++) {
        FrMath.square(t, s, t, s);
      }
      FrMath.square(t, z, t, s);
      FrMath.mul(t, b, t, b, t, z);
      FrMath.mul(t, x, t, x, t, s);
      v = k;
    }
    FrMath.copy(r, ro, t, x);
    return true;
  }

  /**
   * Whether a is above (p − 1)/2, gnark-crypto's {@code LexicographicallyLargest}: the sign bit of a
   * compressed point.
   */
  static boolean isLexicographicallyLargest(long[] a, int ao) {
    long[] plain = new long[L];
    FrMath.fromMontgomery(plain, 0, a, ao);
    for (int i = L - 1; i >= 0; i--) {
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
