package io.zkrollup.aggregator.journal;

import io.zkrollup.circuits.tx.Deposit;
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

  /** A deposit from the L1 priority queue (or the node's genesis deposit to the operator). */
  record DepositOp(Deposit deposit) implements JournalEntry {
    /** Checks for null. */
    public DepositOp {
      Objects.requireNonNull(deposit, "deposit");
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
