package io.zkrollup.circuits.eddsa;

import static io.zkrollup.circuits.eddsa.FieldOps.L;

import io.zkrollup.statetree.field.FrMath;

/**
 * Allocation-free point arithmetic on Baby Jubjub (a = −1) in extended twisted Edwards coordinates
 * (X : Y : Z : T) with x = X/Z, y = Y/Z, xy = T/Z (Hisil–Wong–Carter–Dawson 2008).
 *
 * <p>The formulas are complete on this curve (a is a square, d is not), so they need no case
 * analysis for the identity, doubling or torsion points, and the order of operations never depends
 * on the values. Points live in {@code long[]} arrays at an offset, in Montgomery limbs (see {@link
 * FrMath}). Three layouts:
 *
 * <ul>
 *   <li>extended point: X, Y, Z, T ({@link #POINT} longs);
 *   <li>affine Niels form of a table entry: y + x, y − x, 2d·x·y ({@link #NIELS} longs);
 *   <li>projective Niels form: Y + X, Y − X, 2Z, 2d·T ({@link #PNIELS} longs).
 * </ul>
 *
 * <p>Every method takes its destination first, may alias destination and operands, and needs a
 * scratch array of {@link #TMP} longs that is not an operand.
 */
final class ExtendedPoints {
  private ExtendedPoints() {}

  static final int X = 0;
  static final int Y = L;
  static final int Z = 2 * L;
  static final int T = 3 * L;
  static final int POINT = 4 * L;

  static final int YPX = 0;
  static final int YMX = L;
  static final int XY2D = 2 * L;
  static final int NIELS = 3 * L;

  static final int Z2 = 2 * L;
  static final int T2D = 3 * L;
  static final int PNIELS = 4 * L;

  static final int TMP = 8 * L;

  private static final int T0 = 0;
  private static final int T1 = L;
  private static final int T2 = 2 * L;
  private static final int T3 = 3 * L;
  private static final int T4 = 4 * L;
  private static final int T5 = 5 * L;
  private static final int T6 = 6 * L;
  private static final int T7 = 7 * L;

  /** 2d, the constant of the a = −1 addition formulas; never written. */
  private static final long[] D2 = Curve.limbs(Curve.D.add(Curve.D));

  /** p = (0 : 1 : 1 : 0). */
  static void setIdentity(long[] p, int po) {
    FrMath.setZero(p, po + X);
    FrMath.setOne(p, po + Y);
    FrMath.setOne(p, po + Z);
    FrMath.setZero(p, po + T);
  }

  /** p = (x : y : 1 : xy). */
  static void fromAffine(long[] p, int po, long[] x, int xo, long[] y, int yo) {
    FrMath.mul(p, po + T, x, xo, y, yo);
    FrMath.copy(p, po + X, x, xo);
    FrMath.copy(p, po + Y, y, yo);
    FrMath.setOne(p, po + Z);
  }

  /**
   * r = 2p (dbl-2008-hwcd with a = −1: 4M + 4S). Without {@code withT} the T coordinate of r is not
   * computed (3M + 4S) and r may only be doubled again before it is used.
   */
  static void dbl(long[] r, int ro, long[] p, int po, long[] t, boolean withT) {
    FrMath.square(t, T0, p, po + X); // A = X²
    FrMath.square(t, T1, p, po + Y); // B = Y²
    FrMath.square(t, T2, p, po + Z);
    FrMath.dbl(t, T2, t, T2); // C = 2Z²
    FrMath.add(t, T3, p, po + X, p, po + Y);
    FrMath.square(t, T3, t, T3);
    FrMath.sub(t, T3, t, T3, t, T0);
    FrMath.sub(t, T3, t, T3, t, T1); // E = (X + Y)² − A − B = 2XY
    FrMath.sub(t, T4, t, T1, t, T0); // G = aA + B = B − A
    FrMath.sub(t, T5, t, T4, t, T2); // F = G − C
    FrMath.add(t, T6, t, T0, t, T1);
    FrMath.neg(t, T6, t, T6); // H = aA − B = −A − B
    FrMath.mul(r, ro + X, t, T3, t, T5); // X3 = E·F
    FrMath.mul(r, ro + Y, t, T4, t, T6); // Y3 = G·H
    FrMath.mul(r, ro + Z, t, T5, t, T4); // Z3 = F·G
    if (withT) {
      FrMath.mul(r, ro + T, t, T3, t, T6); // T3 = E·H
    }
  }

