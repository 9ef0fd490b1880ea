package io.zkrollup.circuits.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.circuits.eddsa.EdwardsPoint;
import io.zkrollup.circuits.tx.OpCode;
import io.zkrollup.statetree.MerkleProof;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import java.util.List;

/**
 * What the circuit checks, written from docs/protocol.md against the witness fields alone (no
 * builder code): leaves recomputed from the opened values, every path verified against the running
 * root, signatures over the rebuilt message, and the chain of roots ending in {@code newRoot}.
 */
final class CircuitModel {

  private static final Poseidon2 P = new Poseidon2();

  private CircuitModel() {}

  static void check(BatchWitness w, PublicData pubdata) {
    BatchHeader h = w.header();
    Fr root = w.publicInputs().oldRoot();
    int d = w.depth();
    int signed = 0;
    for (int i = 0; i < w.slots(); i++) {
      BatchWitness.Slot s = w.slotWitnesses().get(i);
      BatchWitness.Signer sender = s.sender();
      BatchWitness.Account receiver = s.receiver();
      EdDsaPublicKey key = EdDsaPublicKey.of(EdwardsPoint.of(sender.pubKeyX(), sender.pubKeyY()));
      OpCode op = s.opCode();
      if (pubdata != null) {
        assertThat(pubdata.opCode(i)).as("slot %d op code in public data", i).isEqualTo(op.code());
      }
      if (op.signed()) {
        signed++;
        BigInteger e1 = BigInteger.valueOf(op.code()).multiply(BigInteger.TWO.pow(184))
            .add(BigInteger.valueOf(h.rollupId()).multiply(BigInteger.TWO.pow(152)))
            .add(BigInteger.valueOf(sender.index()).multiply(BigInteger.TWO.pow(120)))
            .add(BigInteger.valueOf(sender.nonce()).multiply(BigInteger.TWO.pow(56)))
            .add(BigInteger.valueOf(s.maxFee16().bits()).multiply(BigInteger.TWO.pow(40)));
        Fr msg = P.compress(Fr.of(e1), P.compress(Fr.of(s.amount()), Fr.of(s.dest())));
        assertThat(key.verify(s.signature(), msg)).as("slot %d signature", i).isTrue();
        assertThat(h.fee()).isLessThanOrEqualTo(s.maxFee16().value());
        Fr keyHash = P.compress(sender.pubKeyX(), sender.pubKeyY());
        root = update(root, d, sender.index(), sender.siblings(),
            leaf(keyHash, sender.balance(), sender.nonce()),
            leaf(keyHash, sender.balance().subtract(s.amount()).subtract(h.fee()), sender.nonce() + 1), "slot " + i + " sender");
        if (op == OpCode.TRANSFER) {
          assertThat(s.amount()).isEqualTo(s.amount16().value());
          assertThat(BigInteger.valueOf(receiver.index())).isEqualTo(s.dest());
          assertThat(receiver.isEmpty()).isFalse();
          root = update(root, d, receiver.index(), receiver.siblings(),
              leaf(receiver.keyHash(), receiver.balance(), receiver.nonce()), leaf(receiver.keyHash(), receiver.balance().add(s.amount()), receiver.nonce()), "slot " + i + " receiver");
        }
      } else {
        assertThat(key).isEqualTo(DummySignature.PUBLIC_KEY);
        assertThat(key.verify(s.signature(), Fr.ZERO)).isTrue();
        if (op == OpCode.DEPOSIT) {
          assertThat(BigInteger.valueOf(receiver.index())).isEqualTo(s.dest());
          Fr old = receiver.isEmpty() ? Fr.ZERO : leaf(receiver.keyHash(), receiver.balance(), receiver.nonce());
          root = update(root, d, receiver.index(), receiver.siblings(), old, leaf(receiver.keyHash(), receiver.balance().add(s.amount()), receiver.nonce()), "slot " + i + " receiver");
        }
      }
    }
    BatchWitness.Operator o = w.operator();
    root = update(root, d, h.operator(), o.siblings(), leaf(o.keyHash(), o.balance(), o.nonce()),
        leaf(o.keyHash(), o.balance().add(h.fee().multiply(BigInteger.valueOf(signed))), o.nonce()), "operator");
    assertThat(root).as("new root").isEqualTo(w.publicInputs().newRoot());
    if (pubdata != null) {
      assertThat(pubdata.hash()).isEqualTo(w.publicInputs().pubdataHash());
    }
  }

  private static Fr leaf(Fr keyHash, BigInteger balance, long nonce) {
    assertThat(balance.signum()).isNotNegative();
    assertThat(balance.bitLength()).isLessThanOrEqualTo(128);
    return P.compress(keyHash, Fr.of(balance.multiply(BigInteger.TWO.pow(64)).add(BigInteger.valueOf(nonce))));
  }

  private static Fr update(Fr root, int depth, long index, List<Fr> siblings, Fr oldLeaf, Fr newLeaf, String what) {
    assertThat(new MerkleProof(depth, index, oldLeaf, siblings).computeRoot(P)).as(what + " opening").isEqualTo(root);
    return new MerkleProof(depth, index, newLeaf, siblings).computeRoot(P);
  }
}
