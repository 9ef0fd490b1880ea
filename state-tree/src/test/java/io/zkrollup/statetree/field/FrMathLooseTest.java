package io.zkrollup.statetree.field;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The package-private loose operations behind Poseidon2Kernel, at the edges of their stated
 * preconditions: values up to the bound, limbs as large as allowed, checked against BigInteger.
 */
class FrMathLooseTest {

  private static final BigInteger P = Fr.MODULUS;
  private static final BigInteger R = BigInteger.ONE.shiftLeft(260);
  private static final BigInteger R_INV = R.modInverse(P);
  private static final int L = FrMath.LIMBS;

  private static BigInteger value(long[] a, int off) {
    BigInteger v = BigInteger.ZERO;
    for (int i = L - 1; i >= 0; i--) {
      v = v.shiftLeft(52).add(BigInteger.valueOf(a[off + i]));
    }
    return v;
  }

  /** Normalized limbs of v. */
  private static long[] limbs(BigInteger v) {
    long[] a = new long[L];
    for (int i = 0; i < L; i++) {
      a[i] = v.shiftRight(52 * i).longValue() & FrMath.M;
    }
    a[L - 1] = v.shiftRight(52 * (L - 1)).longValue();
    return a;
  }

  /** The same value with limbs made loose: borrow from higher limbs so lower ones reach maxLimb. */
  private static long[] loosen(BigInteger v, long maxLimb, SplittableRandom random) {
    long[] a = limbs(v);
    for (int i = L - 1; i > 0; i--) {
      long room = (maxLimb - 1 - a[i - 1]) >> 52; // how many 2^52 units limb i-1 can take
      long k = Math.min(a[i], random.nextLong(Math.max(1, room + 1)));
      a[i] -= k;
      a[i - 1] += k << 52;
    }
    return a;
  }

  private static BigInteger below(BigInteger bound, SplittableRandom random) {
    switch (random.nextInt(4)) {
      case 0:
        return bound.subtract(BigInteger.ONE);
      case 1:
        return bound.subtract(BigInteger.valueOf(random.nextLong(1, 1 << 20)));
      default:
        return new BigInteger(bound.bitLength() + 8, new java.util.Random(random.nextLong())).mod(bound);
    }
  }

  @Test
  void montMulAndSquareHoldTheirBoundsAtTheEdges() {
    SplittableRandom random = new SplittableRandom(1);
    BigInteger nineP = P.multiply(BigInteger.valueOf(9));
    long[] out = new long[L];
    for (int i = 0; i < 20_000; i++) {
      BigInteger a = below(nineP, random);
      BigInteger b = below(nineP, random);
      long[] la = loosen(a, 1L << 54, random);
      long[] lb = limbs(b);
      FrMath.montMul(out, 0, la, 0, lb, 0);
      BigInteger got = value(out, 0);
      assertThat(got.mod(P)).isEqualTo(a.multiply(b).multiply(R_INV).mod(P));
      assertThat(got).isLessThan(a.multiply(b).divide(R).add(P).add(BigInteger.ONE));
      for (int k = 0; k < L; k++) {
        assertThat(out[k] >>> 52).isZero();
      }
      FrMath.montSquare(out, 0, lb, 0);
      got = value(out, 0);
      assertThat(got.mod(P)).isEqualTo(b.multiply(b).multiply(R_INV).mod(P));
      assertThat(got).isLessThan(P.shiftLeft(1));
    }
  }

  @Test
  void reduceWeakAndFullHoldTheirBounds() {
    SplittableRandom random = new SplittableRandom(2);
    BigInteger sixtyFourP = P.multiply(BigInteger.valueOf(64));
    BigInteger weakBound = P.shiftLeft(1).add(BigInteger.valueOf(65).shiftLeft(208));
    for (int i = 0; i < 50_000; i++) {
      BigInteger v = below(sixtyFourP, random);
      long[] a = loosen(v, 1L << 58, random);
      FrMath.reduceWeak(a, 0);
      BigInteger got = value(a, 0);
      assertThat(got.mod(P)).isEqualTo(v.mod(P));
      assertThat(got.signum()).isGreaterThanOrEqualTo(0);
      assertThat(got).isLessThan(weakBound);
      long[] b = loosen(v, 1L << 58, random);
      FrMath.reduceFull(b, 0);
      assertThat(value(b, 0)).isEqualTo(v.mod(P));
      for (int k = 0; k < L - 1; k++) {
        assertThat(b[k] >>> 52).isZero();
      }
    }
  }
}