  /** The common tail of the additions: with A, B, C, D in t[T0..T3], writes r. */
  private static void finishAdd(long[] r, int ro, long[] t) {
    FrMath.sub(t, T4, t, T1, t, T0); // E = B − A
    FrMath.add(t, T5, t, T1, t, T0); // H = B + A
    FrMath.sub(t, T6, t, T3, t, T2); // F = D − C
    FrMath.add(t, T7, t, T3, t, T2); // G = D + C
    FrMath.mul(r, ro + X, t, T4, t, T6); // X3 = E·F
    FrMath.mul(r, ro + Y, t, T7, t, T5); // Y3 = G·H
    FrMath.mul(r, ro + T, t, T4, t, T5); // T3 = E·H
    FrMath.mul(r, ro + Z, t, T6, t, T7); // Z3 = F·G
  }

  /** r = p + q, both extended (add-2008-hwcd-3, a = −1: 9M). */
  static void add(long[] r, int ro, long[] p, int po, long[] q, int qo, long[] t) {
    FrMath.sub(t, T0, p, po + Y, p, po + X);
    FrMath.sub(t, T1, q, qo + Y, q, qo + X);
    FrMath.mul(t, T0, t, T0, t, T1); // A = (Y1 − X1)(Y2 − X2)
    FrMath.add(t, T1, p, po + Y, p, po + X);
    FrMath.add(t, T2, q, qo + Y, q, qo + X);
    FrMath.mul(t, T1, t, T1, t, T2); // B = (Y1 + X1)(Y2 + X2)
    FrMath.mul(t, T2, p, po + T, q, qo + T);
    FrMath.mul(t, T2, t, T2, D2, 0); // C = 2d·T1·T2
    FrMath.mul(t, T3, p, po + Z, q, qo + Z);
    FrMath.dbl(t, T3, t, T3); // D = 2·Z1·Z2
    finishAdd(r, ro, t);
  }

  /** r = p + n, n a table entry in affine Niels form (madd-2008-hwcd-3: 7M). */
  static void addNiels(long[] r, int ro, long[] p, int po, long[] n, int no, long[] t) {
    FrMath.sub(t, T0, p, po + Y, p, po + X);
    FrMath.mul(t, T0, t, T0, n, no + YMX); // A
    FrMath.add(t, T1, p, po + Y, p, po + X);
    FrMath.mul(t, T1, t, T1, n, no + YPX); // B
    FrMath.mul(t, T2, p, po + T, n, no + XY2D); // C
    FrMath.dbl(t, T3, p, po + Z); // D = 2·Z1
    finishAdd(r, ro, t);
  }

  /** r = p + n, n in projective Niels form (8M). */
  static void addProjectiveNiels(long[] r, int ro, long[] p, int po, long[] n, int no, long[] t) {
    FrMath.sub(t, T0, p, po + Y, p, po + X);
    FrMath.mul(t, T0, t, T0, n, no + YMX); // A
    FrMath.add(t, T1, p, po + Y, p, po + X);
    FrMath.mul(t, T1, t, T1, n, no + YPX); // B
    FrMath.mul(t, T2, p, po + T, n, no + T2D); // C
    FrMath.mul(t, T3, p, po + Z, n, no + Z2); // D
    finishAdd(r, ro, t);
  }

