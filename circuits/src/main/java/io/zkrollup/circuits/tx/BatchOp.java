package io.zkrollup.circuits.tx;

/**
 * An operation a batch applies: a {@link Deposit} (unsigned) or a {@link SignedOp} (a signed
 * {@link Transfer} or {@link Withdrawal}). No-ops are not listed; the batch builder pads with them.
 */
public sealed interface BatchOp permits Deposit, SignedOp {

  /** The op's code, which also says how many slots it spans. */
  OpCode opCode();
}
