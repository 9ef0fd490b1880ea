package io.zkrollup.aggregator.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.fault.CrashPoint;
import io.zkrollup.aggregator.ledger.FeeSchedule;
import io.zkrollup.aggregator.journal.Journal;
import io.zkrollup.aggregator.journal.JournalEntry;
import io.zkrollup.aggregator.ledger.Ledger;
import io.zkrollup.aggregator.ledger.RejectReason;
import io.zkrollup.aggregator.ledger.Rejection;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.sequencer.SealedBatch;
import io.zkrollup.aggregator.sequencer.Sequencer;
import io.zkrollup.aggregator.store.NodeDatabase;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.ForcedWithdrawal;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.PriorityOp;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ring itself, on a real journal: a stuck consumer (here the sealer, which the test holds up)
 * fills the ring and producers are refused with BUSY at once instead of waiting; once the consumer
 * moves, every held submission is answered and journaled in order.
 */
class IngestionPipelineTest {

  static final Poseidon2 P = new Poseidon2();
  static final long ROLLUP = 3;

  @TempDir Path dir;

  /** Records the one answer each submission gets. */
  static final class Answer implements SubmissionCallback {
    final CountDownLatch done = new CountDownLatch(1);
    volatile long index = -1;
    volatile Rejection rejection;

    @Override
    public void accepted(Fr[] txHashes, long[] journalIndices) {
      index = journalIndices[0];
      done.countDown();
    }

    @Override
    public void rejected(Rejection r) {
      rejection = r;
      done.countDown();
    }
  }

