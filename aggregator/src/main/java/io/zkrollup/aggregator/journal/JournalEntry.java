package io.zkrollup.aggregator.journal;

import io.zkrollup.circuits.tx.PriorityOp;
import io.zkrollup.circuits.tx.VerifiedOp;
import java.util.Objects;

/**
 * One record of the journal, the node's durable order of everything it accepted. Replaying the
 * journal from the start through the sequencer reproduces every batch and every account.
 */
public sealed interface JournalEntry {

  /** An accepted signed transfer or withdrawal. */
  record Tx(VerifiedOp tx) implements JournalEntry {
    /** Checks for null. */
    public Tx {
      Objects.requireNonNull(tx, "tx");
    }
  }

  /**
   * A request from the L1 priority queue, as the node placed it: a deposit (or the node's genesis
   * deposit to the operator) or a forced withdrawal. Journaled whether the rules pay or refuse a
   * forced withdrawal: either way the batch consumes the request.
   */
  record Priority(PriorityOp op) implements JournalEntry {
    /** Checks for null. */
    public Priority {
      Objects.requireNonNull(op, "op");
    }
  }

  /** The sequencer closed batch {@code batchNumber}: every op since the previous seal is in it. */
  record Seal(long batchNumber) implements JournalEntry {
    /** Checks the range. */
    public Seal {
      if (batchNumber < 0) {
        throw new IllegalArgumentException("batch number must be ≥ 0, got " + batchNumber);
      }
    }
  }
}
