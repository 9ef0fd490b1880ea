package io.zkrollup.aggregator.ingest;

import com.lmax.disruptor.EventHandler;
import io.zkrollup.aggregator.ledger.RejectReason;
import io.zkrollup.aggregator.ledger.Rejection;
import io.zkrollup.aggregator.ledger.VerifiedTx;
import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.circuits.tx.SignedOp;
import java.util.HashMap;
import java.util.Map;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;

/**
 * Verifies the signatures of submissions: one of {@code count} parallel handlers, taking the
 * events whose sequence is {@code ordinal} modulo {@code count}. Also computes each transaction's
 * hash (the signed message) and its key's hash, which the sequencer needs.
 */
final class SignatureStage implements EventHandler<IngestEvent> {

  private static final int KEY_HASHES = 1 << 16;

  private final int ordinal;
  private final int count;
  private final Poseidon2 poseidon2;
  private final long rollupId;
  /** Key hashes of the keys this handler has seen (each handler its own: no sharing, no locks). */
  private final Map<EdDsaPublicKey, Fr> keyHashes = new HashMap<>();

  SignatureStage(int ordinal, int count, Poseidon2 poseidon2, long rollupId) {
    this.ordinal = ordinal;
    this.count = count;
    this.poseidon2 = poseidon2;
    this.rollupId = rollupId;
  }

  @Override
  public void onEvent(IngestEvent event, long sequence, boolean endOfBatch) {
    if (event.kind != IngestEvent.Kind.SUBMISSION || sequence % count != ordinal || event.rejection != null) {
      return;
    }
    for (int i = 0; i < event.ops.size(); i++) {
      SignedOp op = event.ops.get(i);
      Fr message = op.op().message(poseidon2, rollupId);
      if (!op.publicKey().verify(op.signature(), message)) {
        event.verified.clear();
        event.rejection = new Rejection(RejectReason.BAD_SIGNATURE, i, "the signature does not verify for this " + op.opCode().name().toLowerCase() + ", key and rollup " + rollupId);
        return;
      }
      Fr keyHash = keyHashes.get(op.publicKey());
      if (keyHash == null) {
        keyHash = AccountLeaf.keyHash(poseidon2, op.publicKey().point().x(), op.publicKey().point().y());
        if (keyHashes.size() >= KEY_HASHES) {
          keyHashes.clear();
        }
        keyHashes.put(op.publicKey(), keyHash);
      }
      event.verified.add(new VerifiedTx(op, message, keyHash));
    }
  }
}
