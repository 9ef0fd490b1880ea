package io.zkrollup.aggregator.ingest;

import com.lmax.disruptor.EventHandler;
import io.zkrollup.aggregator.ledger.RejectReason;
import io.zkrollup.aggregator.ledger.Rejection;
import io.zkrollup.circuits.tx.SignatureVerifier;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.circuits.tx.VerifiedOp;
import io.zkrollup.statetree.hash.Poseidon2;

/**
 * Verifies the signatures of submissions: one of {@code count} parallel handlers, taking the
 * events whose sequence is {@code ordinal} modulo {@code count}. What passes becomes a {@link
 * VerifiedOp}, with the transaction's hash (the signed message) and its key's hash, which the
 * sequencer needs. This is the one place a submitted signature is checked: the batch sealer trusts
 * the verified ops it is given.
 */
final class SignatureStage implements EventHandler<IngestEvent> {

  private final int ordinal;
  private final int count;
  private final long rollupId;
  /** Each handler its own (it caches key hashes): no sharing, no locks. */
  private final SignatureVerifier verifier;

  SignatureStage(int ordinal, int count, Poseidon2 poseidon2, long rollupId) {
    this.ordinal = ordinal;
    this.count = count;
    this.rollupId = rollupId;
    this.verifier = new SignatureVerifier(poseidon2, rollupId);
  }

  @Override
  public void onEvent(IngestEvent event, long sequence, boolean endOfBatch) {
    if (event.kind != IngestEvent.Kind.SUBMISSION || sequence % count != ordinal || event.rejection != null) {
      return;
    }
    for (int i = 0; i < event.ops.size(); i++) {
      SignedOp op = event.ops.get(i);
      VerifiedOp verified = verifier.verify(op);
      if (verified == null) {
        event.verified.clear();
        event.rejection = new Rejection(RejectReason.BAD_SIGNATURE, i, "the signature does not verify for this " + op.opCode().name().toLowerCase() + ", key and rollup " + Long.toUnsignedString(rollupId));
        return;
      }
      event.verified.add(verified);
    }
  }
}
