package io.zkrollup.statetree.field;

/**
 * Allocation-free arithmetic in the BN254 scalar field on {@code long[]} limb arrays: the hot-path
 * form behind {@link Fr}.
 *
 * <p>An element occupies {@value #LIMBS} consecutive {@code long}s of an array: radix 2^52 limbs,
 * least significant first, in <em>Montgomery form</em> ({@code x·R mod p} with {@code R =
 * 2^260}). Every public method takes and returns <em>reduced</em> elements (value below p, every
 * limb below 2^52), so an element has exactly one limb representation and equality is limb
 * equality. Every method takes the destination first and may alias any operand with the
 * destination. Nothing here allocates; there is no state at all, so it is safe from any thread.
 *
 * <p>Why 52-bit limbs rather than four 64-bit words: Java 17 has no add-with-carry and no unsigned
 * 64×64→128 multiply, so 64-bit limbs cost a five-operation carry test per addition and a
 * correction per product. With 52-bit limbs, partial products and column sums have 12 bits of
 * headroom: carries are plain shifts, additions need no carry handling at all, and the high half of
 * a product comes from one {@link Math#multiplyHigh} (an intrinsic) on an operand pre-shifted by 12
 * bits. {@link Poseidon2Kernel} also uses the headroom to postpone reductions ("loose" elements,
 * package-private methods below, with the bounds they rely on stated where they are used).
 *
 * <p>Montgomery multiplication is product scanning followed by five reduction steps (one per
 * limb). With R = 2^260 ≈ 84.6·p the result of multiplying values A, B is below {@code A·B/R + p},
 * so inputs well above p still give an output below 2p.
 */
public final class FrMath {
  private FrMath() {}

  /** Number of 64-bit {@code long}s holding one element. */
  public static final int LIMBS = 5;

  /** Bits per limb. */
  static final int BITS = 52;

  /** Mask of one limb. */
  static final long M = (1L << BITS) - 1;

  /** The modulus p in radix 2^52, least significant limb first. */
  static final long P0 = 0x1f593f0000001L;

  static final long P1 = 0x4879b9709143eL;
  static final long P2 = 0x181585d2833e8L;
  static final long P3 = 0xa029b85045b68L;
  static final long P4 = 0x30644e72e131L;

  /**
   * The modulus limbs shifted left by 12, so that {@code multiplyHigh(m, Pj << 12)} is {@code
   * (m·Pj) >> 52}. Only P3 has bit 51 set, which makes P3S negative as a signed long; its products
   * get the usual {@code + m} correction.
   */
  private static final long P0S = P0 << 12;

  private static final long P1S = P1 << 12;
  private static final long P2S = P2 << 12;
  private static final long P3S = P3 << 12;
  private static final long P4S = P4 << 12;

  /** {@code -p^-1 mod 2^52}, the Montgomery reduction factor per limb. */
  static final long QINV = 0x1f593efffffffL;

  /** {@code floor(2^64 / (P4 + 1))}: a quotient estimate from the top limb (see reduceWeak). */
  private static final long TOP_INVERSE = 0x54a47L;

  /** {@code R^2 mod p} (R = 2^260): multiplying by it converts into Montgomery form. */
  private static final long[] R2 = {
    0xb852d16da6f5L, 0xc621620cddce3L, 0xaf1b95343ffb6L, 0xc3c15e103e7c2L, 0x281528fa122L
  };

  /** The plain integer 1, used to leave Montgomery form. */
  private static final long[] PLAIN_ONE = {1, 0, 0, 0, 0};

  /** {@code R mod p}: the Montgomery form of one. */
  static final long ONE0 = 0xb6b753fffffacL;

  static final long ONE1 = 0x380f271055b9dL;
  static final long ONE2 = 0x18f016ecef7c8L;
  static final long ONE3 = 0x724f85a9201d8L;
  static final long ONE4 = 0x1f16424e1bb7L;

