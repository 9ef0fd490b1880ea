package io.zkrollup.statetree.hash;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.field.FrMath;
import io.zkrollup.statetree.field.Poseidon2Kernel;
import java.util.List;
import java.util.Objects;

/**
 * Poseidon2 over the BN254 scalar field exactly as gnark-crypto defines it ({@code
 * ecc/bn254/fr/poseidon2}, default parameters): width 2, 6 full rounds and 50 partial rounds, S-box
 * x^5, gnark-crypto's round keys (see {@link Poseidon2RoundKeys}, generated from gnark-crypto and
 * checked by a Go test), external matrix circ(2,1) and internal matrix [[2,1],[1,3]].
 *
 * <p>Three shapes are offered, the same as on the Go side:
 *
 * <ul>
 *   <li>the permutation of a two-element state;
 *   <li>the 2-to-1 compression used for Merkle nodes, {@code permutation(left, right)[1] + right};
 *   <li>the Merkle–Damgård hash of one or more elements (zero initial state, one compression per
 *       element), as gnark-crypto's {@code NewMerkleDamgardHasher}.
 * </ul>
 *
 * <p>The arithmetic is in {@link Poseidon2Kernel} (lazy reduction on {@link FrMath} limbs).
 * Instances are immutable and thread-safe. The {@code long[]} methods work on Montgomery limbs
 * (see {@link FrMath}) and allocate nothing; their caller supplies a working state from {@link
 * #newState()}, which must not be shared between threads.
 */
public final class Poseidon2 {

  /** State width: two field elements. */
  public static final int WIDTH = 2;

  /** Number of full rounds (half before, half after the partial rounds). */
  public static final int FULL_ROUNDS = 6;

  /** Number of partial rounds. */
  public static final int PARTIAL_ROUNDS = 50;

  /** Longs in a working state: two state elements and one scratch element. */
  public static final int STATE_LONGS = Poseidon2Kernel.STATE_LONGS;

  private static final int S0 = Poseidon2Kernel.S0;
  private static final int S1 = Poseidon2Kernel.S1;

  /** Round keys in Montgomery form: per full round two elements, per partial round one. */
  private final long[] fullKeys;

  private final long[] partialKeys;

  /** Poseidon2 with gnark-crypto's default BN254 parameters. */
  public Poseidon2() {
    String[][] keys = Poseidon2RoundKeys.ROUND_KEYS;
    if (Poseidon2RoundKeys.FULL_ROUNDS != FULL_ROUNDS
        || Poseidon2RoundKeys.PARTIAL_ROUNDS != PARTIAL_ROUNDS
        || keys.length != FULL_ROUNDS + PARTIAL_ROUNDS) {
      throw new IllegalStateException("round key table does not match the parameters");
    }
    fullKeys = new long[FULL_ROUNDS * WIDTH * FrMath.LIMBS];
    partialKeys = new long[PARTIAL_ROUNDS * FrMath.LIMBS];
    int half = FULL_ROUNDS / 2;
    for (int round = 0; round < keys.length; round++) {
      boolean full = round < half || round >= half + PARTIAL_ROUNDS;
      if (keys[round].length != (full ? WIDTH : 1)) {
        throw new IllegalStateException("round " + round + " has " + keys[round].length + " keys");
      }
      if (full) {
        int fullIndex = round < half ? round : round - PARTIAL_ROUNDS;
        for (int j = 0; j < WIDTH; j++) {
          Fr.fromHex(keys[round][j])
              .writeMontgomery(fullKeys, (fullIndex * WIDTH + j) * FrMath.LIMBS);
        }
      } else {
        Fr.fromHex(keys[round][0]).writeMontgomery(partialKeys, (round - half) * FrMath.LIMBS);
      }
    }
  }

  /** A fresh working state for the allocation-free methods ({@value #STATE_LONGS} longs). */
  public static long[] newState() {
    return new long[STATE_LONGS];
  }