  /** n = projective Niels form of the extended point p. */
  static void toProjectiveNiels(long[] n, int no, long[] p, int po) {
    FrMath.mul(n, no + T2D, p, po + T, D2, 0);
    FrMath.dbl(n, no + Z2, p, po + Z);
    FrMath.sub(n, no + YMX, p, po + Y, p, po + X);
    FrMath.add(n, no + YPX, p, po + Y, p, po + X);
  }

  /** n = affine Niels form of the affine point (x, y). */
  static void toNiels(long[] n, int no, long[] x, int xo, long[] y, int yo) {
    FrMath.mul(n, no + XY2D, x, xo, y, yo);
    FrMath.mul(n, no + XY2D, n, no + XY2D, D2, 0);
    FrMath.sub(n, no + YMX, y, yo, x, xo);
    FrMath.add(n, no + YPX, y, yo, x, xo);
  }

  /** n = the affine Niels form of the identity: (1, 1, 0). */
  static void setNielsIdentity(long[] n, int no) {
    FrMath.setOne(n, no + YPX);
    FrMath.setOne(n, no + YMX);
    FrMath.setZero(n, no + XY2D);
  }

  /** Negates an affine or projective Niels entry in place: swaps y ± x and negates the 2d term. */
  static void negateNiels(long[] n, int no, boolean projective) {
    for (int i = 0; i < L; i++) {
      long v = n[no + YPX + i];
      n[no + YPX + i] = n[no + YMX + i];
      n[no + YMX + i] = v;
    }
    int k = projective ? T2D : XY2D;
    FrMath.neg(n, no + k, n, no + k);
  }

  /**
   * Negates an affine Niels entry in place iff {@code mask} is all ones ({@code mask} is 0 or −1),
   * with the same memory accesses either way.
   */
  static void conditionalNegateNiels(long[] n, int no, long mask, long[] t) {
    FrMath.neg(t, T0, n, no + XY2D);
    for (int i = 0; i < L; i++) {
      long a = n[no + YPX + i];
      long b = n[no + YMX + i];
      long swap = (a ^ b) & mask;
      n[no + YPX + i] = a ^ swap;
      n[no + YMX + i] = b ^ swap;
      long c = n[no + XY2D + i];
      n[no + XY2D + i] = c ^ ((c ^ t[T0 + i]) & mask);
    }
  }

  /** Copies {@code len} longs from src to dst iff {@code mask} is all ones, without branching. */
  static void conditionalCopy(long[] dst, int dstOff, long[] src, int srcOff, int len, long mask) {
    for (int i = 0; i < len; i++) {
      long a = dst[dstOff + i];
      dst[dstOff + i] = a ^ ((a ^ src[srcOff + i]) & mask);
    }
  }

  /** r = −p (extended). */
  static void negate(long[] r, int ro, long[] p, int po) {
    FrMath.neg(r, ro + X, p, po + X);
    FrMath.copy(r, ro + Y, p, po + Y);
    FrMath.copy(r, ro + Z, p, po + Z);
    FrMath.neg(r, ro + T, p, po + T);
  }

  /** Writes the affine coordinates of p (one inversion). */
  static void toAffine(long[] x, int xo, long[] y, int yo, long[] p, int po, long[] t) {
    FieldOps.inverse(t, T0, p, po + Z);
    FrMath.mul(x, xo, p, po + X, t, T0);
    FrMath.mul(y, yo, p, po + Y, t, T0);
  }

  /** Whether p is the affine point (x, y): X = x·Z and Y = y·Z (no inversion). */
  static boolean equalsAffine(long[] p, int po, long[] x, int xo, long[] y, int yo, long[] t) {
    FrMath.mul(t, T0, x, xo, p, po + Z);
    FrMath.mul(t, T1, y, yo, p, po + Z);
    return FrMath.equal(t, T0, p, po + X) && FrMath.equal(t, T1, p, po + Y);
  }
}
