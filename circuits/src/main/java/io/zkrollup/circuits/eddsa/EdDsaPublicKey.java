package io.zkrollup.circuits.eddsa;

import static io.zkrollup.circuits.eddsa.ExtendedPoints.POINT;
import static io.zkrollup.circuits.eddsa.ExtendedPoints.TMP;
import static io.zkrollup.circuits.eddsa.FieldOps.L;

import io.zkrollup.statetree.field.Fr;
import java.util.Objects;

/**
 * An EdDSA public key A: an immutable value holding a point of the prime-order subgroup other than
 * the identity, the keys gnark-crypto's {@code PublicKey.SetBytes} accepts. Verification follows
 * gnark-crypto's {@code PublicKey.Verify} with Poseidon2 as the challenge hash.
 */
public final class EdDsaPublicKey {

  /** Size in bytes of the encoding (a compressed point). */
  public static final int BYTES = EdwardsPoint.BYTES;

  private final EdwardsPoint a;

  /** Montgomery limbs of A.x, A.y; never written after construction. */
  private final long[] aLimbs;

  /** −A in extended coordinates, the variable point of verification; never written. */
  private final long[] negA;

  private EdDsaPublicKey(EdwardsPoint a) {
    this.a = a;
    this.aLimbs = a.limbs();
    this.negA = a.negate().extended();
  }

  /**
   * The public key A.
   *
   * @throws IllegalArgumentException if A is the identity or not in the prime-order subgroup
   */
  public static EdDsaPublicKey of(EdwardsPoint a) {
    Objects.requireNonNull(a, "a");
    if (a.isIdentity()) {
      throw new IllegalArgumentException("the identity is not a public key");
    }
    if (!a.isInPrimeSubgroup()) {
      throw new IllegalArgumentException("public key is not in the prime-order subgroup");
    }
    return new EdDsaPublicKey(a);
  }

  /** A key derived from a private scalar: in the subgroup and not the identity by construction. */
  static EdDsaPublicKey ofTrusted(EdwardsPoint a) {
    return new EdDsaPublicKey(a);
  }

  /**
   * Decodes a public key as gnark-crypto's {@code PublicKey.SetBytes}: a compressed point ({@link
   * EdwardsPoint#fromBytes}; a non-canonical y is reduced, as gnark-crypto does) that is not the
   * identity and is in the prime-order subgroup.
   *
   * @throws IllegalArgumentException for anything else, a wrong length included
   */
  public static EdDsaPublicKey fromBytes(byte[] encoded) {
    return of(EdwardsPoint.fromBytes(encoded));
  }

  /** The canonical 32-byte encoding (gnark-crypto's {@code PublicKey.Bytes()}). */
  public byte[] toBytes() {
    return a.toBytes();
  }

  /** The point A. */
  public EdwardsPoint point() {
    return a;
  }

  /**
   * Whether {@code signature} is a valid signature of {@code message} under this key; exactly the
   * signatures gnark-crypto's {@code Verify} accepts.
   *
   * <p>gnark-crypto checks the cofactored equation 8·S·B = 8·(R + h·A) with h = Poseidon2(R.x,
   * R.y, A.x, A.y, message). Here R and A are in the subgroup of odd prime order (the signature and
   * the key refuse anything else), where multiplying by 8 is a bijection, so the check is
   * equivalently S·B − h·A = R, computed as one fixed-base and one wNAF multiplication and compared
   * in projective coordinates (no inversion).
   */
  public boolean verify(EdDsaSignature signature, Fr message) {
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(message, "message");
    long[] r = signature.r().limbs();
    long[] h = new long[FieldOps.WORDS];
    Challenge.compute(h, r, aLimbs, message);
    long[] s = new long[FieldOps.WORDS];
    FieldOps.toPlainLimbs(signature.s(), s);
    long[] p = new long[POINT];
    ScalarMul.mulBasePlusVar(p, 0, s, h, negA, 0);
    return ExtendedPoints.equalsAffine(p, 0, r, 0, r, L, new long[TMP]);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EdDsaPublicKey other && a.equals(other.a);
  }

  @Override
  public int hashCode() {
    return a.hashCode();
  }

  @Override
  public String toString() {
    return "EdDsaPublicKey" + a;
  }
}