  // ---------------------------------------------------------------- Montgomery products (loose)

  /**
   * {@code r = a·b·R^-1}, not fully reduced. Preconditions: every limb of {@code a} below 2^54 and
   * its value below 9p; {@code b} normalized (every limb below 2^52) with value below 9p. Result:
   * normalized, value below {@code A·B/R + p} (below 2p for these inputs, since 81·p/R < 0.96).
   *
   * <p>Column sums stay below 2^58 (five low halves below 2^52 and five high halves below 2^54 per
   * column, then at most ten reduction terms below 2^52 and a small carry), so nothing overflows.
   */
  static void montMul(long[] r, int ro, long[] a, int ao, long[] b, int bo) {
    final long a0 = a[ao];
    final long a1 = a[ao + 1];
    final long a2 = a[ao + 2];
    final long a3 = a[ao + 3];
    final long a4 = a[ao + 4];
    final long b0 = b[bo];
    final long b1 = b[bo + 1];
    final long b2 = b[bo + 2];
    final long b3 = b[bo + 3];
    final long b4 = b[bo + 4];
    // sJ = bJ << 12 (below 2^64 as an unsigned value); kJ is its sign mask, for the unsigned
    // correction of multiplyHigh: (a·sJ) >> 64 = multiplyHigh(a, sJ) + (kJ & a) = (a·bJ) >> 52.
    final long s0 = b0 << 12;
    final long s1 = b1 << 12;
    final long s2 = b2 << 12;
    final long s3 = b3 << 12;
    final long s4 = b4 << 12;
    final long k0 = s0 >> 63;
    final long k1 = s1 >> 63;
    final long k2 = s2 >> 63;
    final long k3 = s3 >> 63;
    final long k4 = s4 >> 63;
    long lo;
    long m;
    lo = a0 * b0;
    long c0 = lo & M;
    long c1 = Math.multiplyHigh(a0, s0) + (k0 & a0);
    lo = a0 * b1;
    c1 += lo & M;
    long c2 = Math.multiplyHigh(a0, s1) + (k1 & a0);
    lo = a1 * b0;
    c1 += lo & M;
    c2 += Math.multiplyHigh(a1, s0) + (k0 & a1);
    lo = a0 * b2;
    c2 += lo & M;
    long c3 = Math.multiplyHigh(a0, s2) + (k2 & a0);
    lo = a1 * b1;
    c2 += lo & M;
    c3 += Math.multiplyHigh(a1, s1) + (k1 & a1);
    lo = a2 * b0;
    c2 += lo & M;
    c3 += Math.multiplyHigh(a2, s0) + (k0 & a2);
    lo = a0 * b3;
    c3 += lo & M;
    long c4 = Math.multiplyHigh(a0, s3) + (k3 & a0);
    lo = a1 * b2;
    c3 += lo & M;
    c4 += Math.multiplyHigh(a1, s2) + (k2 & a1);
    lo = a2 * b1;
    c3 += lo & M;
    c4 += Math.multiplyHigh(a2, s1) + (k1 & a2);
    lo = a3 * b0;
    c3 += lo & M;
    c4 += Math.multiplyHigh(a3, s0) + (k0 & a3);
    lo = a0 * b4;
    c4 += lo & M;
    long c5 = Math.multiplyHigh(a0, s4) + (k4 & a0);
    lo = a1 * b3;
    c4 += lo & M;
    c5 += Math.multiplyHigh(a1, s3) + (k3 & a1);
    lo = a2 * b2;
    c4 += lo & M;
    c5 += Math.multiplyHigh(a2, s2) + (k2 & a2);
    lo = a3 * b1;
    c4 += lo & M;
    c5 += Math.multiplyHigh(a3, s1) + (k1 & a3);
    lo = a4 * b0;
    c4 += lo & M;
    c5 += Math.multiplyHigh(a4, s0) + (k0 & a4);
    lo = a1 * b4;
    c5 += lo & M;
    long c6 = Math.multiplyHigh(a1, s4) + (k4 & a1);
    lo = a2 * b3;
    c5 += lo & M;
    c6 += Math.multiplyHigh(a2, s3) + (k3 & a2);
    lo = a3 * b2;
    c5 += lo & M;
    c6 += Math.multiplyHigh(a3, s2) + (k2 & a3);
    lo = a4 * b1;
    c5 += lo & M;
    c6 += Math.multiplyHigh(a4, s1) + (k1 & a4);
    lo = a2 * b4;
    c6 += lo & M;
    long c7 = Math.multiplyHigh(a2, s4) + (k4 & a2);
    lo = a3 * b3;
    c6 += lo & M;
    c7 += Math.multiplyHigh(a3, s3) + (k3 & a3);
    lo = a4 * b2;
    c6 += lo & M;
    c7 += Math.multiplyHigh(a4, s2) + (k2 & a4);
    lo = a3 * b4;
    c7 += lo & M;
    long c8 = Math.multiplyHigh(a3, s4) + (k4 & a3);
    lo = a4 * b3;
    c7 += lo & M;
    c8 += Math.multiplyHigh(a4, s3) + (k3 & a4);
    lo = a4 * b4;
    c8 += lo & M;
    long c9 = Math.multiplyHigh(a4, s4) + (k4 & a4);
    m = (c0 * QINV) & M;
    c1 += ((c0 + M) >>> 52) + Math.multiplyHigh(m, P0S);
    lo = m * P1;
    c1 += lo & M;
    c2 += Math.multiplyHigh(m, P1S);
    lo = m * P2;
    c2 += lo & M;
    c3 += Math.multiplyHigh(m, P2S);
    lo = m * P3;
    c3 += lo & M;
    c4 += Math.multiplyHigh(m, P3S) + m;
    lo = m * P4;
    c4 += lo & M;
    c5 += Math.multiplyHigh(m, P4S);
    m = (c1 * QINV) & M;
    c2 += ((c1 + M) >>> 52) + Math.multiplyHigh(m, P0S);
    lo = m * P1;
    c2 += lo & M;
    c3 += Math.multiplyHigh(m, P1S);
    lo = m * P2;
    c3 += lo & M;
    c4 += Math.multiplyHigh(m, P2S);
    lo = m * P3;
    c4 += lo & M;
    c5 += Math.multiplyHigh(m, P3S) + m;
    lo = m * P4;
    c5 += lo & M;
    c6 += Math.multiplyHigh(m, P4S);
    m = (c2 * QINV) & M;
    c3 += ((c2 + M) >>> 52) + Math.multiplyHigh(m, P0S);
    lo = m * P1;
    c3 += lo & M;
    c4 += Math.multiplyHigh(m, P1S);
    lo = m * P2;
    c4 += lo & M;
    c5 += Math.multiplyHigh(m, P2S);
    lo = m * P3;
    c5 += lo & M;
    c6 += Math.multiplyHigh(m, P3S) + m;
    lo = m * P4;
    c6 += lo & M;
    c7 += Math.multiplyHigh(m, P4S);
    m = (c3 * QINV) & M;
    c4 += ((c3 + M) >>> 52) + Math.multiplyHigh(m, P0S);
    lo = m * P1;
    c4 += lo & M;
    c5 += Math.multiplyHigh(m, P1S);
    lo = m * P2;
    c5 += lo & M;
    c6 += Math.multiplyHigh(m, P2S);
    lo = m * P3;
    c6 += lo & M;
    c7 += Math.multiplyHigh(m, P3S) + m;
    lo = m * P4;
    c7 += lo & M;
    c8 += Math.multiplyHigh(m, P4S);
    m = (c4 * QINV) & M;
    c5 += ((c4 + M) >>> 52) + Math.multiplyHigh(m, P0S);
    lo = m * P1;
    c5 += lo & M;
    c6 += Math.multiplyHigh(m, P1S);
    lo = m * P2;
    c6 += lo & M;
    c7 += Math.multiplyHigh(m, P2S);
    lo = m * P3;
    c7 += lo & M;
    c8 += Math.multiplyHigh(m, P3S) + m;
    lo = m * P4;
    c8 += lo & M;
    c9 += Math.multiplyHigh(m, P4S);
    c6 += c5 >>> 52;
    c7 += c6 >>> 52;
    c8 += c7 >>> 52;
    c9 += c8 >>> 52;
    r[ro] = c5 & M;
    r[ro + 1] = c6 & M;
    r[ro + 2] = c7 & M;
    r[ro + 3] = c8 & M;
    r[ro + 4] = c9;
  }

