package io.zkrollup.aggregator.sequencer;

import io.zkrollup.aggregator.journal.JournalEntry;
import io.zkrollup.aggregator.ledger.Ledger;
import io.zkrollup.aggregator.ledger.Rejection;
import io.zkrollup.circuits.tx.BatchOp;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.ForcedWithdrawal;
import io.zkrollup.circuits.tx.PriorityOp;
import io.zkrollup.circuits.tx.VerifiedOp;
import io.zkrollup.statetree.AccountLeaf;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Orders accepted ops and cuts them into batches: checks each op against the {@link Ledger},
 * gives it the next journal index, and closes the open batch when the next op does not fit, when it
 * is full, when it has been open for the configured time, or when the next op is a signed op of
 * another token than the batch's fee token (docs/protocol.md, "The node (v3)": one fee token per
 * batch, the token of its first signed op, so that every signed op pays its own token's fee). Every decision becomes a journal entry,
 * so that {@link #replay} of the journal reaches the same ledger and the same batches.
 *
 * <p>Single-threaded: the ingestion pipeline's sequencer stage, or recovery before it starts.
 */
public final class Sequencer {

  /** Where the sequencer's decisions go. */
  public interface Output {
    /** Journal {@code entry} at {@code index} (indices come in order, without gaps). */
    void journal(long index, JournalEntry entry);

    /** {@code batch} is closed; it may be built once its seal entry is durable. */
    void sealed(SealedBatch batch);
  }

  private final Ledger ledger;
  private final int slots;
  private final long sealAfterNanos;
  private long nextIndex;
  private long openNumber;
  private final List<BatchOp> open = new ArrayList<>();
  private int usedSlots;
  private int signedOps;
  /** The open batch's fee token: its first signed op's token, or {@link #NO_FEE_TOKEN} before one. */
  private long feeToken = NO_FEE_TOKEN;
  private long openedAt;

  private static final long NO_FEE_TOKEN = -1;

  /**
   * @param ledger the accounts as of journal index {@code nextIndex}
   * @param slots B, the slots of a batch
   * @param sealAfterNanos how long a batch with ops stays open before it is sealed with padding
   * @param nextIndex the next journal index
   * @param nextBatch the number the next batch gets
   */
  public Sequencer(Ledger ledger, int slots, long sealAfterNanos, long nextIndex, long nextBatch) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    if (slots < 5) {
      throw new IllegalArgumentException("a batch needs at least 5 slots (a deposit spans 5), got " + slots);
    }
    this.slots = slots;
    this.sealAfterNanos = sealAfterNanos;
    this.nextIndex = nextIndex;
    this.openNumber = nextBatch;
  }

  /** The ledger. */
  public Ledger ledger() {
    return ledger;
  }

  /** The next journal index. */
  public long nextIndex() {
    return nextIndex;
  }

  /** The number of the open batch (batches below it are sealed). */
  public long openBatch() {
    return openNumber;
  }

  /** How many ops the open batch has. */
  public int openOps() {
    return open.size();
  }

  /** After recovery: the open batch's timer starts now. */
  public void resume(long nowNanos) {
    openedAt = nowNanos;
  }

  /**
   * Accepts {@code txs} in order, all or none.
   *
   * @return null if they were accepted and journaled through {@code out}, else the first rejection
   *     (and nothing changed)
   */
  public Rejection accept(List<VerifiedOp> txs, long nowNanos, Output out) {
    Rejection r = ledger.admit(txs);
    if (r != null) {
      return r;
    }
    for (VerifiedOp tx : txs) {
      // One fee token per batch: the ledger charged this op its token's fee, so its batch must be of that token.
      if (feeToken != NO_FEE_TOKEN && feeToken != tx.signed().op().token()) {
        seal(out);
      }
      // The batch carries the verified op: the sealer's builder trusts its signature (BatchBuilder.Signatures).
      place(tx, new JournalEntry.Tx(tx), nowNanos, out);
    }
    return null;
  }

  /**
   * Accepts a request from the L1 priority queue: a deposit, or a forced withdrawal, which the
   * ledger pays or refuses (both are processed: the batch consumes the request either way).
   *
   * @throws io.zkrollup.aggregator.ledger.RejectedException if the ledger refuses it (nothing
   *     changed): a deposit to another account's index, or an index outside the tree
   */
  public void priority(PriorityOp op, long nowNanos, Output out) {
    applyToLedger(op);
    place(op, new JournalEntry.Priority(op), nowNanos, out);
  }

  private void applyToLedger(PriorityOp op) {
    if (op instanceof Deposit d) {
      ledger.deposit(d);
    } else {
      ledger.forcedWithdrawal((ForcedWithdrawal) op);
    }
  }

  /** Seals the open batch if it has ops and has been open for the configured time. */
  public void tick(long nowNanos, Output out) {
    if (!open.isEmpty() && nowNanos - openedAt >= sealAfterNanos) {
      seal(out);
    }
  }

  /** Seals the open batch now if it has ops (an operator's flush, or shutdown). */
  public void flush(Output out) {
    if (!open.isEmpty()) {
      seal(out);
    }
  }

  private void place(BatchOp op, JournalEntry entry, long nowNanos, Output out) {
    int span = op.opCode().chunks();
    if (usedSlots + span > slots) {
      seal(out);
    }
    if (open.isEmpty()) {
      openedAt = nowNanos;
    }
    out.journal(nextIndex++, entry);
    add(op);
    if (usedSlots == slots) {
      seal(out);
    }
  }

  private void add(BatchOp op) {
    open.add(op);
    usedSlots += op.opCode().chunks();
    if (op.opCode().signed()) {
      if (signedOps++ == 0) {
        feeToken = ((VerifiedOp) op).signed().op().token();
      }
    }
  }

  private void seal(Output out) {
    long sealIndex = nextIndex++;
    out.journal(sealIndex, new JournalEntry.Seal(openNumber));
    close(sealIndex, out);
  }

  private void close(long sealIndex, Output out) {
    // A batch of priority ops only has ETH as its fee token (and pays the operator nothing).
    long token = feeToken == NO_FEE_TOKEN ? AccountLeaf.ETH : feeToken;
    long operator = ledger.creditOperator(token, signedOps);
    out.sealed(new SealedBatch(openNumber, open, sealIndex, operator, ledger.fees().of(token)));
    openNumber++;
    open.clear();
    usedSlots = 0;
    signedOps = 0;
    feeToken = NO_FEE_TOKEN;
  }

  /**
   * Re-applies a journal entry during recovery: the same ledger changes and batch cuts as when it
   * was first accepted, without journaling it again.
   *
   * @throws IllegalStateException if the entry contradicts the ledger or the order (a damaged
   *     journal, or a journal from another configuration)
   */
  public void replay(long index, JournalEntry entry, Output out) {
    if (index != nextIndex) {
      throw new IllegalStateException("journal entry " + index + " replayed where " + nextIndex + " was expected");
    }
    if (entry instanceof JournalEntry.Seal s) {
      if (s.batchNumber() != openNumber) {
        throw new IllegalStateException("journal entry " + index + " seals batch " + s.batchNumber() + " but batch " + openNumber + " is open");
      }
      nextIndex++;
      close(index, out);
      return;
    }
    BatchOp op;
    if (entry instanceof JournalEntry.Tx t) {
      long token = t.tx().signed().op().token();
      if (feeToken != NO_FEE_TOKEN && feeToken != token) {
        throw new IllegalStateException(
            "journal entry " + index + " is an op of token " + token + " in batch " + openNumber + " of fee token " + feeToken + " (a batch has one fee token)");
      }
      Rejection r = ledger.admit(List.of(t.tx()));
      if (r != null) {
        throw new IllegalStateException("journal entry " + index + " no longer applies: " + r.message());
      }
      op = t.tx();
    } else {
      PriorityOp p = ((JournalEntry.Priority) entry).op();
      applyToLedger(p);
      op = p;
    }
    if (usedSlots + op.opCode().chunks() > slots) {
      throw new IllegalStateException("journal entry " + index + " does not fit batch " + openNumber + " of " + slots + " slots");
    }
    nextIndex++;
    add(op);
  }
}
