package io.zkrollup.statetree.field;

/**
 * Allocation-free arithmetic in the BN254 scalar field on {@code long[]} limb arrays: the hot-path
 * form behind {@link Fr}.
 *
 * <p>An element occupies four consecutive {@code long}s of an array, least significant limb first,
 * and is held in <em>Montgomery form</em> ({@code x·R mod p} with {@code R = 2^256}) and always
 * fully reduced (below {@code p}). Every method takes the destination first and may alias any
 * operand with the destination. Nothing here allocates; callers own the arrays, so this class has
 * no state at all and is safe from any thread.
 *
 * <p>Multiplication is CIOS Montgomery multiplication with the "no-carry" shortcut, valid because
 * the modulus' top limb is below {@code 2^62}. Java 17 has no unsigned 64×64→128 multiply, so the
 * high word is {@link Math#multiplyHigh} (an intrinsic) plus the usual correction for operands with
 * the top bit set.
 */
public final class FrMath {
  private FrMath() {}

  /** Number of 64-bit limbs of one element. */
  public static final int LIMBS = 4;

  /** The modulus p, least significant limb first. */
  static final long Q0 = 0x43e1f593f0000001L;

  static final long Q1 = 0x2833e84879b97091L;
  static final long Q2 = 0xb85045b68181585dL;
  static final long Q3 = 0x30644e72e131a029L;

  /** {@code -p^-1 mod 2^64}, the Montgomery reduction factor. */
  static final long QINV_NEG = 0xc2e1f593efffffffL;

  /** {@code R^2 mod p}: multiplying by it converts into Montgomery form. */
  private static final long R2_0 = 0x1bb8e645ae216da7L;

  private static final long R2_1 = 0x53fe3ab1e35c59e3L;
  private static final long R2_2 = 0x8c49833d53bb8085L;
  private static final long R2_3 = 0x0216d0b17f4e44a5L;

  /** {@code R mod p}: the Montgomery form of one. */
  static final long ONE_0 = 0xac96341c4ffffffbL;

  static final long ONE_1 = 0x36fc76959f60cd29L;
  static final long ONE_2 = 0x666ea36f7879462eL;
  static final long ONE_3 = 0x0e0a77c19a07df2fL;

  // ---------------------------------------------------------------- carries and products

  /**
   * Carry out of {@code s = x + y}: 1 if the unsigned addition wrapped (Hacker's Delight 2-13).
   * Computed arithmetically, not with a compare: the JIT may turn a compare into a branch, and on
   * random field elements such branches mispredict half the time.
   */
  private static long carry(long x, long y, long s) {
    return ((x & y) | ((x | y) & ~s)) >>> 63;
  }

  /** Borrow out of {@code d = x - y - borrowIn} (Hacker's Delight 2-13). */
  private static long borrow(long x, long y, long d) {
    return ((~x & y) | (~(x ^ y) & d)) >>> 63;
  }

  /** High word of the unsigned 128-bit product (JDK 17 lacks unsignedMultiplyHigh). */
  private static long umulh(long a, long b) {
    return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
  }

  // The modulus limbs are constants, so the unsigned correction simplifies: only Q2 has its top
  // bit set.
  private static long umulhQ0(long m) {
    return Math.multiplyHigh(m, Q0) + ((m >> 63) & Q0);
  }

  private static long umulhQ1(long m) {
    return Math.multiplyHigh(m, Q1) + ((m >> 63) & Q1);
  }

  private static long umulhQ2(long m) {
    return Math.multiplyHigh(m, Q2) + ((m >> 63) & Q2) + m;
  }

  private static long umulhQ3(long m) {
    return Math.multiplyHigh(m, Q3) + ((m >> 63) & Q3);
  }

  /** 1 if x is not zero: the carry of {@code x + (2^64 - x)}, which Montgomery steps produce. */
  private static long nonZero(long x) {
    return (x | -x) >>> 63;
  }

  // ---------------------------------------------------------------- multiplication

  /** {@code r = a · b}. */
  public static void mul(long[] r, int ro, long[] a, int ao, long[] b, int bo) {
    final long a0 = a[ao];
    final long a1 = a[ao + 1];
    final long a2 = a[ao + 2];
    final long a3 = a[ao + 3];
    final long b0 = b[bo];
    final long b1 = b[bo + 1];
    final long b2 = b[bo + 2];
    final long b3 = b[bo + 3];
    mulInto(r, ro, a0, a1, a2, a3, b0, b1, b2, b3);
  }