  /**
   * {@code r = a²·R^-1}, not fully reduced: as {@link #montMul} with both operands {@code a}, which
   * must be normalized with value below 9p. Squaring needs 15 partial products instead of 25.
   */
  static void montSquare(long[] r, int ro, long[] a, int ao) {
    final long a0 = a[ao];
    final long a1 = a[ao + 1];
    final long a2 = a[ao + 2];
    final long a3 = a[ao + 3];
    final long a4 = a[ao + 4];
    final long s0 = a0 << 12;
    final long s1 = a1 << 12;
    final long s2 = a2 << 12;
    final long s3 = a3 << 12;
    final long s4 = a4 << 12;
    final long k0 = s0 >> 63;
    final long k1 = s1 >> 63;
    final long k2 = s2 >> 63;
    final long k3 = s3 >> 63;
    final long k4 = s4 >> 63;
    // Cross products appear twice: dI = 2·aI (below 2^53) doubles them at no extra multiplication.
    final long d0 = a0 << 1;
    final long d1 = a1 << 1;
    final long d2 = a2 << 1;
    final long d3 = a3 << 1;
    long lo;
    long m;
    lo = a0 * a0;
    long c0 = lo & M;
    long c1 = Math.multiplyHigh(a0, s0) + (k0 & a0);
    lo = d0 * a1;
    c1 += lo & M;
    long c2 = Math.multiplyHigh(d0, s1) + (k1 & d0);
    lo = d0 * a2;
    c2 += lo & M;
    long c3 = Math.multiplyHigh(d0, s2) + (k2 & d0);
    lo = a1 * a1;
    c2 += lo & M;
    c3 += Math.multiplyHigh(a1, s1) + (k1 & a1);
    lo = d0 * a3;
    c3 += lo & M;
    long c4 = Math.multiplyHigh(d0, s3) + (k3 & d0);
    lo = d1 * a2;
    c3 += lo & M;
    c4 += Math.multiplyHigh(d1, s2) + (k2 & d1);
    lo = d0 * a4;
    c4 += lo & M;
    long c5 = Math.multiplyHigh(d0, s4) + (k4 & d0);
    lo = d1 * a3;
    c4 += lo & M;
    c5 += Math.multiplyHigh(d1, s3) + (k3 & d1);
    lo = a2 * a2;
    c4 += lo & M;
    c5 += Math.multiplyHigh(a2, s2) + (k2 & a2);
    lo = d1 * a4;
    c5 += lo & M;
    long c6 = Math.multiplyHigh(d1, s4) + (k4 & d1);
    lo = d2 * a3;
    c5 += lo & M;
    c6 += Math.multiplyHigh(d2, s3) + (k3 & d2);
    lo = d2 * a4;
    c6 += lo & M;
    long c7 = Math.multiplyHigh(d2, s4) + (k4 & d2);
    lo = a3 * a3;
    c6 += lo & M;
    c7 += Math.multiplyHigh(a3, s3) + (k3 & a3);
    lo = d3 * a4;
    c7 += lo & M;
    long c8 = Math.multiplyHigh(d3, s4) + (k4 & d3);
    lo = a4 * a4;
    c8 += lo & M;
    long c9 = Math.multiplyHigh(a4, s4) + (k4 & a4);
    m = (c0 * QINV) & M;
    c1 += ((c0 + M) >>> 52) + Math.multiplyHigh(m, P0S);
    lo = m * P1;
    c1 += lo & M;
    c2 += Math.multiplyHigh(m, P1S);
    lo = m * P2;
    c2 += lo & M;
    c3 += Math.multiplyHigh(m, P2S);
    lo = m * P3;
    c3 += lo & M;
    c4 += Math.multiplyHigh(m, P3S) + m;
    lo = m * P4;
    c4 += lo & M;
    c5 += Math.multiplyHigh(m, P4S);
    m = (c1 * QINV) & M;
    c2 += ((c1 + M) >>> 52) + Math.multiplyHigh(m, P0S);
    lo = m * P1;
    c2 += lo & M;
    c3 += Math.multiplyHigh(m, P1S);
    lo = m * P2;
    c3 += lo & M;
    c4 += Math.multiplyHigh(m, P2S);
    lo = m * P3;
    c4 += lo & M;
    c5 += Math.multiplyHigh(m, P3S) + m;
    lo = m * P4;
    c5 += lo & M;
    c6 += Math.multiplyHigh(m, P4S);
    m = (c2 * QINV) & M;
    c3 += ((c2 + M) >>> 52) + Math.multiplyHigh(m, P0S);
    lo = m * P1;
    c3 += lo & M;
    c4 += Math.multiplyHigh(m, P1S);
    lo = m * P2;
    c4 += lo & M;
    c5 += Math.multiplyHigh(m, P2S);
    lo = m * P3;
    c5 += lo & M;
    c6 += Math.multiplyHigh(m, P3S) + m;
    lo = m * P4;
    c6 += lo & M;
    c7 += Math.multiplyHigh(m, P4S);
    m = (c3 * QINV) & M;
    c4 += ((c3 + M) >>> 52) + Math.multiplyHigh(m, P0S);
    lo = m * P1;
    c4 += lo & M;
    c5 += Math.multiplyHigh(m, P1S);
    lo = m * P2;
    c5 += lo & M;
    c6 += Math.multiplyHigh(m, P2S);
    lo = m * P3;
    c6 += lo & M;
    c7 += Math.multiplyHigh(m, P3S) + m;
    lo = m * P4;
    c7 += lo & M;
    c8 += Math.multiplyHigh(m, P4S);
    m = (c4 * QINV) & M;
    c5 += ((c4 + M) >>> 52) + Math.multiplyHigh(m, P0S);
    lo = m * P1;
    c5 += lo & M;
    c6 += Math.multiplyHigh(m, P1S);
    lo = m * P2;
    c6 += lo & M;
    c7 += Math.multiplyHigh(m, P2S);
    lo = m * P3;
    c7 += lo & M;
    c8 += Math.multiplyHigh(m, P3S) + m;
    lo = m * P4;
    c8 += lo & M;
    c9 += Math.multiplyHigh(m, P4S);
    c6 += c5 >>> 52;
    c7 += c6 >>> 52;
    c8 += c7 >>> 52;
    c9 += c8 >>> 52;
    r[ro] = c5 & M;
    r[ro + 1] = c6 & M;
    r[ro + 2] = c7 & M;
    r[ro + 3] = c8 & M;
    r[ro + 4] = c9;
  }

