package io.zkrollup.circuits.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.hash.Poseidon2;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

  private static final Poseidon2 P = new Poseidon2();
  private static final long ROLLUP = 77;

  private static EdDsaPrivateKey key(int b) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) b);
    return EdDsaPrivateKey.fromSeed(seed);
  }

  private final SignatureVerifier verifier = new SignatureVerifier(P, ROLLUP);

  @Test
  void aValidSignatureBecomesAVerifiedOpWithItsHashes() {
    EdDsaPrivateKey k = key(1);
    Transfer t = new Transfer(1, 2, 10, 5, 0);
    SignedOp signed = t.sign(k, P, ROLLUP);
    VerifiedOp v = verifier.verify(signed);
    assertThat(v).isNotNull();
    assertThat(v.signed()).isSameAs(signed);
    assertThat(v.opCode()).isEqualTo(OpCode.TRANSFER);
    assertThat(v.txHash()).isEqualTo(t.message(P, ROLLUP));
    assertThat(v.keyHash()).isEqualTo(AccountLeaf.keyHash(P, k.publicKey().point().x(), k.publicKey().point().y()));
    // The second time the key hash comes from the cache: the same value.
    assertThat(verifier.verify(signed)).isEqualTo(v);
    assertThat(VerifiedOp.fromRecord(signed, v.txHash(), v.keyHash())).isEqualTo(v).hasSameHashCodeAs(v);
  }

  @Test
  void aSignatureForAnotherRollupOrOtherValuesIsRefused() {
    EdDsaPrivateKey k = key(1);
    assertThat(verifier.verify(new Transfer(1, 2, 10, 5, 0).sign(k, P, ROLLUP + 1))).isNull();
    SignedOp signed = new Transfer(1, 2, 10, 5, 0).sign(k, P, ROLLUP);
    assertThat(verifier.verify(new SignedOp(new Transfer(1, 2, 20, 5, 0), signed.publicKey(), signed.signature()))).isNull();
    assertThat(verifier.verify(new SignedOp(signed.op(), key(2).publicKey(), signed.signature()))).isNull();
  }
}
