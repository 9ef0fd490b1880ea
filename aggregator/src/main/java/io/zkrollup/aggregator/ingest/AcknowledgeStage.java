package io.zkrollup.aggregator.ingest;

import com.lmax.disruptor.EventHandler;
import io.zkrollup.aggregator.journal.JournalEntry;
import io.zkrollup.aggregator.ledger.RejectedException;
import io.zkrollup.aggregator.sequencer.SealedBatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers each event once its entries are durable, hands closed batches to the sealer, and clears
 * the slot for reuse.
 */
final class AcknowledgeStage implements EventHandler<IngestEvent> {

  private static final Logger LOG = Logger.getLogger(AcknowledgeStage.class.getName());

  private final SealedBatchSink sealer;

  AcknowledgeStage(SealedBatchSink sealer) {
    this.sealer = sealer;
  }

  @Override
  public void onEvent(IngestEvent event, long sequence, boolean endOfBatch) throws InterruptedException {
    try {
      answer(event);
      for (SealedBatch b : event.sealed) {
        sealer.accept(b);
      }
    } finally {
      event.clear();
    }
  }

  private static void answer(IngestEvent event) {
    try {
      switch (event.kind) {
        case SUBMISSION -> {
          if (event.rejection != null) {
            event.callback.rejected(event.rejection);
          } else {
            event.callback.accepted(event.txHashes(), event.txIndices());
          }
        }
        case PRIORITY -> {
          if (event.rejection != null) {
            event.priorityDone.completeExceptionally(new RejectedException(event.rejection));
          } else {
            event.priorityDone.complete(priorityIndex(event));
          }
        }
        case TICK, SEAL -> {}
      }
    } catch (RuntimeException e) {
      // A caller that went away must not stop the pipeline.
      LOG.log(Level.FINE, "answering a submission failed", e);
    }
  }

  private static long priorityIndex(IngestEvent event) {
    for (int i = 0; i < event.journalEntries.size(); i++) {
      if (event.journalEntries.get(i) instanceof JournalEntry.Priority) {
        return event.firstJournalIndex + i;
      }
    }
    throw new IllegalStateException("an accepted priority request without a journal entry");
  }
}
