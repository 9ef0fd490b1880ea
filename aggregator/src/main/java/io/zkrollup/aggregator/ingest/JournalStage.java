package io.zkrollup.aggregator.ingest;

import com.lmax.disruptor.EventHandler;
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
 */
final class JournalStage implements EventHandler<IngestEvent>, AutoCloseable {

  private final Journal journal;
  private final Consumer<Throwable> onFailure;
  private final WriteSet writeSet;
  private final List<IngestEvent> inBatch = new ArrayList<>();
  private volatile long durableEntries;
  private volatile long sealedBatches;

  JournalStage(Journal journal, long durableEntries, long sealedBatches, Consumer<Throwable> onFailure) {
    this.journal = journal;
    this.writeSet = journal.writeSet();
    this.durableEntries = durableEntries;
    this.sealedBatches = sealedBatches;
    this.onFailure = onFailure;
  }

  @Override
  public void onEvent(IngestEvent event, long sequence, boolean endOfBatch) {
    if (event.rejection == null && !event.journalEntries.isEmpty()) {
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
      journal.commit(writeSet);
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
      for (IngestEvent ev : inBatch) {
        ev.rejection = new Rejection(RejectReason.NODE_HALTED, 0, "the journal write failed; the node stopped: " + e.getMessage());
        ev.sealed.clear();
      }
      onFailure.accept(e);
    } finally {
      writeSet.clear();
      inBatch.clear();
    }
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
