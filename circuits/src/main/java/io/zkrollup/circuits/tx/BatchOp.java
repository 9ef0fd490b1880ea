package io.zkrollup.circuits.tx;

/**
 * An operation a batch applies: a {@link Deposit} (unsigned) or a signed {@link Transfer} or {@link
 * Withdrawal}, either as a {@link SignedOp} (not verified yet) or a {@link VerifiedOp} (its signature
 * was verified). No-ops are not listed; the batch builder pads with them.
 */
public sealed interface BatchOp permits Deposit, SignedOp, VerifiedOp {

  /** The op's code, which also says how many slots it spans. */
  OpCode opCode();
}
