package io.zkrollup.aggregator.sequencer;

import io.zkrollup.circuits.tx.BatchOp;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * A batch the sequencer closed: its number and ops in slot order, and where its seal is in the
 * journal. Building it (witness, tree update) is the batch sealer's work.
 *
 * @param number the batch number
 * @param ops the ops in slot order: deposits, and signed ops as the pipeline verified them ({@code
 *     VerifiedOp}); the rest of the slots are no-ops
 * @param sealIndex the journal index of the batch's seal entry
 * @param operator the header's operator: the operator's account of the batch's fee token (the
 *     token of its first signed op; ETH for a batch of priority ops only), credited with its fees
 * @param fee the header's fee: the fee token's, which every signed op of the batch paid
 */
public record SealedBatch(long number, List<BatchOp> ops, long sealIndex, long operator, BigInteger fee) {

  /** Copies the ops. */
  public SealedBatch {
    ops = List.copyOf(ops);
    Objects.requireNonNull(fee, "fee");
  }

  /** How many signed ops the batch has (each pays the fee). */
  public int signedOps() {
    return (int) ops.stream().filter(op -> op.opCode().signed()).count();
  }
}
