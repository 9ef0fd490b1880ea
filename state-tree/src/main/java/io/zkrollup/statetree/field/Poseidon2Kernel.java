package io.zkrollup.statetree.field;

/**
 * The width-2 Poseidon2 permutation on {@link FrMath} limbs, with lazy reduction: the arithmetic
 * core behind {@code io.zkrollup.statetree.hash.Poseidon2}, which owns the round keys and the
 * public API. It lives here because it relies on FrMath's package-private loose operations and
 * their bounds.
 *
 * <p>Lazy reduction: between S-boxes, state elements are left unreduced ("loose": limbs may exceed
 * 2^52, values may exceed p) as long as the next Montgomery product stays valid (operand value below
 * 9p, see {@link FrMath#montMul}); additions are then five plain {@code long} additions. The bounds,
 * writing {@code ρ = p/2^260 < 0.0119} so that a product of values A and B is below
 * {@code (A·B/p)·ρ·p + p}:
 *
 * <ul>
 *   <li>Input: both elements reduced (below p). After the first external matrix: below 3p, limbs
 *       below 3·2^52.
 *   <li>Full round: {@code x = s + key} is below 5.2p (any state reached below), normalized
 *       before the S-box; {@code x²} is below 1.33p, {@code x⁴} below 1.03p, {@code x⁵} below
 *       1.07p. The external matrix gives elements below 3.3p, limbs below 3·2^52.
 *   <li>Partial round: element 0 goes through the S-box as above (input below 6.3p, so {@code x⁵}
 *       below 1.08p); the internal matrix gives {@code s0 = 2·x⁵ + s1} and {@code s1 = x⁵ + 3·s1}.
 *       {@code s1} would grow threefold per round, so it is brought back below 2.01p with one
 *       quotient-estimate reduction ({@link FrMath#reduceWeak}, input below 11p, limbs below
 *       2^58); then {@code s0} stays below 2·1.08p + 3.3p < 5.5p in the first partial round and
 *       below 4.2p after it.
 *   <li>Output: both elements fully reduced.
 * </ul>
 *
 * <p>The tests check the result against gnark-crypto's vectors and, through the native library, on
 * random inputs including the largest values.
 */
public final class Poseidon2Kernel {
  private Poseidon2Kernel() {}

  private static final int L = FrMath.LIMBS;

  /** Offset of state element 0. */
  public static final int S0 = 0;

  /** Offset of state element 1. */
  public static final int S1 = L;

  /** Offset of the scratch element. */
  private static final int T = 2 * L;

  /** Longs in a working state: two elements and one scratch element. */
  public static final int STATE_LONGS = 3 * L;

  /**
   * Permutes {@code state[S0..]} and {@code state[S1..]} (reduced elements) in place.
   *
   * @param fullKeys the round keys of the full rounds, two elements per round in order
   * @param partialKeys the round keys of the partial rounds, one element per round
   * @param fullRounds the number of full rounds (half before, half after the partial rounds)
   * @param partialRounds the number of partial rounds
   */
  public static void permute(
      long[] state, long[] fullKeys, long[] partialKeys, int fullRounds, int partialRounds) {
    external(state);
    final int half = fullRounds / 2;
    for (int r = 0; r < half; r++) {
      fullRound(state, fullKeys, 2 * r * L);
    }
    for (int r = 0; r < partialRounds; r++) {
      addKey(state, S0, partialKeys, r * L);
      sbox(state, S0);
      // Internal matrix [[2,1],[1,3]]: s0 ← 2·s0 + s1, s1 ← s0 + 3·s1.
      for (int i = 0; i < L; i++) {
        final long y = state[S0 + i];
        final long z = state[S1 + i];
        state[S0 + i] = 2 * y + z;
        state[S1 + i] = y + 3 * z;
      }
      FrMath.reduceWeak(state, S1);
    }
    for (int r = half; r < fullRounds; r++) {
      fullRound(state, fullKeys, 2 * r * L);
    }
    FrMath.reduceFull(state, S0);
    FrMath.reduceFull(state, S1);
  }

  private static void fullRound(long[] s, long[] keys, int k) {
    addKey(s, S0, keys, k);
    addKey(s, S1, keys, k + L);
    sbox(s, S0);
    sbox(s, S1);
    external(s);
  }

  /** External matrix circ(2,1): (s0, s1) ← (2·s0 + s1, s0 + 2·s1), limb by limb. */
  private static void external(long[] s) {
    for (int i = 0; i < L; i++) {
      final long y = s[S0 + i];
      final long z = s[S1 + i];
      s[S0 + i] = 2 * y + z;
      s[S1 + i] = y + 2 * z;
    }
  }

  private static void addKey(long[] s, int at, long[] keys, int k) {
    s[at] += keys[k];
    s[at + 1] += keys[k + 1];
    s[at + 2] += keys[k + 2];
    s[at + 3] += keys[k + 3];
    s[at + 4] += keys[k + 4];
  }

  /** {@code s[at] ← s[at]^5}: normalize the loose input, then x², x⁴ = (x²)², x⁵ = x⁴·x. */
  private static void sbox(long[] s, int at) {
    FrMath.normalize(s, at);
    FrMath.montSquare(s, T, s, at);
    FrMath.montSquare(s, T, s, T);
    FrMath.montMul(s, at, s, T, s, at);
  }
}
