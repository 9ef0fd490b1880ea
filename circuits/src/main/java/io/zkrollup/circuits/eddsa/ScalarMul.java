package io.zkrollup.circuits.eddsa;

import static io.zkrollup.circuits.eddsa.ExtendedPoints.NIELS;
import static io.zkrollup.circuits.eddsa.ExtendedPoints.PNIELS;
import static io.zkrollup.circuits.eddsa.ExtendedPoints.POINT;
import static io.zkrollup.circuits.eddsa.ExtendedPoints.TMP;
import static io.zkrollup.circuits.eddsa.FieldOps.L;

import java.math.BigInteger;

/**
 * Scalar multiplications on extended points (see {@link ExtendedPoints}). Scalars arrive as plain
 * (not Montgomery) little-endian limbs or as a {@code BigInteger} that is split into digits before
 * any point arithmetic starts, so no loop over points touches a {@code BigInteger}.
 */
final class ScalarMul {
  private ScalarMul() {}

  /** Signed radix-16 windows of a scalar below 2^252: 64 digits in [−8, 8]. */
  private static final int BASE_WINDOWS = 64;

  /** Table entries per window: |digit| = 1..8. */
  private static final int BASE_ENTRIES = 8;

  /** wNAF width for the variable point of verification: odd digits in [−15, 15]. */
  static final int VAR_WIDTH = 5;

  /** Odd multiples 1, 3, ..., 15 of the variable point, computed per verification. */
  private static final int VAR_TABLE = 1 << (VAR_WIDTH - 2);

  /** wNAF width for the base point in verification: odd digits in [−127, 127]. */
  static final int BASE_WIDTH = 8;

  /** Odd multiples 1, 3, ..., 127 of the base point, precomputed once. */
  private static final int BASE_ODD_TABLE = 1 << (BASE_WIDTH - 2);

  /**
   * The fixed-base table, built once per JVM: entry (i, j) is (j + 1)·16^i·B in affine Niels form,
   * so a base multiplication is 64 mixed additions and no doublings. 64 · 8 · 12 longs = 48 KiB.
   * Never written after class initialisation.
   */
  private static final class BaseTable {
    static final long[] TABLE = build();

    private static long[] build() {
      long[] table = new long[BASE_WINDOWS * BASE_ENTRIES * NIELS];
      long[] t = new long[TMP];
      long[] windowBase = new long[POINT];
      long[] multiple = new long[POINT];
      long[] x = new long[L];
      long[] y = new long[L];
      long[] bx = Curve.limbs(Curve.BASE_X);
      long[] by = Curve.limbs(Curve.BASE_Y);
      ExtendedPoints.fromAffine(windowBase, 0, bx, 0, by, 0);
      for (int i = 0; i < BASE_WINDOWS; i++) {
        System.arraycopy(windowBase, 0, multiple, 0, POINT);
        for (int j = 0; j < BASE_ENTRIES; j++) {
          ExtendedPoints.toAffine(x, 0, y, 0, multiple, 0, t);
          ExtendedPoints.toNiels(table, (i * BASE_ENTRIES + j) * NIELS, x, 0, y, 0);
          ExtendedPoints.add(multiple, 0, multiple, 0, windowBase, 0, t);
        }
        for (int k = 0; k < 4; k++) {
          ExtendedPoints.dbl(windowBase, 0, windowBase, 0, t, true);
        }
      }
      return table;
    }
  }

  /**
   * B, 3B, ..., 127B in affine Niels form, for the base part of verification (64 · 12 longs = 6
   * KiB), built on first use. Never written after class initialisation.
   */
  private static final class BaseOddMultiples {
    static final long[] TABLE = build();

