package io.zkrollup.aggregator.sequencer;

import io.zkrollup.circuits.tx.BatchOp;
import java.util.List;

/**
 * A batch the sequencer closed: its number and ops in slot order, and where its seal is in the
 * journal. Building it (witness, tree update) is the batch sealer's work.
 *
 * @param number the batch number
 * @param ops the ops in slot order: deposits, and signed ops as the pipeline verified them ({@code
 *     VerifiedOp}); the rest of the slots are no-ops
 * @param sealIndex the journal index of the batch's seal entry
 */
public record SealedBatch(long number, List<BatchOp> ops, long sealIndex) {

  /** Copies the ops. */
  public SealedBatch {
    ops = List.copyOf(ops);
  }

  /** How many signed ops the batch has (each pays the fee). */
  public int signedOps() {
    return (int) ops.stream().filter(op -> op.opCode().signed()).count();
  }
}