  // ---------------------------------------------------------------- reductions (package-private)

  /**
   * Propagates carries so every limb but the top one is below 2^52 (the value is unchanged). Input
   * limbs must be non-negative and below 2^62.
   */
  static void normalize(long[] a, int ao) {
    long c = a[ao];
    long t = a[ao + 1] + (c >>> BITS);
    a[ao] = c & M;
    c = t;
    t = a[ao + 2] + (c >>> BITS);
    a[ao + 1] = c & M;
    c = t;
    t = a[ao + 3] + (c >>> BITS);
    a[ao + 2] = c & M;
    c = t;
    a[ao + 4] += c >>> BITS;
    a[ao + 3] = c & M;
  }

  /**
   * Brings a loose value V (limbs non-negative and below 2^58, value below 64p) to a normalized
   * value congruent mod p and below {@code 2p + 65·2^208} (less than 2.0000001p; callers budget
   * 2.01p). Subtracts q·p with q estimated from the top limb v4 = floor(V / 2^208): {@code q =
   * floor(v4·TOP_INVERSE / 2^64)} is at most v4/(P4+1), so q·p ≤ V and the result is non-negative,
   * and at least v4/(P4+1) − 2, which bounds the result as stated.
   */
  static void reduceWeak(long[] a, int ao) {
    normalize(a, ao);
    final long q = Math.multiplyHigh(a[ao + 4], TOP_INVERSE);
    // Subtract q·p limb by limb (q < 2^7, so q·Pj < 2^59), propagating signed borrows.
    long e0 = a[ao] - q * P0;
    long e1 = a[ao + 1] - q * P1 + (e0 >> BITS);
    long e2 = a[ao + 2] - q * P2 + (e1 >> BITS);
    long e3 = a[ao + 3] - q * P3 + (e2 >> BITS);
    long e4 = a[ao + 4] - q * P4 + (e3 >> BITS);
    a[ao] = e0 & M;
    a[ao + 1] = e1 & M;
    a[ao + 2] = e2 & M;
    a[ao + 3] = e3 & M;
    a[ao + 4] = e4;
  }

