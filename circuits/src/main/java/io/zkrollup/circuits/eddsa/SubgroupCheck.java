package io.zkrollup.circuits.eddsa;

import static io.zkrollup.circuits.eddsa.ExtendedPoints.POINT;
import static io.zkrollup.circuits.eddsa.ExtendedPoints.TMP;
import static io.zkrollup.circuits.eddsa.FieldOps.L;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.field.FrMath;
import java.math.BigInteger;

/**
 * Membership in the prime-order subgroup with one exponentiation instead of a multiplication by the
 * group order (which costs as much as a whole signature verification).
 *
 * <p>The curve's group is cyclic of order 8·r and p ≡ 1 (mod 8), so the reduced Tate pairing of
 * level 8 with a rational point T of order 8 is non-degenerate: a point P lies in the subgroup 8·E
 * (= the points of order r) iff f(P)^((p−1)/8) = 1, where f is the Miller function of 8·T. This is
 * the idea of gnark-crypto's {@code IsInSubGroup} (eprint 2026/749, "divide and pair"); this class
 * derives its own formulation:
 *
 * <ul>
 *   <li>Edwards (x, y) maps to the Weierstrass model Y² = X³ + 2(a+d)·X² + (a−d)²·X with X =
 *       (a−d)(1+y)/(1−y), Y = 2X/x (x ≠ 0, y ≠ 1). T8 maps to a point with 2·T8 = T4, 4·T8 = T2 =
 *       (0, 0).
 *   <li>f = (l_T8 / v_T4)^4 · (l_T4 / v_T2)^2 · v_T2 with tangent lines l and verticals v (the
 *       tangent at the 2-torsion point T2 is the vertical X = 0). Up to 8th powers, f ≡ l_T8^4 ·
 *       v_T4^4 · l_T4^2 · v_T2^7.
 *   <li>Every factor is a fraction with denominator (1−y) or (1−y)·x; multiplying by (1−y)^7·x^2
 *       makes the total denominator an 8th power, so no inversion is needed.
 * </ul>
 *
 * <p>Points whose value is 0 (the torsion points where a line vanishes) are not in the subgroup,
 * and the test says so. The constants are computed and self-checked at class initialisation; the
 * unit tests compare the test with r·P = O on random and torsion-twisted points.
 */
final class SubgroupCheck {
  private SubgroupCheck() {}

  private static final int AD = 0; // a − d
  private static final int X8 = L;
  private static final int Y8 = 2 * L;
  private static final int L8 = 3 * L; // tangent slope at T8
  private static final int X4 = 4 * L;
  private static final int Y4 = 5 * L;
  private static final int L4 = 6 * L; // tangent slope at T4

  /** The constants above, in Montgomery limbs; never written after class initialisation. */
  private static final long[] K = new long[7 * L];

  /** a and d in Montgomery limbs; never written. */
  private static final long[] A_LIMBS = Curve.limbs(Curve.A);

  private static final long[] D_LIMBS = Curve.limbs(Curve.D);

  /** (p − 1)/8. */
  private static final FieldOps.Exponent EXPONENT =
      new FieldOps.Exponent(Fr.MODULUS.subtract(BigInteger.ONE).shiftRight(3));

  static {
    long[] t8 = findTorsion8();
    long[] t4 = new long[2 * L];
    long[] p = new long[POINT];
    long[] t = new long[TMP];
    ExtendedPoints.fromAffine(p, 0, t8, 0, t8, L);
    ExtendedPoints.dbl(p, 0, p, 0, t, true);
    ExtendedPoints.toAffine(t4, 0, t4, L, p, 0, t);

    FrMath.sub(K, AD, A_LIMBS, 0, D_LIMBS, 0);
    toWeierstrass(K, X8, K, Y8, t8, 0, t8, L);
    toWeierstrass(K, X4, K, Y4, t4, 0, t4, L);
    tangentSlope(K, L8, K, X8, K, Y8);
    tangentSlope(K, L4, K, X4, K, Y4);
    selfCheck();
  }

