package io.zkrollup.circuits.eddsa;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.field.FrMath;
import java.math.BigInteger;

/**
 * The curve constants, with no dependency on any other class of this package, so that class
 * initialisation has no cycles. The public face is {@link BabyJubjub}.
 *
 * <p>Values from gnark-crypto v0.21.0, {@code ecc/bn254/twistededwards/curve.go}
 * ({@code initCurveParams}).
 */
final class Curve {
  private Curve() {}

  static final Fr A = Fr.reduce(BigInteger.ONE.negate());

  static final Fr D =
      Fr.of(
          new BigInteger(
              "12181644023421730124874158521699555681764249180949974110617291017600649128846"));

  static final BigInteger ORDER =
      new BigInteger(
          "2736030358979909402780800718157159386076813972158567259200215660948447373041");

  static final int COFACTOR = 8;

  static final Fr BASE_X =
      Fr.of(
          new BigInteger(
              "9671717474070082183213120605117400219616337014328744928644933853176787189663"));

  static final Fr BASE_Y =
      Fr.of(
          new BigInteger(
              "16950150798460657717958625567821834550301663161624707787222815936182638968203"));

  /**
   * A fresh array with the Montgomery limbs of v. Classes that need a constant in limb form keep
   * their own private copy, so no array is shared between classes.
   */
  static long[] limbs(Fr v) {
    long[] out = new long[FrMath.LIMBS];
    v.writeMontgomery(out, 0);
    return out;
  }
}
