package io.zkrollup.aggregator.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.fault.CrashPoint;
import io.zkrollup.aggregator.journal.Journal;
import io.zkrollup.aggregator.journal.JournalEntry;
import io.zkrollup.aggregator.ledger.RejectReason;
import io.zkrollup.aggregator.store.NodeDatabase;
import io.zkrollup.aggregator.store.NodeDatabase.WriteSet;
import io.zkrollup.aggregator.store.StorageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal stage on a real RocksDB journal whose disk fails once (review S11): events the
 * sequencer numbered before it heard of the failure reach the stage in a later Disruptor batch, and
 * the disk works again by then. Writing them would leave the failed batch's indices as a gap that
 * the journal refuses on restart, and acknowledge them; they must be refused, and nothing written.
 */
class JournalStageTest {

  @TempDir Path dir;

  private static IngestEvent sealEntryAt(long index) {
    IngestEvent e = new IngestEvent();
    e.seal();
    e.firstJournalIndex = index;
    e.journalEntries.add(new JournalEntry.Seal(index));
    return e;
  }

  @Test
  void afterAFailedWriteLaterEventsAreRefusedAndNothingIsJournaled() {
    try (NodeDatabase db = NodeDatabase.open(dir)) {
      Journal journal = new Journal(db);
      boolean[] diskFails = {false};
      Consumer<WriteSet> disk =
          w -> {
            if (diskFails[0]) {
              throw new StorageException("injected: no space left on device");
            }
            db.commit(w);
          };
      List<Throwable> failures = new ArrayList<>();
      try (JournalStage stage = new JournalStage(journal, disk, 0, 0, CrashPoint.NONE, failures::add)) {
        // A batch that is written: entries 0 and 1.
        IngestEvent e0 = sealEntryAt(0);
        IngestEvent e1 = sealEntryAt(1);
        stage.onEvent(e0, 0, false);
        stage.onEvent(e1, 1, true);
        assertThat(stage.durableEntries()).isEqualTo(2);

        // A batch whose write fails: entries 2 and 3 are lost, their events refused.
        diskFails[0] = true;
        IngestEvent e2 = sealEntryAt(2);
        IngestEvent e3 = sealEntryAt(3);
        stage.onEvent(e2, 2, false);
        stage.onEvent(e3, 3, true);
        assertThat(failures).hasSize(1);
        assertThat(List.of(e2, e3)).allSatisfy(e -> assertThat(e.rejection.reason()).isEqualTo(RejectReason.NODE_HALTED));

        // The sequencer had numbered entry 4 before the halt; the disk is back.
        diskFails[0] = false;
        IngestEvent e4 = sealEntryAt(4);
        stage.onEvent(e4, 4, true);
        assertThat(e4.rejection).as("an event after the lost entries is never acknowledged").isNotNull();
        assertThat(e4.rejection.reason()).isEqualTo(RejectReason.NODE_HALTED);
        assertThat(stage.durableEntries()).isEqualTo(2);
      }
      assertThat(journal.nextIndex()).as("nothing journaled after the failure").isEqualTo(2);
      List<Long> indices = new ArrayList<>();
      journal.forEach(0, (index, entry) -> indices.add(index));
      assertThat(indices).as("the journal reads back without a gap").containsExactly(0L, 1L);
    }
  }
}