  /** Fully reduces a loose value (limbs below 2^58, value below 64p): {@code reduceWeak}, then subtract p up to twice. */
  static void reduceFull(long[] a, int ao) {
    reduceWeak(a, ao);
    subtractPIfAbove(a, ao);
    subtractPIfAbove(a, ao);
  }

  /** For a normalized value below 2p + ε... (any normalized value): subtracts p once if it is ≥ p. */
  private static void subtractPIfAbove(long[] a, int ao) {
    final long t0 = a[ao];
    final long t1 = a[ao + 1];
    final long t2 = a[ao + 2];
    final long t3 = a[ao + 3];
    final long t4 = a[ao + 4];
    final long d0 = t0 - P0;
    final long d1 = t1 - P1 + (d0 >> BITS);
    final long d2 = t2 - P2 + (d1 >> BITS);
    final long d3 = t3 - P3 + (d2 >> BITS);
    final long d4 = t4 - P4 + (d3 >> BITS);
    final long keep = d4 >> 63; // all ones if t < p (the subtraction went negative): keep t
    a[ao] = (t0 & keep) | (d0 & M & ~keep);
    a[ao + 1] = (t1 & keep) | (d1 & M & ~keep);
    a[ao + 2] = (t2 & keep) | (d2 & M & ~keep);
    a[ao + 3] = (t3 & keep) | (d3 & M & ~keep);
    a[ao + 4] = (t4 & keep) | (d4 & ~keep);
  }

