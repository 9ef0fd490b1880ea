package io.zkrollup.circuits.eddsa;

import static io.zkrollup.circuits.eddsa.ExtendedPoints.POINT;

import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.Objects;

/**
 * Baby Jubjub as gnark-crypto defines it ({@code ecc/bn254/twistededwards}): the twisted Edwards
 * curve a·x² + y² = 1 + d·x²·y² over the BN254 scalar field {@link Fr}, with a = −1, a base point
 * of prime order {@link #ORDER} and cofactor 8. The parameters are gnark-crypto v0.21.0's ({@code
 * curve.go}); a is a square and d is not, so the addition law is complete.
 */
public final class BabyJubjub {
  private BabyJubjub() {}

  /** The coefficient a = −1. */
  public static final Fr A = Curve.A;

  /** The coefficient d. */
  public static final Fr D = Curve.D;

  /**
   * The order of the prime-order subgroup (and of {@link #BASE}): 2736030358979909402780800718157159386076813972158567259200215660948447373041.
   */
  public static final BigInteger ORDER = Curve.ORDER;

  /** The cofactor: the curve has 8·{@link #ORDER} points. */
  public static final int COFACTOR = Curve.COFACTOR;

  /** The base point, a generator of the prime-order subgroup. */
  public static final EdwardsPoint BASE = EdwardsPoint.of(Curve.BASE_X, Curve.BASE_Y);

  /**
   * {@code k·BASE}, with a precomputed table (64 additions, no doublings). Table accesses do not
   * depend on k, so this is suitable for secret scalars.
   */
  public static EdwardsPoint multiplyBase(BigInteger k) {
    long[] r = new long[POINT];
    ScalarMul.mulBase(r, 0, reducedLimbs(Objects.requireNonNull(k, "k")));
    return EdwardsPoint.fromExtended(r, 0);
  }

  /** k mod ORDER as four plain limbs, the form {@link ScalarMul#mulBase} takes. */
  static long[] reducedLimbs(BigInteger k) {
    long[] limbs = new long[FieldOps.WORDS];
    FieldOps.toPlainLimbs(k.mod(ORDER), limbs);
    return limbs;
  }
}