  /** {@code r = a²}. */
  public static void square(long[] r, int ro, long[] a, int ao) {
    final long a0 = a[ao];
    final long a1 = a[ao + 1];
    final long a2 = a[ao + 2];
    final long a3 = a[ao + 3];
    mulInto(r, ro, a0, a1, a2, a3, a0, a1, a2, a3);
  }

  /** {@code r = a^5}, the Poseidon2 S-box: two squarings and a multiplication. */
  public static void pow5(long[] r, int ro, long[] a, int ao) {
    final long a0 = a[ao];
    final long a1 = a[ao + 1];
    final long a2 = a[ao + 2];
    final long a3 = a[ao + 3];
    mulInto(r, ro, a0, a1, a2, a3, a0, a1, a2, a3);
    square(r, ro, r, ro);
    mulInto(r, ro, r[ro], r[ro + 1], r[ro + 2], r[ro + 3], a0, a1, a2, a3);
  }

  /**
   * Montgomery product of (a0..a3) and (b0..b3), written to r[ro..ro+3]. One CIOS pass per limb of
   * b; the partial result never needs a fifth limb because p's top limb is below 2^62.
   */
  private static void mulInto(
      long[] r, int ro, long a0, long a1, long a2, long a3, long b0, long b1, long b2, long b3) {
    long t0;
    long t1;
    long t2;
    long t3;
    long lo;
    long hi;
    long x;
    long cA; // carry of the a·b chain
    long cC; // carry of the m·p (reduction) chain
    long m;

    // ---- limb b0: t += a·b0, then one reduction step that shifts t down one limb.
    t0 = a0 * b0;
    cA = umulh(a0, b0);
    m = t0 * QINV_NEG;
    cC = umulhQ0(m) + nonZero(t0);
    // (cA, t1) = t1 + a1·b0 + cA;  (cC, t0) = t1 + m·Q1 + cC
    lo = a1 * b0;
    hi = umulh(a1, b0);
    t1 = lo + cA;
    cA = hi + carry(lo, cA, t1);
    lo = m * Q1;
    hi = umulhQ1(m);
    x = lo + cC;
    hi += carry(lo, cC, x);
    t0 = t1 + x;
    cC = hi + carry(t1, x, t0);
    // (cA, t2) = t2 + a2·b0 + cA;  (cC, t1) = t2 + m·Q2 + cC
    lo = a2 * b0;
    hi = umulh(a2, b0);
    t2 = lo + cA;
    cA = hi + carry(lo, cA, t2);
    lo = m * Q2;
    hi = umulhQ2(m);
    x = lo + cC;
    hi += carry(lo, cC, x);
    t1 = t2 + x;
    cC = hi + carry(t2, x, t1);
    // (cA, t3) = t3 + a3·b0 + cA;  (cC, t2) = t3 + m·Q3 + cC
    lo = a3 * b0;
    hi = umulh(a3, b0);
    t3 = lo + cA;
    cA = hi + carry(lo, cA, t3);
    lo = m * Q3;
    hi = umulhQ3(m);
    x = lo + cC;
    hi += carry(lo, cC, x);
    t2 = t3 + x;
    cC = hi + carry(t3, x, t2);
    t3 = cC + cA;
    
    // ---- limb b1: t += a·b1, then one reduction step that shifts t down one limb.
    lo = a0 * b1;
    x = t0;
    t0 = x + lo;
    cA = umulh(a0, b1) + carry(x, lo, t0);
    m = t0 * QINV_NEG;
    cC = umulhQ0(m) + nonZero(t0);
    // (cA, t1) = t1 + a1·b1 + cA;  (cC, t0) = t1 + m·Q1 + cC
    lo = a1 * b1;
    hi = umulh(a1, b1);
    x = lo + cA;
    hi += carry(lo, cA, x);
    lo = t1 + x;
    cA = hi + carry(t1, x, lo);
    t1 = lo;
    lo = m * Q1;
    hi = umulhQ1(m);
    x = lo + cC;
    hi += carry(lo, cC, x);
    t0 = t1 + x;
    cC = hi + carry(t1, x, t0);
    // (cA, t2) = t2 + a2·b1 + cA;  (cC, t1) = t2 + m·Q2 + cC
    lo = a2 * b1;
    hi = umulh(a2, b1);
    x = lo + cA;
    hi += carry(lo, cA, x);
    lo = t2 + x;
    cA = hi + carry(t2, x, lo);
    t2 = lo;
    lo = m * Q2;
    hi = umulhQ2(m);
    x = lo + cC;
    hi += carry(lo, cC, x);
    t1 = t2 + x;
    cC = hi + carry(t2, x, t1);
    // (cA, t3) = t3 + a3·b1 + cA;  (cC, t2) = t3 + m·Q3 + cC
    lo = a3 * b1;
    hi = umulh(a3, b1);
    x = lo + cA;
    hi += carry(lo, cA, x);
    lo = t3 + x;
    cA = hi + carry(t3, x, lo);
    t3 = lo;
    lo = m * Q3;
    hi = umulhQ3(m);
    x = lo + cC;
    hi += carry(lo, cC, x);
    t2 = t3 + x;
    cC = hi + carry(t3, x, t2);
    t3 = cC + cA;
    
    // ---- limb b2: t += a·b2, then one reduction step that shifts t down one limb.
    lo = a0 * b2;
    x = t0;
    t0 = x + lo;
    cA = umulh(a0, b2) + carry(x, lo, t0);
    m = t0 * QINV_NEG;
    cC = umulhQ0(m) + nonZero(t0);
    // (cA, t1) = t1 + a1·b2 + cA;  (cC, t0) = t1 + m·Q1 + cC
    lo = a1 * b2;
    hi = umulh(a1, b2);
    x = lo + cA;
    hi += carry(lo, cA, x);
    lo = t1 + x;
    cA = hi + carry(t1, x, lo);
    t1 = lo;
    lo = m * Q1;
    hi = umulhQ1(m);
    x = lo + cC;
    hi += carry(lo, cC, x);
    t0 = t1 + x;
    cC = hi + carry(t1, x, t0);
    // (cA, t2) = t2 + a2·b2 + cA;  (cC, t1) = t2 + m·Q2 + cC
    lo = a2 * b2;
    hi = umulh(a2, b2);
    x = lo + cA;
    hi += carry(lo, cA, x);
    lo = t2 + x;
    cA = hi + carry(t2, x, lo);
    t2 = lo;
    lo = m * Q2;
    hi = umulhQ2(m);
    x = lo + cC;
    hi += carry(lo, cC, x);
    t1 = t2 + x;
    cC = hi + carry(t2, x, t1);
    // (cA, t3) = t3 + a3·b2 + cA;  (cC, t2) = t3 + m·Q3 + cC
    lo = a3 * b2;
    hi = umulh(a3, b2);
    x = lo + cA;
    hi += carry(lo, cA, x);
    lo = t3 + x;
    cA = hi + carry(t3, x, lo);
    t3 = lo;
    lo = m * Q3;
    hi = umulhQ3(m);
    x = lo + cC;
    hi += carry(lo, cC, x);
    t2 = t3 + x;
    cC = hi + carry(t3, x, t2);
    t3 = cC + cA;
    
    // ---- limb b3: t += a·b3, then one reduction step that shifts t down one limb.
    lo = a0 * b3;
    x = t0;
    t0 = x + lo;
    cA = umulh(a0, b3) + carry(x, lo, t0);
    m = t0 * QINV_NEG;
    cC = umulhQ0(m) + nonZero(t0);
    // (cA, t1) = t1 + a1·b3 + cA;  (cC, t0) = t1 + m·Q1 + cC
    lo = a1 * b3;
    hi = umulh(a1, b3);
    x = lo + cA;
    hi += carry(lo, cA, x);
    lo = t1 + x;
    cA = hi + carry(t1, x, lo);
    t1 = lo;
    lo = m * Q1;
    hi = umulhQ1(m);
    x = lo + cC;
    hi += carry(lo, cC, x);
    t0 = t1 + x;
    cC = hi + carry(t1, x, t0);
    // (cA, t2) = t2 + a2·b3 + cA;  (cC, t1) = t2 + m·Q2 + cC
    lo = a2 * b3;
    hi = umulh(a2, b3);
    x = lo + cA;
    hi += carry(lo, cA, x);
    lo = t2 + x;
    cA = hi + carry(t2, x, lo);
    t2 = lo;
    lo = m * Q2;
    hi = umulhQ2(m);
    x = lo + cC;
    hi += carry(lo, cC, x);
    t1 = t2 + x;
    cC = hi + carry(t2, x, t1);
    // (cA, t3) = t3 + a3·b3 + cA;  (cC, t2) = t3 + m·Q3 + cC
    lo = a3 * b3;
    hi = umulh(a3, b3);
    x = lo + cA;
    hi += carry(lo, cA, x);
    lo = t3 + x;
    cA = hi + carry(t3, x, lo);
    t3 = lo;
    lo = m * Q3;
    hi = umulhQ3(m);
    x = lo + cC;
    hi += carry(lo, cC, x);
    t2 = t3 + x;
    cC = hi + carry(t3, x, t2);
    t3 = cC + cA;
    reduceOnce(r, ro, t0, t1, t2, t3);
  }

