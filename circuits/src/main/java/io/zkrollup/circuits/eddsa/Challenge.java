package io.zkrollup.circuits.eddsa;

import static io.zkrollup.circuits.eddsa.FieldOps.L;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.field.FrMath;
import io.zkrollup.statetree.hash.Poseidon2;

/**
 * The EdDSA challenge h = Poseidon2-MD(R.x, R.y, A.x, A.y, message): gnark-crypto writes these five
 * field elements into the Merkle–Damgård hasher in this order, and gnark's in-circuit verifier does
 * the same.
 */
final class Challenge {
  private Challenge() {}

  /** Immutable and thread-safe; building it parses the round keys, so it is built once. */
  private static final Poseidon2 POSEIDON2 = new Poseidon2();

  /**
   * Writes h as plain (not Montgomery) little-endian limbs, the integer value gnark-crypto uses as
   * the scalar.
   *
   * @param r the limbs of R.x then R.y
   * @param a the limbs of A.x then A.y
   */
  static void compute(long[] hPlain, long[] r, long[] a, Fr message) {
    long[] w = new long[6 * L];
    System.arraycopy(r, 0, w, L, 2 * L);
    System.arraycopy(a, 0, w, 3 * L, 2 * L);
    message.writeMontgomery(w, 5 * L);
    POSEIDON2.hash(w, 0, w, L, 5, Poseidon2.newState());
    FieldOps.toPlainWords(hPlain, w, 0);
  }
}
