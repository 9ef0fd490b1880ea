package io.zkrollup.circuits.tx;

/**
 * A request from the L1 priority queue (docs/protocol.md, "Priority requests"): a {@link Deposit}
 * or a {@link ForcedWithdrawal}. Batches consume them in queue order, each in one priority op (op
 * code 2, five slots). None can be refused by the node: a forced withdrawal that cannot be honoured
 * is processed as refused, so no request blocks the queue.
 */
public sealed interface PriorityOp extends BatchOp permits Deposit, ForcedWithdrawal {

  /** The priority kind of the witness: 0 for a deposit, 1 for a forced withdrawal. */
  int kind();

  /** The index of the account it goes to. */
  long account();

  @Override
  default OpCode opCode() {
    return OpCode.PRIORITY;
  }
}