  /** Writes t mod p for t < 2p: subtracts p once if t >= p, without branching on the value. */
  private static void reduceOnce(long[] r, int ro, long t0, long t1, long t2, long t3) {
    final long d0 = t0 - Q0;
    long br = borrow(t0, Q0, d0);
    final long d1 = t1 - Q1 - br;
    br = borrow(t1, Q1, d1);
    final long d2 = t2 - Q2 - br;
    br = borrow(t2, Q2, d2);
    final long d3 = t3 - Q3 - br;
    br = borrow(t3, Q3, d3);
    final long keep = -br; // all ones if t < p (the subtraction borrowed): keep t
    r[ro] = (t0 & keep) | (d0 & ~keep);
    r[ro + 1] = (t1 & keep) | (d1 & ~keep);
    r[ro + 2] = (t2 & keep) | (d2 & ~keep);
    r[ro + 3] = (t3 & keep) | (d3 & ~keep);
  }

  // ---------------------------------------------------------------- linear operations

  /** {@code r = a + b}. */
  public static void add(long[] r, int ro, long[] a, int ao, long[] b, int bo) {
    final long x0 = a[ao];
    final long x1 = a[ao + 1];
    final long x2 = a[ao + 2];
    final long x3 = a[ao + 3];
    final long y0 = b[bo];
    final long y1 = b[bo + 1];
    final long y2 = b[bo + 2];
    final long y3 = b[bo + 3];
    addInto(r, ro, x0, x1, x2, x3, y0, y1, y2, y3);
  }

