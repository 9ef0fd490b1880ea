package io.zkrollup.aggregator.ingest;

import io.zkrollup.aggregator.journal.JournalEntry;
import io.zkrollup.aggregator.ledger.Rejection;
import io.zkrollup.aggregator.sequencer.SealedBatch;
import io.zkrollup.circuits.tx.PriorityOp;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.circuits.tx.VerifiedOp;
import io.zkrollup.statetree.field.Fr;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One slot of the ingestion ring, reused for ever: a submission (one transaction or an atomic
 * list), an L1 priority request (a deposit or a forced withdrawal), or a clock tick. Each stage fills in its part; the acknowledging stage answers
 * and clears the slot.
 */
final class IngestEvent {

  enum Kind {
    SUBMISSION,
    PRIORITY,
    TICK,
    SEAL
  }

  Kind kind;

  // Submission: decoded ops in, verified txs after the signature stage.
  final List<SignedOp> ops = new ArrayList<>();
  final List<VerifiedOp> verified = new ArrayList<>();
  SubmissionCallback callback;

  // Priority request.
  PriorityOp priority;
  CompletableFuture<Long> priorityDone;

  // Set by any stage that refuses the event; later stages skip it.
  Rejection rejection;

  // The sequencer's decisions, journaled by the journal stage: parallel lists.
  final List<JournalEntry> journalEntries = new ArrayList<>();
  long firstJournalIndex = -1;
  final List<SealedBatch> sealed = new ArrayList<>();

  void submission(List<SignedOp> signedOps, SubmissionCallback cb) {
    kind = Kind.SUBMISSION;
    ops.addAll(signedOps);
    callback = cb;
  }

  void priority(PriorityOp op, CompletableFuture<Long> done) {
    kind = Kind.PRIORITY;
    priority = op;
    priorityDone = done;
  }

  void tick() {
    kind = Kind.TICK;
  }

  void seal() {
    kind = Kind.SEAL;
  }

  /** The journal indices of the accepted txs, in order (seal entries skipped). */
  long[] txIndices() {
    long[] out = new long[verified.size()];
    int k = 0;
    for (int i = 0; i < journalEntries.size(); i++) {
      if (journalEntries.get(i) instanceof JournalEntry.Tx) {
        out[k++] = firstJournalIndex + i;
      }
    }
    return out;
  }

  Fr[] txHashes() {
    Fr[] out = new Fr[verified.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = verified.get(i).txHash();
    }
    return out;
  }

  void clear() {
    kind = null;
    ops.clear();
    verified.clear();
    callback = null;
    priority = null;
    priorityDone = null;
    rejection = null;
    journalEntries.clear();
    firstJournalIndex = -1;
    sealed.clear();
  }
}