  // ---------------------------------------------------------------- public arithmetic (reduced)

  /** {@code r = a · b}. */
  public static void mul(long[] r, int ro, long[] a, int ao, long[] b, int bo) {
    montMul(r, ro, a, ao, b, bo);
    subtractPIfAbove(r, ro); // reduced inputs give a result below 1.02p
  }

  /** {@code r = a²}. */
  public static void square(long[] r, int ro, long[] a, int ao) {
    montSquare(r, ro, a, ao);
    subtractPIfAbove(r, ro);
  }

  /** {@code r = a + b}. */
  public static void add(long[] r, int ro, long[] a, int ao, long[] b, int bo) {
    r[ro] = a[ao] + b[bo];
    r[ro + 1] = a[ao + 1] + b[bo + 1];
    r[ro + 2] = a[ao + 2] + b[bo + 2];
    r[ro + 3] = a[ao + 3] + b[bo + 3];
    r[ro + 4] = a[ao + 4] + b[bo + 4];
    normalize(r, ro);
    subtractPIfAbove(r, ro); // the sum is below 2p
  }

  /** {@code r = 2a}. */
  public static void dbl(long[] r, int ro, long[] a, int ao) {
    add(r, ro, a, ao, a, ao);
  }

  /** {@code r = a - b}. */
  public static void sub(long[] r, int ro, long[] a, int ao, long[] b, int bo) {
    // a - b + p is in (0, 2p): add p first so every intermediate stays non-negative overall.
    long e0 = a[ao] - b[bo] + P0;
    long e1 = a[ao + 1] - b[bo + 1] + P1 + (e0 >> BITS);
    long e2 = a[ao + 2] - b[bo + 2] + P2 + (e1 >> BITS);
    long e3 = a[ao + 3] - b[bo + 3] + P3 + (e2 >> BITS);
    long e4 = a[ao + 4] - b[bo + 4] + P4 + (e3 >> BITS);
    r[ro] = e0 & M;
    r[ro + 1] = e1 & M;
    r[ro + 2] = e2 & M;
    r[ro + 3] = e3 & M;
    r[ro + 4] = e4;
    subtractPIfAbove(r, ro);
  }

