package io.zkrollup.circuits.eddsa;

import static io.zkrollup.circuits.eddsa.FieldOps.L;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * An EdDSA signature (R, S): an immutable value that satisfies gnark-crypto's decoding rules
 * ({@code Signature.SetBytes}), so every instance is one gnark-crypto would accept as well-formed:
 *
 * <ul>
 *   <li>R is on the curve and in the prime-order subgroup, and its y is not 0;
 *   <li>0 &lt; S &lt; {@link BabyJubjub#ORDER}.
 * </ul>
 *
 * <p>The byte form is 64 bytes: R compressed ({@link EdwardsPoint#toBytes()}), then S as 32
 * big-endian bytes.
 */
public final class EdDsaSignature {

  /** Size in bytes of the encoding. */
  public static final int BYTES = 2 * EdwardsPoint.BYTES;

  private final EdwardsPoint r;
  private final BigInteger s;

  private EdDsaSignature(EdwardsPoint r, BigInteger s) {
    this.r = r;
    this.s = s;
  }

  /**
   * The signature (R, S).
   *
   * @throws IllegalArgumentException if it breaks a rule of the class comment
   */
  public static EdDsaSignature of(EdwardsPoint r, BigInteger s) {
    Objects.requireNonNull(r, "r");
    Objects.requireNonNull(s, "s");
    checkS(s);
    if (r.y().isZero()) {
      throw new IllegalArgumentException("signature R has y = 0");
    }
    if (!r.isInPrimeSubgroup()) {
      throw new IllegalArgumentException("signature R is not in the prime-order subgroup");
    }
    return new EdDsaSignature(r, s);
  }

  /** A signature made by this package's signer: R = r·B is in the subgroup (so R.y ≠ 0). */
  static EdDsaSignature ofTrusted(EdwardsPoint r, BigInteger s) {
    checkS(s);
    return new EdDsaSignature(r, s);
  }

  /**
   * Decodes 64 bytes with the rules, and in the order, of gnark-crypto's {@code
   * Signature.SetBytes}: R's y (without the sign bit) non-zero and below the field modulus, S
   * non-zero and below the subgroup order, R on the curve, R in the subgroup.
   *
   * <p>Unlike a public key, R's y must be canonical; but as in gnark-crypto the sign bit of R is
   * ignored when R.x = 0 (R the identity), so {@link #toBytes()} may differ from the accepted input
   * in that one bit.
   *
   * @throws IllegalArgumentException if gnark-crypto would refuse the bytes
   */
  public static EdDsaSignature fromBytes(byte[] encoded) {
    Objects.requireNonNull(encoded, "encoded");
    if (encoded.length != BYTES) {
      throw new IllegalArgumentException(
          "an EdDSA signature is " + BYTES + " bytes, got " + encoded.length);
    }
    long[] y = new long[FieldOps.WORDS]; // plain words, not Montgomery limbs
    PointCodec.readUnmaskedY(y, encoded, 0);
    if ((y[0] | y[1] | y[2] | y[3]) == 0) {
      throw new IllegalArgumentException("signature R has y = 0");
    }
    if (!PointCodec.isCanonical(y)) {
      throw new IllegalArgumentException(
          "signature R has a y not below the field modulus (non-canonical encoding)");
    }
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(encoded, EdwardsPoint.BYTES, BYTES));
    checkS(s);
    long[] xy = new long[2 * L];
    if (!PointCodec.decode(xy, 0, xy, L, encoded, 0)) {
      throw new IllegalArgumentException("signature R is not on the Baby Jubjub curve");
    }
    if (!SubgroupCheck.isInSubgroup(xy, 0, xy, L)) {
      throw new IllegalArgumentException("signature R is not in the prime-order subgroup");
    }
    return new EdDsaSignature(EdwardsPoint.fromTrustedLimbs(xy, 0, xy, L), s);
  }

  private static void checkS(BigInteger s) {
    if (s.signum() == 0) {
      throw new IllegalArgumentException("signature S is zero");
    }
    if (s.signum() < 0 || s.compareTo(BabyJubjub.ORDER) >= 0) {
      throw new IllegalArgumentException("signature S is not below the subgroup order");
    }
  }

  /** The 64-byte encoding: compressed R, then S big-endian. */
  public byte[] toBytes() {
    byte[] out = new byte[BYTES];
    System.arraycopy(r.toBytes(), 0, out, 0, EdwardsPoint.BYTES);
    byte[] sb = s.toByteArray(); // s < ORDER < 2^252: at most 32 bytes, no sign byte beyond that
    int n = Math.min(sb.length, 32);
    System.arraycopy(sb, sb.length - n, out, BYTES - n, n);
    return out;
  }

  /** The commitment R. */
  public EdwardsPoint r() {
    return r;
  }

  /** The scalar S, 0 &lt; S &lt; {@link BabyJubjub#ORDER}. */
  public BigInteger s() {
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EdDsaSignature other && r.equals(other.r) && s.equals(other.s);
  }

  @Override
  public int hashCode() {
    return 31 * r.hashCode() + s.hashCode();
  }

  @Override
  public String toString() {
    return "EdDsaSignature[R=" + r + ", S=" + s.toString(16) + "]";
  }
}