    private static long[] build() {
      long[] table = new long[BASE_ODD_TABLE * NIELS];
      long[] t = new long[TMP];
      long[] base = new long[POINT];
      long[] twoB = new long[POINT];
      long[] odd = new long[POINT];
      long[] x = new long[L];
      long[] y = new long[L];
      ExtendedPoints.fromAffine(base, 0, Curve.limbs(Curve.BASE_X), 0, Curve.limbs(Curve.BASE_Y), 0);
      ExtendedPoints.dbl(twoB, 0, base, 0, t, true);
      System.arraycopy(base, 0, odd, 0, POINT);
      for (int j = 0; j < BASE_ODD_TABLE; j++) {
        ExtendedPoints.toAffine(x, 0, y, 0, odd, 0, t);
        ExtendedPoints.toNiels(table, j * NIELS, x, 0, y, 0);
        ExtendedPoints.add(odd, 0, odd, 0, twoB, 0, t);
      }
      return table;
    }
  }

  /**
   * r = k·B for the base point B and a scalar k below 2^252 (in practice below the subgroup
   * order), given as four plain limbs. Built for secret scalars: every window reads all its table
   * entries and selects one with masks, so neither the arithmetic nor the memory accesses depend on
   * k.
   */
  static void mulBase(long[] r, int ro, long[] k) {
    if ((k[3] >>> 60) != 0) {
      throw new IllegalArgumentException("base scalar must be below 2^252");
    }
    int[] digits = new int[BASE_WINDOWS];
    for (int i = 0; i < BASE_WINDOWS; i++) {
      digits[i] = (int) (k[i / 16] >>> (4 * (i % 16))) & 0x0f;
    }
    // Recode to [−8, 8): a digit of 8 or more borrows 16 from itself and carries 1 upwards. The top
    // nibble of a scalar below 2^252 is 0, so the last digit ends in [0, 1].
    for (int i = 0; i < BASE_WINDOWS - 1; i++) {
      int carry = (digits[i] + 8) >> 4;
      digits[i] -= carry << 4;
      digits[i + 1] += carry;
    }
    long[] table = BaseTable.TABLE;
    long[] t = new long[TMP];
    long[] entry = new long[NIELS];
    ExtendedPoints.setIdentity(r, ro);
    for (int i = 0; i < BASE_WINDOWS; i++) {
      int d = digits[i];
      int negative = d >>> 31; // 1 if d < 0
      int abs = (d ^ -negative) + negative;
      int row = i * BASE_ENTRIES * NIELS;
      ExtendedPoints.setNielsIdentity(entry, 0);
      for (int j = 1; j <= BASE_ENTRIES; j++) {
        long mask = -(long) (((abs ^ j) - 1) >>> 31); // all ones iff abs == j
        ExtendedPoints.conditionalCopy(entry, 0, table, row + (j - 1) * NIELS, NIELS, mask);
      }
      ExtendedPoints.conditionalNegateNiels(entry, 0, -(long) negative, t);
      ExtendedPoints.addNiels(r, ro, r, ro, entry, 0, t);
    }
  }

  /**
   * r = k·p for any non-negative k (not reduced: p need not be in the prime-order subgroup), with
   * a fixed 4-bit window: four doublings and one addition per window, the addition of the identity
   * for a zero window included.
   */
  static void mul(long[] r, int ro, long[] p, int po, BigInteger k) {
    if (k.signum() < 0) {
      throw new IllegalArgumentException("scalar must be non-negative");
    }
    int windows = Math.max(1, (k.bitLength() + 3) / 4);
    int[] digits = new int[windows];
    for (int i = 0; i < windows; i++) {
      digits[i] = k.shiftRight(4 * i).intValue() & 0x0f;
    }
    long[] t = new long[TMP];
    long[] table = new long[16 * PNIELS];
    long[] acc = new long[POINT];
    ExtendedPoints.setIdentity(acc, 0);
    for (int j = 0; j < 16; j++) {
      ExtendedPoints.toProjectiveNiels(table, j * PNIELS, acc, 0);
      ExtendedPoints.add(acc, 0, acc, 0, p, po, t);
    }
    ExtendedPoints.setIdentity(acc, 0);
    for (int i = windows - 1; i >= 0; i--) {
      for (int s = 0; s < 4; s++) {
        ExtendedPoints.dbl(acc, 0, acc, 0, t, s == 3);
      }
      ExtendedPoints.addProjectiveNiels(acc, 0, acc, 0, table, digits[i] * PNIELS, t);
    }
    System.arraycopy(acc, 0, r, ro, POINT);
  }