  // ---------------------------------------------------------------- allocation-free core

  /**
   * Applies the permutation in place to the two state elements ({@code state[0..2·LIMBS)},
   * Montgomery limbs); the rest of the state is scratch.
   */
  public void permute(long[] state) {
    if (state.length < STATE_LONGS) {
      throw new IllegalArgumentException("state must have " + STATE_LONGS + " longs");
    }
    Poseidon2Kernel.permute(state, fullKeys, partialKeys, FULL_ROUNDS, PARTIAL_ROUNDS);
  }

  /**
   * The 2-to-1 compression {@code permutation(left, right)[1] + right}, written to {@code dst}.
   * Operands and result are Montgomery limbs; {@code dst} may alias either operand.
   *
   * @param state a working state from {@link #newState()}
   */
  public void compress(
      long[] dst, int dstOffset, long[] left, int leftOffset, long[] right, int rightOffset, long[] state) {
    FrMath.copy(state, S0, left, leftOffset);
    FrMath.copy(state, S1, right, rightOffset);
    permute(state);
    FrMath.add(dst, dstOffset, state, S1, right, rightOffset);
  }

  /**
   * The Merkle–Damgård hash of {@code count ≥ 1} consecutive elements starting at {@code
   * elements[offset]}, written to {@code dst} (which must not overlap the elements still to be
   * read).
   *
   * @param state a working state from {@link #newState()}
   */
  public void hash(long[] dst, int dstOffset, long[] elements, int offset, int count, long[] state) {
    if (count < 1) {
      throw new IllegalArgumentException("Poseidon2 hash needs at least one element, got " + count);
    }
    FrMath.setZero(dst, dstOffset);
    for (int i = 0; i < count; i++) {
      compress(dst, dstOffset, dst, dstOffset, elements, offset + i * FrMath.LIMBS, state);
    }
  }

  // ---------------------------------------------------------------- value API

  /** The permutation of the state {@code (a, b)}, as a two-element array. */
  public Fr[] permute(Fr a, Fr b) {
    long[] state = newState();
    Objects.requireNonNull(a, "a").writeMontgomery(state, S0);
    Objects.requireNonNull(b, "b").writeMontgomery(state, S1);
    permute(state);
    return new Fr[] {Fr.fromMontgomery(state, S0), Fr.fromMontgomery(state, S1)};
  }

  /** The 2-to-1 compression {@code permutation(left, right)[1] + right} (a Merkle node). */
  public Fr compress(Fr left, Fr right) {
    long[] state = newState();
    long[] operands = new long[2 * FrMath.LIMBS];
    Objects.requireNonNull(left, "left").writeMontgomery(operands, 0);
    Objects.requireNonNull(right, "right").writeMontgomery(operands, FrMath.LIMBS);
    compress(operands, 0, operands, 0, operands, FrMath.LIMBS, state);
    return Fr.fromMontgomery(operands, 0);
  }

  /**
   * The Merkle–Damgård hash of one or more elements.
   *
   * @throws IllegalArgumentException for no elements (the hash of nothing would be the zero IV,
   *     which the native library refuses too)
   */
  public Fr hash(Fr... elements) {
    return hash(List.of(elements));
  }

  /**
   * The Merkle–Damgård hash of one or more elements.
   *
   * @throws IllegalArgumentException for an empty list
   */
  public Fr hash(List<Fr> elements) {
    int n = elements.size();
    if (n == 0) {
      throw new IllegalArgumentException("Poseidon2 hash needs at least one element");
    }
    long[] limbs = new long[(n + 1) * FrMath.LIMBS];
    for (int i = 0; i < n; i++) {
      elements.get(i).writeMontgomery(limbs, (i + 1) * FrMath.LIMBS);
    }
    hash(limbs, 0, limbs, FrMath.LIMBS, n, newState());
    return Fr.fromMontgomery(limbs, 0);
  }
}
