package io.zkrollup.circuits.eddsa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.circuits.eddsa.EdDsaVectors.Vector;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * What gnark-crypto refuses is refused here too: a well-formed wrong signature verifies false;
 * malformed bytes and keys gnark-crypto will not decode are an IllegalArgumentException.
 */
class EdDsaRejectionTest {

  private static final BigInteger ORDER = BabyJubjub.ORDER;
  private static final BigInteger P = Fr.MODULUS;

  private final Vector v = EdDsaVectors.load().get(10);
  private final EdDsaPublicKey pub = EdDsaPublicKey.fromBytes(v.publicKey());
  private final EdDsaSignature sig = EdDsaSignature.fromBytes(v.signature());
  private final EdwardsPoint t8 = TestPoints.torsion8();

  private static byte[] withS(byte[] signature, BigInteger s) {
    byte[] out = signature.clone();
    byte[] be = s.toByteArray();
    Arrays.fill(out, 32, 64, (byte) 0);
    int n = Math.min(be.length, 32);
    System.arraycopy(be, be.length - n, out, 64 - n, n);
    return out;
  }

  private static byte[] withR(byte[] signature, byte[] r) {
    byte[] out = signature.clone();
    System.arraycopy(r, 0, out, 0, 32);
    return out;
  }

  private static void assertRefused(ThrowingCallable call, String messagePart) {
    assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(messagePart);
  }

  @Test
  void theUntamperedVectorVerifies() {
    assertThat(pub.verify(sig, v.message())).isTrue();
  }

  @Test
  void tamperedSignaturesMessagesAndKeysVerifyFalse() {
    assertThat(pub.verify(sig, v.message().add(Fr.ONE))).as("other message").isFalse();
    EdDsaSignature sPlusOne = EdDsaSignature.of(sig.r(), sig.s().add(BigInteger.ONE).mod(ORDER));
    assertThat(pub.verify(sPlusOne, v.message())).as("S + 1").isFalse();
    EdDsaSignature rPlusBase = EdDsaSignature.of(sig.r().add(BabyJubjub.BASE), sig.s());
    assertThat(pub.verify(rPlusBase, v.message())).as("R + B").isFalse();
    EdDsaSignature minusR = EdDsaSignature.fromBytes(withR(v.signature(), sig.r().negate().toBytes()));
    assertThat(pub.verify(minusR, v.message())).as("-R (sign bit flipped)").isFalse();
    EdDsaPublicKey otherKey = EdDsaPrivateKey.fromSeed(new byte[32]).publicKey();
    assertThat(otherKey.verify(sig, v.message())).as("other key").isFalse();
    EdDsaPublicKey twice = EdDsaPublicKey.of(pub.point().twice());
    assertThat(twice.verify(sig, v.message())).as("2·A").isFalse();
  }

