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
 * every path verified against the running root, signatures over the rebuilt message, the token
 * rules (a signed op's token is its sender's, a transfer stays within one token, the fee is paid by
 * the ops of the operator account's token only), forced withdrawals paid exactly when their rules
 * hold, and the chain of roots ending in {@code newRoot}.
 */
final class CircuitModel {

  private static final Poseidon2 P = new Poseidon2();

  private CircuitModel() {}

  static void check(BatchWitness w, PublicData pubdata) {
    BatchHeader h = w.header();
    Fr root = w.publicInputs().oldRoot();
    int d = w.depth();
    BatchWitness.Operator o = w.operator();
    long feeToken = tokenOf(o.ownerToken());
    int paying = 0;
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
        BigInteger e1 = BigInteger.valueOf(op.code()).multiply(BigInteger.TWO.pow(208))
            .add(new BigInteger(Long.toUnsignedString(h.rollupId())).multiply(BigInteger.TWO.pow(144)))
            .add(BigInteger.valueOf(sender.index()).multiply(BigInteger.TWO.pow(112)))
            .add(BigInteger.valueOf(sender.nonce()).multiply(BigInteger.TWO.pow(48)))
            .add(BigInteger.valueOf(s.maxFee16().bits()).multiply(BigInteger.TWO.pow(32)))
            .add(BigInteger.valueOf(s.token()));
        Fr msg = P.compress(Fr.of(e1), P.compress(Fr.of(s.amount()), Fr.of(s.dest())));
        assertThat(key.verify(s.signature(), msg)).as("slot %d signature", i).isTrue();
        assertThat((long) s.token()).as("slot %d token is the sender's", i).isEqualTo(tokenOf(sender.ownerToken()));
        boolean pays = s.token() == feeToken;
        BigInteger fee = pays ? h.fee() : BigInteger.ZERO;
        if (pays) {
          paying++;
          assertThat(h.fee()).isLessThanOrEqualTo(s.maxFee16().value());
        }
        Fr id = P.compress(P.compress(sender.pubKeyX(), sender.pubKeyY()), Fr.of(sender.ownerToken()));
        root = update(root, d, sender.index(), sender.siblings(),
            leaf(id, sender.balance(), sender.nonce()),
            leaf(id, sender.balance().subtract(s.amount()).subtract(fee), sender.nonce() + 1), "slot " + i + " sender");
        if (op == OpCode.WITHDRAWAL && pubdata != null) {
          byte[] data = pubdata.opData(i, 4);
          assertThat(((data[4] & 0xff) << 8) | (data[5] & 0xff)).as("slot %d withdrawal's token", i).isEqualTo(s.token());
        }
        if (op == OpCode.TRANSFER) {
          assertThat(tokenOf(receiver.ownerToken())).as("slot %d receiver's token", i).isEqualTo(s.token());
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
              && receiver.ownerToken().equals(s.dest().shiftLeft(32).add(BigInteger.valueOf(s.token())))
              && s.amount().compareTo(receiver.balance()) <= 0;
          Fr newLeaf = paid ? leaf(receiverId, receiver.balance().subtract(s.amount()), receiver.nonce()) : receiverOld;
          root = update(root, d, receiver.index(), receiver.siblings(), receiverOld, newLeaf, "slot " + i + " forced withdrawal");
          if (pubdata != null) {
            assertThat(pubdata.chunk(i)[0]).as("slot %d kind byte", i).isEqualTo((byte) (paid ? 1 : 2));
          }
        }
      }
    }
    Fr operatorId = P.compress(o.keyHash(), Fr.of(o.ownerToken()));
    root = update(root, d, h.operator(), o.siblings(), leaf(operatorId, o.balance(), o.nonce()),
        leaf(operatorId, o.balance().add(h.fee().multiply(BigInteger.valueOf(paying))), o.nonce()), "operator");
    assertThat(root).as("new root").isEqualTo(w.publicInputs().newRoot());
    if (pubdata != null) {
      assertThat(pubdata.hash()).isEqualTo(w.publicInputs().pubdataHash());
    }
  }

  /** The token of {@code ownerToken = owner·2^32 + token}: below 2^16, bits 16-31 zero, owner below 2^160. */
  private static long tokenOf(BigInteger ownerToken) {
    assertThat(ownerToken.bitLength()).isLessThanOrEqualTo(192);
    long slot = ownerToken.longValue() & 0xffff_ffffL;
    assertThat(slot).isLessThan(1L << 16);
    return slot;
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