  /** {@code r = 2a}. */
  public static void dbl(long[] r, int ro, long[] a, int ao) {
    final long x0 = a[ao];
    final long x1 = a[ao + 1];
    final long x2 = a[ao + 2];
    final long x3 = a[ao + 3];
    addInto(r, ro, x0, x1, x2, x3, x0, x1, x2, x3);
  }

  /** Both operands are below p < 2^254, so the 256-bit sum cannot overflow. */
  private static void addInto(
      long[] r, int ro, long x0, long x1, long x2, long x3, long y0, long y1, long y2, long y3) {
    final long s0 = x0 + y0;
    long c = carry(x0, y0, s0);
    final long s1 = x1 + y1 + c;
    c = carry(x1, y1, s1);
    final long s2 = x2 + y2 + c;
    c = carry(x2, y2, s2);
    final long s3 = x3 + y3 + c;
    reduceOnce(r, ro, s0, s1, s2, s3);
  }

  /** {@code r = a - b}. */
  public static void sub(long[] r, int ro, long[] a, int ao, long[] b, int bo) {
    final long x0 = a[ao];
    final long x1 = a[ao + 1];
    final long x2 = a[ao + 2];
    final long x3 = a[ao + 3];
    final long y0 = b[bo];
    final long y1 = b[bo + 1];
    final long y2 = b[bo + 2];
    final long y3 = b[bo + 3];
    final long d0 = x0 - y0;
    long br = borrow(x0, y0, d0);
    final long d1 = x1 - y1 - br;
    br = borrow(x1, y1, d1);
    final long d2 = x2 - y2 - br;
    br = borrow(x2, y2, d2);
    final long d3 = x3 - y3 - br;
    br = borrow(x3, y3, d3);
    // If a < b the difference wrapped around 2^256: add p back (mask is all ones then).
    final long mask = -br;
    final long p0 = Q0 & mask;
    final long p1 = Q1 & mask;
    final long p2 = Q2 & mask;
    final long p3 = Q3 & mask;
    final long s0 = d0 + p0;
    long c = carry(d0, p0, s0);
    final long s1 = d1 + p1 + c;
    c = carry(d1, p1, s1);
    final long s2 = d2 + p2 + c;
    c = carry(d2, p2, s2);
    r[ro] = s0;
    r[ro + 1] = s1;
    r[ro + 2] = s2;
    r[ro + 3] = d3 + p3 + c;
  }