  /**
   * A point of order 8: r·P for a curve point P whose component of order 8 is non-trivial (the
   * first y = 2, 3, ... that gives one).
   */
  private static long[] findTorsion8() {
    long[] x = new long[L];
    long[] y = new long[L];
    long[] p = new long[POINT];
    long[] q = new long[POINT];
    long[] t = new long[TMP];
    for (long candidate = 2; candidate < 1000; candidate++) {
      Fr.of(candidate).writeMontgomery(y, 0);
      if (!PointCodec.recoverX(x, 0, y, 0, false)) {
        continue;
      }
      ExtendedPoints.fromAffine(p, 0, x, 0, y, 0);
      ScalarMul.mul(p, 0, p, 0, Curve.ORDER);
      System.arraycopy(p, 0, q, 0, POINT);
      ExtendedPoints.dbl(q, 0, q, 0, t, true);
      ExtendedPoints.dbl(q, 0, q, 0, t, true);
      // 4·(r·P) is O or (0, −1); it is the latter, Y ≠ Z, iff r·P has order 8
      if (!FrMath.equal(q, ExtendedPoints.Y, q, ExtendedPoints.Z)) {
        long[] out = new long[2 * L];
        ExtendedPoints.toAffine(out, 0, out, L, p, 0, t);
        return out;
      }
    }
    throw new IllegalStateException("no point of order 8 found");
  }

  /** X = (a−d)(1+y)/(1−y), Y = 2X/x. */
  private static void toWeierstrass(
      long[] wx, int wxo, long[] wy, int wyo, long[] x, int xo, long[] y, int yo) {
    long[] t = new long[2 * L];
    FrMath.setOne(t, 0);
    FrMath.sub(t, L, t, 0, y, yo); // 1 − y
    FrMath.add(t, 0, t, 0, y, yo); // 1 + y
    FieldOps.inverse(t, L, t, L);
    FrMath.mul(t, 0, t, 0, t, L);
    FrMath.mul(wx, wxo, t, 0, K, AD);
    FieldOps.inverse(t, 0, x, xo);
    FrMath.mul(t, 0, t, 0, wx, wxo);
    FrMath.dbl(wy, wyo, t, 0);
  }

  /** The tangent slope λ = (3X² + 2·c2·X + c1)/(2Y) at (X, Y), c2 = 2(a+d), c1 = (a−d)². */
  private static void tangentSlope(long[] l, int lo, long[] x, int xo, long[] y, int yo) {
    long[] t = new long[3 * L];
    c2(t, 0);
    FrMath.dbl(t, 0, t, 0);
    FrMath.mul(t, 0, t, 0, x, xo); // 2·c2·X
    FrMath.square(t, L, x, xo);
    FrMath.add(t, 2 * L, t, L, t, L);
    FrMath.add(t, L, t, 2 * L, t, L); // 3X²
    FrMath.add(t, 0, t, 0, t, L);
    FrMath.square(t, L, K, AD); // c1 = (a−d)²
    FrMath.add(t, 0, t, 0, t, L);
    FrMath.dbl(t, L, y, yo);
    FieldOps.inverse(t, L, t, L);
    FrMath.mul(l, lo, t, 0, t, L);
  }

  /** c2 = 2(a + d). */
  private static void c2(long[] dst, int off) {
    FrMath.add(dst, off, A_LIMBS, 0, D_LIMBS, 0);
    FrMath.dbl(dst, off, dst, off);
  }

  /** Fails class initialisation loudly if the derived constants are inconsistent. */
  private static void selfCheck() {
    long[] t = new long[4 * L];
    if (!onWeierstrass(X8, Y8) || !onWeierstrass(X4, Y4)) {
      throw new IllegalStateException("torsion points are not on the Weierstrass model");
    }
    // 2·T8 = T4: X' = λ² − c2 − 2X, Y' = λ(X − X') − Y
    c2(t, 0);
    FrMath.square(t, L, K, L8);
    FrMath.sub(t, L, t, L, t, 0);
    FrMath.sub(t, L, t, L, K, X8);
    FrMath.sub(t, L, t, L, K, X8);
    FrMath.sub(t, 2 * L, K, X8, t, L);
    FrMath.mul(t, 2 * L, t, 2 * L, K, L8);
    FrMath.sub(t, 2 * L, t, 2 * L, K, Y8);
    if (!FrMath.equal(t, L, K, X4) || !FrMath.equal(t, 2 * L, K, Y4)) {
      throw new IllegalStateException("2·T8 is not T4 on the Weierstrass model");
    }
    // 2·T4 = (0, 0): λ4² − c2 − 2·X4 = 0
    FrMath.square(t, L, K, L4);
    FrMath.sub(t, L, t, L, t, 0);
    FrMath.sub(t, L, t, L, K, X4);
    FrMath.sub(t, L, t, L, K, X4);
    if (!FrMath.isZero(t, L)) {
      throw new IllegalStateException("2·T4 is not (0, 0) on the Weierstrass model");
    }
  }