  @Test
  void signatureBytesGnarkCryptoRefusesAreRefused() {
    byte[] s = v.signature();
    assertRefused(() -> EdDsaSignature.fromBytes(new byte[0]), "64 bytes");
    assertRefused(() -> EdDsaSignature.fromBytes(Arrays.copyOf(s, 63)), "64 bytes");
    assertRefused(() -> EdDsaSignature.fromBytes(Arrays.copyOf(s, 65)), "64 bytes");
    assertThatThrownBy(() -> EdDsaSignature.fromBytes(null)).isInstanceOf(NullPointerException.class);
    assertRefused(() -> EdDsaSignature.fromBytes(withS(s, BigInteger.ZERO)), "S is zero");
    assertRefused(() -> EdDsaSignature.fromBytes(withS(s, ORDER)), "not below the subgroup order");
    assertRefused(() -> EdDsaSignature.fromBytes(withS(s, ORDER.add(sig.s()))), "not below the subgroup order");
    assertRefused(() -> EdDsaSignature.fromBytes(withS(s, BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE))), "not below");
    assertRefused(() -> EdDsaSignature.fromBytes(withR(s, new byte[32])), "y = 0");
    byte[] zeroWithSign = new byte[32];
    zeroWithSign[31] = (byte) 0x80;
    assertRefused(() -> EdDsaSignature.fromBytes(withR(s, zeroWithSign)), "y = 0");
    // R's y must be canonical, even where a public key's may not be
    boolean negative = (s[31] & 0x80) != 0;
    byte[] aliasR = TestPoints.encodeY(sig.r().y().toBigInteger().add(P), negative);
    assertThat(EdwardsPoint.fromBytes(aliasR)).isEqualTo(sig.r());
    assertRefused(() -> EdDsaSignature.fromBytes(withR(s, aliasR)), "not below the field modulus");
    assertRefused(() -> EdDsaSignature.fromBytes(withR(s, TestPoints.encodeY(P, false))), "not below the field modulus");
    assertRefused(() -> EdDsaSignature.fromBytes(withR(s, TestPoints.offCurveEncoding())), "not on the Baby Jubjub curve");
    assertRefused(() -> EdDsaSignature.fromBytes(withR(s, sig.r().add(t8).toBytes())), "not in the prime-order subgroup");
    assertRefused(() -> EdDsaSignature.fromBytes(withR(s, t8.toBytes())), "not in the prime-order subgroup");
    EdwardsPoint order2 = EdwardsPoint.of(Fr.ZERO, TestPoints.minusOne());
    assertRefused(() -> EdDsaSignature.fromBytes(withR(s, order2.toBytes())), "not in the prime-order subgroup");
  }

  @Test
  void theIdentityIsAnAcceptedRWithEitherSignBitAsInGnarkCrypto() {
    byte[] plain = withR(v.signature(), EdwardsPoint.IDENTITY.toBytes());
    byte[] signed = plain.clone();
    signed[31] |= (byte) 0x80;
    EdDsaSignature a = EdDsaSignature.fromBytes(plain);
    EdDsaSignature b = EdDsaSignature.fromBytes(signed);
    assertThat(a).isEqualTo(b);
    assertThat(a.r().isIdentity()).isTrue();
    assertThat(b.toBytes()).isEqualTo(plain);
    assertThat(pub.verify(a, v.message())).isFalse();
  }

  @Test
  void signatureValuesOutsideTheRulesAreRefused() {
    assertRefused(() -> EdDsaSignature.of(sig.r(), BigInteger.ZERO), "S is zero");
    assertRefused(() -> EdDsaSignature.of(sig.r(), ORDER), "not below the subgroup order");
    assertRefused(() -> EdDsaSignature.of(sig.r(), BigInteger.ONE.negate()), "not below the subgroup order");
    assertRefused(() -> EdDsaSignature.of(sig.r().add(t8), sig.s()), "not in the prime-order subgroup");
    // y = 0: the points (±sqrt(-1), 0) of order 4
    long[] root = new long[FieldOps.L];
    long[] minusOne = new long[FieldOps.L];
    TestPoints.minusOne().writeMontgomery(minusOne, 0);
    assertThat(FieldOps.sqrt(root, 0, minusOne, 0)).isTrue();
    EdwardsPoint order4 = EdwardsPoint.of(Fr.fromMontgomery(root, 0), Fr.ZERO);
    assertThat(order4.multiply(BigInteger.valueOf(4)).isIdentity()).isTrue();
    assertRefused(() -> EdDsaSignature.of(order4, sig.s()), "y = 0");
  }

  @Test
  void publicKeysGnarkCryptoRefusesAreRefused() {
    assertRefused(() -> EdDsaPublicKey.fromBytes(new byte[0]), "32 bytes");
    assertRefused(() -> EdDsaPublicKey.fromBytes(Arrays.copyOf(v.publicKey(), 31)), "32 bytes");
    assertRefused(() -> EdDsaPublicKey.fromBytes(Arrays.copyOf(v.publicKey(), 33)), "32 bytes");
    assertThatThrownBy(() -> EdDsaPublicKey.fromBytes(null)).isInstanceOf(NullPointerException.class);
    assertRefused(() -> EdDsaPublicKey.fromBytes(EdwardsPoint.IDENTITY.toBytes()), "identity");
    assertRefused(() -> EdDsaPublicKey.fromBytes(TestPoints.encodeY(BigInteger.ONE, true)), "identity");
    EdwardsPoint t4 = t8.twice();
    EdwardsPoint t2 = t4.twice();
    for (EdwardsPoint lowOrder : new EdwardsPoint[] {t2, t4, t8, t8.negate(), t8.add(t4)}) {
      assertRefused(() -> EdDsaPublicKey.fromBytes(lowOrder.toBytes()), "not in the prime-order subgroup");
    }
    for (EdwardsPoint twisted : new EdwardsPoint[] {pub.point().add(t8), pub.point().add(t2), pub.point().add(t4)}) {
      assertRefused(() -> EdDsaPublicKey.fromBytes(twisted.toBytes()), "not in the prime-order subgroup");
      assertRefused(() -> EdDsaPublicKey.of(twisted), "not in the prime-order subgroup");
    }
    assertRefused(() -> EdDsaPublicKey.fromBytes(TestPoints.offCurveEncoding()), "not on the Baby Jubjub curve");
  }

  @Test
  void aNonCanonicalPublicKeyEncodingNamesTheSameKeyAsInGnarkCrypto() {
    boolean negative = (v.publicKey()[31] & 0x80) != 0;
    BigInteger y = pub.point().y().toBigInteger();
    EdDsaPublicKey alias = EdDsaPublicKey.fromBytes(TestPoints.encodeY(y.add(P), negative));
    assertThat(alias).isEqualTo(pub);
    assertThat(alias.toBytes()).isEqualTo(v.publicKey());
    assertThat(alias.verify(sig, v.message())).isTrue();
  }

  @Test
  void seedsMustBe32Bytes() {
    assertRefused(() -> EdDsaPrivateKey.fromSeed(new byte[0]), "32 bytes");
    assertRefused(() -> EdDsaPrivateKey.fromSeed(new byte[31]), "32 bytes");
    assertRefused(() -> EdDsaPrivateKey.fromSeed(new byte[33]), "32 bytes");
    assertThatThrownBy(() -> EdDsaPrivateKey.fromSeed(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void inputsAreNotModifiedAndSecretsNotPrinted() {
    byte[] seed = v.seed().clone();
    byte[] sigBytes = v.signature().clone();
    byte[] pubBytes = v.publicKey().clone();
    EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(seed);
    key.sign(v.message());
    EdDsaSignature.fromBytes(sigBytes);
    EdDsaPublicKey.fromBytes(pubBytes);
    assertThat(seed).isEqualTo(v.seed());
    assertThat(sigBytes).isEqualTo(v.signature());
    assertThat(pubBytes).isEqualTo(v.publicKey());
    assertThat(key.toString()).contains("publicKey").doesNotContain(java.util.HexFormat.of().formatHex(seed));
  }

  @Test
  void encodingsReturnFreshArrays() {
    byte[] first = sig.toBytes();
    first[0] ^= 1;
    assertThat(sig.toBytes()).isEqualTo(v.signature());
    byte[] key = pub.toBytes();
    key[0] ^= 1;
    assertThat(pub.toBytes()).isEqualTo(v.publicKey());
  }
}