  /**
   * r = s·B + h·q for public scalars (plain limbs, below 2^256) and an extended point q: Straus'
   * interleaving, one shared chain of about 255 doublings with width-8 wNAF digits of s on the
   * precomputed odd multiples of B (about 28 mixed additions) and width-5 wNAF digits of h on odd
   * multiples of q computed here (about 51 additions).
   */
  static void mulBasePlusVar(long[] r, int ro, long[] s, long[] h, long[] q, int qo) {
    long[] t = new long[TMP];
    long[] varTable = new long[VAR_TABLE * PNIELS];
    long[] twoQ = new long[POINT];
    long[] odd = new long[POINT];
    ExtendedPoints.dbl(twoQ, 0, q, qo, t, true);
    System.arraycopy(q, qo, odd, 0, POINT);
    for (int j = 0; j < VAR_TABLE; j++) {
      ExtendedPoints.toProjectiveNiels(varTable, j * PNIELS, odd, 0);
      ExtendedPoints.add(odd, 0, odd, 0, twoQ, 0, t);
    }
    long[] baseTable = BaseOddMultiples.TABLE;
    int[] hDigits = wnaf(h, VAR_WIDTH);
    int[] sDigits = wnaf(s, BASE_WIDTH);
    int top = Math.max(hDigits.length, sDigits.length) - 1;
    while (top > 0 && digit(hDigits, top) == 0 && digit(sDigits, top) == 0) {
      top--;
    }
    long[] acc = new long[POINT];
    long[] varEntry = new long[PNIELS];
    long[] baseEntry = new long[NIELS];
    ExtendedPoints.setIdentity(acc, 0);
    for (int i = top; i >= 0; i--) {
      int dh = digit(hDigits, i);
      int ds = digit(sDigits, i);
      // T is only needed by an addition that follows, and in the result
      ExtendedPoints.dbl(acc, 0, acc, 0, t, dh != 0 || ds != 0 || i == 0);
      if (dh != 0) {
        System.arraycopy(varTable, (Math.abs(dh) >> 1) * PNIELS, varEntry, 0, PNIELS);
        if (dh < 0) {
          ExtendedPoints.negateNiels(varEntry, 0, true);
        }
        ExtendedPoints.addProjectiveNiels(acc, 0, acc, 0, varEntry, 0, t);
      }
      if (ds != 0) {
        System.arraycopy(baseTable, (Math.abs(ds) >> 1) * NIELS, baseEntry, 0, NIELS);
        if (ds < 0) {
          ExtendedPoints.negateNiels(baseEntry, 0, false);
        }
        ExtendedPoints.addNiels(acc, 0, acc, 0, baseEntry, 0, t);
      }
    }
    System.arraycopy(acc, 0, r, ro, POINT);
  }

  private static int digit(int[] digits, int i) {
    return i < digits.length ? digits[i] : 0;
  }

  /**
   * Width-w non-adjacent form of a 256-bit scalar (plain limbs), 2 ≤ w ≤ 8: digits that are 0 or
   * odd in (−2^(w−1), 2^(w−1)), at most one non-zero in any w consecutive, with k = Σ
   * digit_i·2^i.
   */
  static int[] wnaf(long[] k, int w) {
    long[] x = {k[0], k[1], k[2], k[3], 0, 0};
    final int width = 1 << w;
    final int windowMask = width - 1;
    int[] naf = new int[256 + w + 1];
    int pos = 0;
    int carry = 0;
    while (pos < 256 + w) {
      int idx = pos >>> 6;
      int bit = pos & 63;
      long bits = bit == 0 ? x[idx] : (x[idx] >>> bit) | (x[idx + 1] << (64 - bit));
      int window = carry + (int) (bits & windowMask);
      if ((window & 1) == 0) {
        pos++; // an even window contributes a zero digit here (and keeps its carry)
        continue;
      }
      if (window < width / 2) {
        carry = 0;
        naf[pos] = window;
      } else {
        carry = 1;
        naf[pos] = window - width;
      }
      pos += w;
    }
    return naf;
  }
}