  private static boolean onWeierstrass(int xo, int yo) {
    long[] t = new long[3 * L];
    c2(t, 0);
    FrMath.add(t, 0, t, 0, K, xo); // X + c2
    FrMath.mul(t, 0, t, 0, K, xo); // X² + c2·X
    FrMath.square(t, L, K, AD);
    FrMath.add(t, 0, t, 0, t, L); // X² + c2·X + c1
    FrMath.mul(t, 0, t, 0, K, xo);
    FrMath.square(t, 2 * L, K, yo);
    return FrMath.equal(t, 0, t, 2 * L);
  }

  /** Whether the curve point (x, y) (Montgomery limbs) lies in the subgroup of order r. */
  static boolean isInSubgroup(long[] x, int xo, long[] y, int yo) {
    if (FrMath.isZero(x, xo)) {
      return FieldOps.isOne(y, yo); // the identity, not the point (0, −1) of order 2
    }
    final int d1 = 0;
    final int xn = L;
    final int yn = 2 * L;
    final int l8 = 3 * L;
    final int v4 = 4 * L;
    final int l4 = 5 * L;
    final int s = 6 * L;
    final int z = 7 * L;
    long[] t = new long[8 * L];
    FrMath.setOne(t, d1);
    FrMath.add(t, xn, t, d1, y, yo);
    FrMath.mul(t, xn, t, xn, K, AD); // Xn = (a−d)(1+y)
    FrMath.sub(t, d1, t, d1, y, yo); // D1 = 1 − y, never 0 for x ≠ 0
    FrMath.dbl(t, yn, t, xn); // Yn = 2·Xn; X = Xn/D1, Y = Yn/(D1·x)
    line(t, l8, t, xn, t, yn, t, d1, x, xo, X8, Y8, L8, t, s);
    line(t, l4, t, xn, t, yn, t, d1, x, xo, X4, Y4, L4, t, s);
    FrMath.mul(t, v4, K, X4, t, d1);
    FrMath.sub(t, v4, t, xn, t, v4); // (X − X4)·D1
    // z = (l8·v4)^4 · l4^2 · (Xn·D1)^7 · x^2
    FrMath.mul(t, z, t, l8, t, v4);
    FrMath.square(t, z, t, z);
    FrMath.square(t, z, t, z);
    FrMath.square(t, l4, t, l4);
    FrMath.mul(t, z, t, z, t, l4);
    FrMath.mul(t, s, t, xn, t, d1); // w = Xn·D1
    FrMath.square(t, l8, t, s); // w²
    FrMath.mul(t, v4, t, l8, t, s); // w³
    FrMath.square(t, l8, t, l8); // w⁴
    FrMath.mul(t, l8, t, l8, t, v4); // w⁷
    FrMath.mul(t, z, t, z, t, l8);
    FrMath.square(t, s, x, xo);
    FrMath.mul(t, z, t, z, t, s);
    FieldOps.pow(t, z, t, z, EXPONENT);
    return FieldOps.isOne(t, z);
  }

  /**
   * The tangent line at (XT, YT) with slope λ, evaluated at (Xn/D1, Yn/(D1·x)) and multiplied by
   * D1·x: Yn − x·(YT·D1 + λ·(Xn − XT·D1)).
   */
  private static void line(
      long[] r, int ro, long[] xn, int xno, long[] yn, int yno, long[] d1, int d1o, long[] x,
      int xo, int xt, int yt, int lambda, long[] s, int so) {
    FrMath.mul(s, so, K, xt, d1, d1o);
    FrMath.sub(s, so, xn, xno, s, so);
    FrMath.mul(s, so, s, so, K, lambda);
    FrMath.mul(r, ro, K, yt, d1, d1o);
    FrMath.add(r, ro, r, ro, s, so);
    FrMath.mul(r, ro, r, ro, x, xo);
    FrMath.sub(r, ro, yn, yno, r, ro);
  }
}
