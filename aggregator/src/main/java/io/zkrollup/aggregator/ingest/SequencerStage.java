package io.zkrollup.aggregator.ingest;

import com.lmax.disruptor.EventHandler;
import io.zkrollup.aggregator.journal.JournalEntry;
import io.zkrollup.aggregator.ledger.RejectReason;
import io.zkrollup.aggregator.ledger.Rejection;
import io.zkrollup.aggregator.ledger.RejectedException;
import io.zkrollup.aggregator.sequencer.SealedBatch;
import io.zkrollup.aggregator.sequencer.Sequencer;
import java.util.function.BooleanSupplier;

/** Runs the {@link Sequencer} on each event, in ring order, and records its decisions on the event. */
final class SequencerStage implements EventHandler<IngestEvent>, Sequencer.Output {

  private final Sequencer sequencer;
  private final BooleanSupplier halted;
  private IngestEvent current;

  SequencerStage(Sequencer sequencer, BooleanSupplier halted) {
    this.sequencer = sequencer;
    this.halted = halted;
  }

  @Override
  public void onEvent(IngestEvent event, long sequence, boolean endOfBatch) {
    if (halted.getAsBoolean()) {
      if (event.rejection == null) {
        event.rejection = new Rejection(RejectReason.NODE_HALTED, 0, "the node has stopped accepting transactions");
      }
      return;
    }
    if (event.rejection != null) {
      return;
    }
    current = event;
    long now = System.nanoTime();
    switch (event.kind) {
      case SUBMISSION -> event.rejection = sequencer.accept(event.verified, now, this);
      case PRIORITY -> {
        try {
          sequencer.priority(event.priority, now, this);
        } catch (RejectedException e) {
          event.rejection = e.rejection();
        }
      }
      case TICK -> sequencer.tick(now, this);
      case SEAL -> sequencer.flush(this);
    }
    current = null;
  }

  @Override
  public void journal(long index, JournalEntry entry) {
    if (current.firstJournalIndex < 0) {
      current.firstJournalIndex = index;
    }
    current.journalEntries.add(entry);
  }

  @Override
  public void sealed(SealedBatch batch) {
    current.sealed.add(batch);
  }
}
