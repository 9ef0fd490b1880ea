package io.zkrollup.circuits.eddsa;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.circuits.eddsa.EdDsaVectors.Vector;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java EdDSA produces gnark-crypto's bytes for every vector and accepts every signature. */
class EdDsaVectorsTest {

  private final List<Vector> vectors = EdDsaVectors.load();

  @Test
  void theFileHoldsEveryVectorAndTheEdgeMessages() {
    // 12 seeds, 3 messages each; a truncated file must fail.
    assertThat(vectors).hasSize(36);
    assertThat(vectors)
        .extracting(Vector::message)
        .contains(Fr.ZERO, Fr.ONE, Fr.reduce(BigInteger.ONE.negate()));
  }

  @Test
  void publicKeysAreByteIdentical() {
    for (Vector v : vectors) {
      assertThat(EdDsaPrivateKey.fromSeed(v.seed()).publicKey().toBytes()).as(v.line()).isEqualTo(v.publicKey());
    }
  }

  @Test
  void signaturesAreByteIdentical() {
    for (Vector v : vectors) {
      EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(v.seed());
      assertThat(key.sign(v.message()).toBytes()).as(v.line()).isEqualTo(v.signature());
    }
  }

  @Test
  void everyVectorVerifiesAndItsEncodingsRoundTrip() {
    for (Vector v : vectors) {
      EdDsaPublicKey pub = EdDsaPublicKey.fromBytes(v.publicKey());
      EdDsaSignature sig = EdDsaSignature.fromBytes(v.signature());
      assertThat(pub.verify(sig, v.message())).as(v.line()).isTrue();
      assertThat(pub.toBytes()).as(v.line()).isEqualTo(v.publicKey());
      assertThat(sig.toBytes()).as(v.line()).isEqualTo(v.signature());
      assertThat(EdDsaSignature.of(sig.r(), sig.s())).isEqualTo(sig);
    }
  }

  @Test
  void signingIsDeterministicAndSignaturesAreBoundToTheirMessage() {
    Vector v = vectors.get(7);
    EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(v.seed());
    EdDsaSignature first = key.sign(v.message());
    assertThat(key.sign(v.message())).isEqualTo(first);
    assertThat(key.sign(v.message().add(Fr.ONE))).isNotEqualTo(first);
  }
}