  /** {@code r = -a}. */
  public static void neg(long[] r, int ro, long[] a, int ao) {
    final long x0 = a[ao];
    final long x1 = a[ao + 1];
    final long x2 = a[ao + 2];
    final long x3 = a[ao + 3];
    final long x4 = a[ao + 4];
    final long nz = -((x0 | x1 | x2 | x3 | x4 | -(x0 | x1 | x2 | x3 | x4)) >>> 63); // -0 is 0, not p
    long e0 = P0 - x0;
    long e1 = P1 - x1 + (e0 >> BITS);
    long e2 = P2 - x2 + (e1 >> BITS);
    long e3 = P3 - x3 + (e2 >> BITS);
    long e4 = P4 - x4 + (e3 >> BITS);
    r[ro] = e0 & M & nz;
    r[ro + 1] = e1 & M & nz;
    r[ro + 2] = e2 & M & nz;
    r[ro + 3] = e3 & M & nz;
    r[ro + 4] = e4 & nz;
  }

  // ---------------------------------------------------------------- representation

  /** {@code r = a}. */
  public static void copy(long[] r, int ro, long[] a, int ao) {
    System.arraycopy(a, ao, r, ro, LIMBS);
  }

  /** {@code r = 0}. */
  public static void setZero(long[] r, int ro) {
    r[ro] = 0;
    r[ro + 1] = 0;
    r[ro + 2] = 0;
    r[ro + 3] = 0;
    r[ro + 4] = 0;
  }

  /** {@code r = 1} (in Montgomery form). */
  public static void setOne(long[] r, int ro) {
    r[ro] = ONE0;
    r[ro + 1] = ONE1;
    r[ro + 2] = ONE2;
    r[ro + 3] = ONE3;
    r[ro + 4] = ONE4;
  }

  /** Whether a is zero. */
  public static boolean isZero(long[] a, int ao) {
    return (a[ao] | a[ao + 1] | a[ao + 2] | a[ao + 3] | a[ao + 4]) == 0;
  }

  /** Whether a and b hold the same element (both reduced). */
  public static boolean equal(long[] a, int ao, long[] b, int bo) {
    return ((a[ao] ^ b[bo])
            | (a[ao + 1] ^ b[bo + 1])
            | (a[ao + 2] ^ b[bo + 2])
            | (a[ao + 3] ^ b[bo + 3])
            | (a[ao + 4] ^ b[bo + 4]))
        == 0;
  }