  @Test
  void aFullRingRefusesWithBusyAndDrainsWhenTheSealerMoves() throws Exception {
    EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(new byte[32]);
    Fr keyHash = GenesisFile.keyHash(P, key.publicKey());
    try (NodeDatabase db = NodeDatabase.open(dir)) {
      Journal journal = new Journal(db);
      Ledger ledger = new Ledger(8, FeeSchedule.ethOnly(BigInteger.ZERO), 0, java.util.Map.of());
      Sequencer sequencer = new Sequencer(ledger, 5, TimeUnit.HOURS.toNanos(1), 0, 0);
      CountDownLatch release = new CountDownLatch(1);
      ConcurrentLinkedQueue<SealedBatch> sealed = new ConcurrentLinkedQueue<>();
      SealedBatchSink stuckSealer =
          b -> {
            release.await();
            sealed.add(b);
          };
      List<Throwable> failures = new ArrayList<>();
      IngestionPipeline pipeline =
          new IngestionPipeline(new IngestionPipeline.Settings(8, 1, ROLLUP, 1000), P, sequencer, journal, stuckSealer, CrashPoint.NONE, failures::add);
      pipeline.start();
      // Account 1 with funds; the deposit fills batch 0 (5 slots), whose hand-off then blocks.
      pipeline.priority(new Deposit(0, keyHash, TestNode.OWNER, BigInteger.ZERO));
      pipeline.priority(new Deposit(1, keyHash, TestNode.OWNER, BigInteger.valueOf(1_000)));

      List<Answer> held = new ArrayList<>();
      Answer busy = null;
      for (long nonce = 0; nonce < 100 && busy == null; nonce++) {
        SignedOp op = new Transfer(1, 0, 1, 0, nonce).sign(key, P, ROLLUP);
        Answer a = new Answer();
        pipeline.submit(List.of(op), a);
        if (a.done.getCount() == 0 && a.rejection != null && a.rejection.reason() == RejectReason.BUSY) {
          busy = a;
        } else {
          held.add(a);
        }
      }
      assertThat(busy).as("a full ring answers BUSY at once").isNotNull();
      assertThat(busy.rejection.message()).contains("queue is full");
      assertThat(held).isNotEmpty().allSatisfy(a -> assertThat(a.done.getCount()).isEqualTo(1));

      release.countDown();
      for (Answer a : held) {
        assertThat(a.done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(a.rejection).isNull();
      }
      for (int i = 1; i < held.size(); i++) {
        assertThat(held.get(i).index).isGreaterThan(held.get(i - 1).index);
      }
      pipeline.close();
      assertThat(failures).isEmpty();
      // Everything answered as accepted is in the journal, in order.
      List<JournalEntry> entries = new ArrayList<>();
      journal.forEach(0, (i, e) -> entries.add(e));
      assertThat(entries).hasSize((int) journal.nextIndex());
      assertThat(entries.stream().filter(e -> e instanceof JournalEntry.Tx).count()).isEqualTo(held.size());
      assertThat(sealed).isNotEmpty();
    }
  }

  @Test
  void aHaltedPipelineRefusesWithNodeHalted() throws Exception {
    EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(new byte[32]);
    try (NodeDatabase db = NodeDatabase.open(dir)) {
      Journal journal = new Journal(db);
      Sequencer sequencer = new Sequencer(new Ledger(8, FeeSchedule.ethOnly(BigInteger.ZERO), 0, java.util.Map.of()), 5, TimeUnit.HOURS.toNanos(1), 0, 0);
      List<Throwable> failures = new ArrayList<>();
      IngestionPipeline pipeline = new IngestionPipeline(new IngestionPipeline.Settings(8, 1, ROLLUP, 1000), P, sequencer, journal, b -> {}, CrashPoint.NONE, failures::add);
      pipeline.start();
      pipeline.halt(new IllegalStateException("the sealer failed"));
      Answer a = new Answer();
      pipeline.submit(List.of(new Transfer(1, 0, 1, 0, 0).sign(key, P, ROLLUP)), a);
      assertThat(a.done.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(a.rejection.reason()).isEqualTo(RejectReason.NODE_HALTED);
      assertThat(failures).hasSize(1);
      assertThat(journal.nextIndex()).isZero();
      pipeline.close();
    }
  }

  @Test
  void forcedWithdrawalsAreJournaledPaidOrRefusedAndSealNowClosesTheOpenBatch() throws Exception {
    EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(new byte[32]);
    Fr keyHash = GenesisFile.keyHash(P, key.publicKey());
    L1Address stranger = L1Address.fromHex("0x00000000000000000000000000000000000bad00");
    try (NodeDatabase db = NodeDatabase.open(dir)) {
      Journal journal = new Journal(db);
      Ledger ledger = new Ledger(8, FeeSchedule.ethOnly(BigInteger.ZERO), 0, java.util.Map.of());
      // B = 10 and a timer of an hour: only a full batch or sealNow() closes one.
      Sequencer sequencer = new Sequencer(ledger, 10, TimeUnit.HOURS.toNanos(1), 0, 0);
      BlockingQueue<SealedBatch> sealed = new LinkedBlockingQueue<>();
      List<Throwable> failures = new ArrayList<>();
      IngestionPipeline pipeline = new IngestionPipeline(new IngestionPipeline.Settings(8, 1, ROLLUP, 1000), P, sequencer, journal, sealed::add, CrashPoint.NONE, failures::add);
      pipeline.start();
      pipeline.priority(new Deposit(0, keyHash, TestNode.OWNER, BigInteger.ZERO));
      pipeline.priority(new Deposit(1, keyHash, TestNode.OWNER, BigInteger.valueOf(1_000))).get(10, TimeUnit.SECONDS);
      assertThat(sealed.poll(10, TimeUnit.SECONDS)).as("two deposits fill B = 10").isNotNull();

      List<ForcedWithdrawal> requests =
          List.of(
              new ForcedWithdrawal(1, stranger, BigInteger.ONE), // not the owner: refused
              new ForcedWithdrawal(1, TestNode.OWNER, BigInteger.valueOf(1_001)), // more than the balance: refused
              new ForcedWithdrawal(1, TestNode.OWNER, BigInteger.valueOf(400))); // paid
      for (ForcedWithdrawal f : requests) {
        pipeline.priority(f).get(10, TimeUnit.SECONDS);
        if (sequencer.openOps() == 0) {
          assertThat(sealed.poll(10, TimeUnit.SECONDS)).isNotNull();
        }
      }
      assertThat(ledger.account(1).orElseThrow().balance()).as("only the owner's request within the balance is paid").isEqualTo(BigInteger.valueOf(600));
      assertThat(sequencer.openOps()).as("the third request waits in the open batch").isEqualTo(1);
      assertThat(sealed.poll(300, TimeUnit.MILLISECONDS)).as("nothing seals by itself within the hour").isNull();
      pipeline.sealNow();
      SealedBatch last = sealed.poll(10, TimeUnit.SECONDS);
      assertThat(last).isNotNull();
      assertThat(last.ops()).containsExactly(requests.get(2));
      pipeline.close();
      assertThat(failures).isEmpty();

      // The journal holds every request as fed (paid or refused), and replays to the same ledger.
      List<PriorityOp> journaled = new ArrayList<>();
      journal.forEach(0, (i, e) -> {
        if (e instanceof JournalEntry.Priority p && p.op() instanceof ForcedWithdrawal) {
          journaled.add(p.op());
        }
      });
      assertThat(journaled).containsExactlyElementsOf(requests);
      Ledger replayed = new Ledger(8, FeeSchedule.ethOnly(BigInteger.ZERO), 0, java.util.Map.of());
      Sequencer again = new Sequencer(replayed, 10, TimeUnit.HOURS.toNanos(1), 0, 0);
      Sequencer.Output ignore = new Sequencer.Output() {
        @Override
        public void journal(long index, JournalEntry entry) {}

        @Override
        public void sealed(SealedBatch batch) {}
      };
      journal.forEach(0, (i, e) -> again.replay(i, e, ignore));
      assertThat(replayed.snapshot()).isEqualTo(ledger.snapshot());
    }
  }
}
