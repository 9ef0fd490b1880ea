package io.zkrollup.circuits.tx;

/**
 * An operation a batch applies: a {@link PriorityOp} from L1 (a {@link Deposit} or a {@link
 * ForcedWithdrawal}, unsigned) or a signed {@link Transfer} or {@link Withdrawal}, either as a {@link
 * SignedOp} (not verified yet) or a {@link VerifiedOp} (its signature was verified). No-ops are not
 * listed; the batch builder pads with them.
 */
public sealed interface BatchOp permits PriorityOp, SignedOp, VerifiedOp {

  /** The op's code, which also says how many slots it spans. */
  OpCode opCode();
}