  /**
   * Whether the 256-bit integer with 64-bit words (w0..w3), least significant first, is below p,
   * i.e. a canonical value.
   */
  public static boolean isCanonical(long w0, long w1, long w2, long w3) {
    // Compare from the top word down, unsigned.
    final long q3 = 0x30644e72e131a029L;
    final long q2 = 0xb85045b68181585dL;
    final long q1 = 0x2833e84879b97091L;
    final long q0 = 0x43e1f593f0000001L;
    if (w3 != q3) {
      return Long.compareUnsigned(w3, q3) < 0;
    }
    if (w2 != q2) {
      return Long.compareUnsigned(w2, q2) < 0;
    }
    if (w1 != q1) {
      return Long.compareUnsigned(w1, q1) < 0;
    }
    return Long.compareUnsigned(w0, q0) < 0;
  }

  /**
   * Converts a canonical integer given as 64-bit words (w0..w3, least significant first, value
   * below p) into Montgomery form: {@code r = x·R mod p}. The caller checks canonicity first.
   */
  public static void toMontgomery(long[] r, int ro, long w0, long w1, long w2, long w3) {
    r[ro] = w0 & M;
    r[ro + 1] = ((w0 >>> 52) | (w1 << 12)) & M;
    r[ro + 2] = ((w1 >>> 40) | (w2 << 24)) & M;
    r[ro + 3] = ((w2 >>> 28) | (w3 << 36)) & M;
    r[ro + 4] = w3 >>> 16;
    mul(r, ro, r, ro, R2, 0);
  }

  /**
   * Converts out of Montgomery form: writes the plain value of {@code a} as four 64-bit words,
   * least significant first, to {@code words[wo..wo+3]}.
   *
   * @param scratch {@value #LIMBS} longs of working space (may not alias a)
   */
  public static void toWords(long[] words, int wo, long[] a, int ao, long[] scratch) {
    mul(scratch, 0, a, ao, PLAIN_ONE, 0);
    final long l0 = scratch[0];
    final long l1 = scratch[1];
    final long l2 = scratch[2];
    final long l3 = scratch[3];
    final long l4 = scratch[4];
    words[wo] = l0 | (l1 << 52);
    words[wo + 1] = (l1 >>> 12) | (l2 << 40);
    words[wo + 2] = (l2 >>> 24) | (l3 << 28);
    words[wo + 3] = (l3 >>> 36) | (l4 << 16);
  }

  /**
   * Decodes 32 big-endian bytes at {@code in[off]} into Montgomery form.
   *
   * @return false (writing nothing) if the bytes encode an integer ≥ p
   */
  public static boolean decodeCanonical(long[] r, int ro, byte[] in, int off) {
    final long w3 = readLongBe(in, off);
    final long w2 = readLongBe(in, off + 8);
    final long w1 = readLongBe(in, off + 16);
    final long w0 = readLongBe(in, off + 24);
    if (!isCanonical(w0, w1, w2, w3)) {
      return false;
    }
    toMontgomery(r, ro, w0, w1, w2, w3);
    return true;
  }

  /**
   * Encodes a (Montgomery form) as 32 canonical big-endian bytes at {@code out[off]}.
   *
   * @param scratch {@value #LIMBS} + 4 longs of working space (may not alias a)
   */
  public static void encode(byte[] out, int off, long[] a, int ao, long[] scratch) {
    toWords(scratch, LIMBS, a, ao, scratch);
    writeLongBe(out, off, scratch[LIMBS + 3]);
    writeLongBe(out, off + 8, scratch[LIMBS + 2]);
    writeLongBe(out, off + 16, scratch[LIMBS + 1]);
    writeLongBe(out, off + 24, scratch[LIMBS]);
  }

  /** Longs of scratch that {@link #encode} needs. */
  public static final int ENCODE_SCRATCH = LIMBS + 4;

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