  /** {@code r = -a}. */
  public static void neg(long[] r, int ro, long[] a, int ao) {
    final long x0 = a[ao];
    final long x1 = a[ao + 1];
    final long x2 = a[ao + 2];
    final long x3 = a[ao + 3];
    final long nz = -nonZero(x0 | x1 | x2 | x3); // -0 stays 0, not p
    final long d0 = Q0 - x0;
    long br = borrow(Q0, x0, d0);
    final long d1 = Q1 - x1 - br;
    br = borrow(Q1, x1, d1);
    final long d2 = Q2 - x2 - br;
    br = borrow(Q2, x2, d2);
    final long d3 = Q3 - x3 - br;
    r[ro] = d0 & nz;
    r[ro + 1] = d1 & nz;
    r[ro + 2] = d2 & nz;
    r[ro + 3] = d3 & nz;
  }

  // ---------------------------------------------------------------- representation

  /** {@code r = a} (four limbs). */
  public static void copy(long[] r, int ro, long[] a, int ao) {
    r[ro] = a[ao];
    r[ro + 1] = a[ao + 1];
    r[ro + 2] = a[ao + 2];
    r[ro + 3] = a[ao + 3];
  }

  /** {@code r = 0}. */
  public static void setZero(long[] r, int ro) {
    r[ro] = 0;
    r[ro + 1] = 0;
    r[ro + 2] = 0;
    r[ro + 3] = 0;
  }

  /** {@code r = 1} (in Montgomery form). */
  public static void setOne(long[] r, int ro) {
    r[ro] = ONE_0;
    r[ro + 1] = ONE_1;
    r[ro + 2] = ONE_2;
    r[ro + 3] = ONE_3;
  }

  /** Whether a is zero. */
  public static boolean isZero(long[] a, int ao) {
    return (a[ao] | a[ao + 1] | a[ao + 2] | a[ao + 3]) == 0;
  }

  /** Whether a and b hold the same element. */
  public static boolean equal(long[] a, int ao, long[] b, int bo) {
    return ((a[ao] ^ b[bo]) | (a[ao + 1] ^ b[bo + 1]) | (a[ao + 2] ^ b[bo + 2]) | (a[ao + 3] ^ b[bo + 3]))
        == 0;
  }

  /** Whether the plain integer in limbs (x0..x3) is below p, i.e. a canonical value. */
  public static boolean isCanonical(long x0, long x1, long x2, long x3) {
    final long d0 = x0 - Q0;
    long br = borrow(x0, Q0, d0);
    final long d1 = x1 - Q1 - br;
    br = borrow(x1, Q1, d1);
    final long d2 = x2 - Q2 - br;
    br = borrow(x2, Q2, d2);
    final long d3 = x3 - Q3 - br;
    return borrow(x3, Q3, d3) == 1;
  }

  /**
   * Converts a canonical integer (plain limbs, each below p as a whole) into Montgomery form:
   * {@code r = x·R mod p}. The caller checks canonicity first.
   */
  public static void toMontgomery(long[] r, int ro, long x0, long x1, long x2, long x3) {
    mulInto(r, ro, x0, x1, x2, x3, R2_0, R2_1, R2_2, R2_3);
  }

  /** Converts from Montgomery form into plain limbs: {@code r = a·R^-1 mod p}. */
  public static void fromMontgomery(long[] r, int ro, long[] a, int ao) {
    mulInto(r, ro, a[ao], a[ao + 1], a[ao + 2], a[ao + 3], 1L, 0L, 0L, 0L);
  }

  /**
   * Decodes 32 big-endian bytes at {@code in[off]} into Montgomery form.
   *
   * @return false (writing nothing) if the bytes encode an integer ≥ p
   */
  public static boolean decodeCanonical(long[] r, int ro, byte[] in, int off) {
    final long x3 = readLongBe(in, off);
    final long x2 = readLongBe(in, off + 8);
    final long x1 = readLongBe(in, off + 16);
    final long x0 = readLongBe(in, off + 24);
    if (!isCanonical(x0, x1, x2, x3)) {
      return false;
    }
    toMontgomery(r, ro, x0, x1, x2, x3);
    return true;
  }

  /**
   * Encodes a (Montgomery form) as 32 canonical big-endian bytes at {@code out[off]}.
   *
   * @param scratch four limbs of working space (may not alias a)
   */
  public static void encode(byte[] out, int off, long[] a, int ao, long[] scratch) {
    fromMontgomery(scratch, 0, a, ao);
    writeLongBe(out, off, scratch[3]);
    writeLongBe(out, off + 8, scratch[2]);
    writeLongBe(out, off + 16, scratch[1]);
    writeLongBe(out, off + 24, scratch[0]);
  }

  static long readLongBe(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xffL);
    }
    return v;
  }

  static void writeLongBe(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }
}
