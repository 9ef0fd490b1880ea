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
 * builder code): leaves recomputed from the opened values (idHash from key hash and owner token),
 * every path verified against the running root, signatures over the rebuilt message, forced
 * withdrawals paid exactly when their rules hold, and the chain of roots ending in {@code newRoot}.
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
      assertThat(receiver.isEmpty() && op != OpCode.PRIORITY).as("slot %d: only a priority op finds an empty leaf", i).isFalse();
      Fr receiverId = P.compress(receiver.keyHash(), Fr.of(receiver.ownerToken()));
      Fr receiverOld = receiver.isEmpty() ? Fr.ZERO : leaf(receiverId, receiver.balance(), receiver.nonce());
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
        Fr id = P.compress(P.compress(sender.pubKeyX(), sender.pubKeyY()), Fr.of(sender.ownerToken()));
        root = update(root, d, sender.index(), sender.siblings(),
            leaf(id, sender.balance(), sender.nonce()),
            leaf(id, sender.balance().subtract(s.amount()).subtract(h.fee()), sender.nonce() + 1), "slot " + i + " sender");
        if (op == OpCode.TRANSFER) {
          assertThat(s.amount()).isEqualTo(s.amount16().value());
          assertThat(BigInteger.valueOf(receiver.index())).isEqualTo(s.dest());
          root = update(root, d, receiver.index(), receiver.siblings(),
              receiverOld, leaf(receiverId, receiver.balance().add(s.amount()), receiver.nonce()), "slot " + i + " receiver");
        }
      } else {
        assertThat(key).isEqualTo(DummySignature.PUBLIC_KEY);
        assertThat(key.verify(s.signature(), Fr.ZERO)).isTrue();
        if (op == OpCode.PRIORITY && s.priorityKind() == 0) { // deposit
          assertThat(BigInteger.valueOf(receiver.index())).isEqualTo(s.dest());
          root = update(root, d, receiver.index(), receiver.siblings(), receiverOld,
              leaf(receiverId, receiver.balance().add(s.amount()), receiver.nonce()), "slot " + i + " deposit");
        } else if (op == OpCode.PRIORITY) { // forced withdrawal: paid exactly when the rules say
          boolean paid = !receiver.isEmpty()
              && receiver.ownerToken().equals(s.dest().shiftLeft(32))
              && s.amount().compareTo(receiver.balance()) <= 0;
          Fr newLeaf = paid ? leaf(receiverId, receiver.balance().subtract(s.amount()), receiver.nonce()) : receiverOld;
          root = update(root, d, receiver.index(), receiver.siblings(), receiverOld, newLeaf, "slot " + i + " forced withdrawal");
          if (pubdata != null) {
            assertThat(pubdata.chunk(i)[0]).as("slot %d kind byte", i).isEqualTo((byte) (paid ? 1 : 2));
          }
        }
      }
    }
    BatchWitness.Operator o = w.operator();
    root = update(root, d, h.operator(), o.siblings(), leaf(o.idHash(), o.balance(), o.nonce()),
        leaf(o.idHash(), o.balance().add(h.fee().multiply(BigInteger.valueOf(signed))), o.nonce()), "operator");
    assertThat(root).as("new root").isEqualTo(w.publicInputs().newRoot());
    if (pubdata != null) {
      assertThat(pubdata.hash()).isEqualTo(w.publicInputs().pubdataHash());
    }
  }

  private static Fr leaf(Fr idHash, BigInteger balance, long nonce) {
    assertThat(balance.signum()).isNotNegative();
    assertThat(balance.bitLength()).isLessThanOrEqualTo(128);
    return P.compress(idHash, Fr.of(balance.multiply(BigInteger.TWO.pow(64)).add(BigInteger.valueOf(nonce))));
  }

  private static Fr update(Fr root, int depth, long index, List<Fr> siblings, Fr oldLeaf, Fr newLeaf, String what) {
    assertThat(new MerkleProof(depth, index, oldLeaf, siblings).computeRoot(P)).as(what + " opening").isEqualTo(root);
    return new MerkleProof(depth, index, newLeaf, siblings).computeRoot(P);
  }
}
