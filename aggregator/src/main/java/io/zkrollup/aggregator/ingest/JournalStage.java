package io.zkrollup.aggregator.ingest;

import com.lmax.disruptor.EventHandler;
import io.zkrollup.aggregator.fault.CrashPoint;
import io.zkrollup.aggregator.journal.Journal;
import io.zkrollup.aggregator.ledger.RejectReason;
import io.zkrollup.aggregator.ledger.Rejection;
import io.zkrollup.aggregator.store.NodeDatabase.WriteSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Journals the sequencer's decisions with group commit: the entries of every event of one
 * Disruptor batch go into one RocksDB write batch, written with fsync at the end of the batch.
 * Only then does the ring let the acknowledging stage see these events.
 *
 * <p>After one failed write this stage writes nothing more: the sequencer may already have given
 * later events journal indices after the lost ones, and journaling them would leave a gap that the
 * journal refuses on restart (review S11). They are refused as {@code NODE_HALTED}, never acknowledged.
 */
final class JournalStage implements EventHandler<IngestEvent>, AutoCloseable {

  private final Journal journal;
  private final Consumer<WriteSet> commit;
  private final Consumer<Throwable> onFailure;
  private final CrashPoint crashPoint;
  private final WriteSet writeSet;
  private final List<IngestEvent> inBatch = new ArrayList<>();
  private volatile long durableEntries;
  private volatile long sealedBatches;
  private RuntimeException failed;

  JournalStage(Journal journal, long durableEntries, long sealedBatches, CrashPoint crashPoint, Consumer<Throwable> onFailure) {
    this(journal, journal::commit, durableEntries, sealedBatches, crashPoint, onFailure);
  }

  /** With {@code commit} in place of the journal's (a test's failing disk). */
  JournalStage(Journal journal, Consumer<WriteSet> commit, long durableEntries, long sealedBatches, CrashPoint crashPoint, Consumer<Throwable> onFailure) {
    this.journal = journal;
    this.commit = commit;
    this.crashPoint = crashPoint;
    this.writeSet = journal.writeSet();
    this.durableEntries = durableEntries;
    this.sealedBatches = sealedBatches;
    this.onFailure = onFailure;
  }

  @Override
  public void onEvent(IngestEvent event, long sequence, boolean endOfBatch) {
    if (failed != null) {
      if (event.rejection == null) {
        halted(event, failed);
      }
      return;
    }
    if (event.rejection == null && !event.journalEntries.isEmpty()) {
      if (event.kind == IngestEvent.Kind.PRIORITY) {
        crashPoint.reach(CrashPoint.DEPOSIT_FED);
      }
      inBatch.add(event);
      for (int i = 0; i < event.journalEntries.size(); i++) {
        journal.add(writeSet, event.firstJournalIndex + i, event.journalEntries.get(i));
      }
    }
    if (endOfBatch && !inBatch.isEmpty()) {
      commit();
    }
  }

  private void commit() {
    try {
      commit.accept(writeSet);
      IngestEvent last = inBatch.get(inBatch.size() - 1);
      long sealed = sealedBatches;
      for (IngestEvent e : inBatch) {
        if (!e.sealed.isEmpty()) {
          sealed = e.sealed.get(e.sealed.size() - 1).number() + 1;
        }
      }
      sealedBatches = sealed;
      durableEntries = last.firstJournalIndex + last.journalEntries.size();
    } catch (RuntimeException e) {
      failed = e;
      for (IngestEvent ev : inBatch) {
        halted(ev, e);
      }
      onFailure.accept(e);
    } finally {
      writeSet.clear();
      inBatch.clear();
    }
  }

  private static void halted(IngestEvent event, RuntimeException cause) {
    event.rejection = new Rejection(RejectReason.NODE_HALTED, 0, "the journal write failed; the node stopped: " + cause.getMessage());
    event.sealed.clear();
  }

  /** Entries durably journaled: the next journal index. */
  long durableEntries() {
    return durableEntries;
  }

  /** Batches whose seal is durably journaled. */
  long sealedBatches() {
    return sealedBatches;
  }

  @Override
  public void close() {
    writeSet.close();
  }
}
