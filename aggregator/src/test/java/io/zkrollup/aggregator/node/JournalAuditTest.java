package io.zkrollup.aggregator.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.aggregator.batch.BatchStore;
import io.zkrollup.aggregator.batch.StoredBatch;
import io.zkrollup.aggregator.journal.Journal;
import io.zkrollup.aggregator.journal.JournalCodec;
import io.zkrollup.aggregator.journal.JournalEntry;
import io.zkrollup.aggregator.store.NodeDatabase;
import io.zkrollup.aggregator.store.StorageException;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.GetNodeStatusResponse;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.api.v1.SubmitTransactionResponse;
import io.zkrollup.api.v1.SubmitTransactionsRequest;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.circuits.tx.VerifiedOp;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.field.Fr;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JournalAudit against the stores of a real node (RocksDB, gRPC), stopped before each audit. */
class JournalAuditTest {

  @TempDir Path dir;

  /** B=8, D=8, fee 1, accounts 1..8; batches are only cut when full, so the tail stays open. */
  private static TestNode.Options options() {
    return TestNode.Options.defaults().withSealAfter(600_000);
  }

  /** What the running node says, read before it stops. */
  private record Seen(GetNodeStatusResponse status, Map<Long, AccountLeaf> pending, List<StoredBatch> stored) {}

  private static Seen look(TestNode t) {
    GetNodeStatusResponse s = t.status();
    Map<Long, AccountLeaf> pending = new HashMap<>();
    for (long i = 0; i < 1L << t.config.depth(); i++) {
      long index = i;
      t.node.pendingAccount(index).ifPresent(a -> pending.put(index, a));
    }
    List<StoredBatch> stored = new ArrayList<>();
    for (long n = 0; n < s.getBuiltBatches(); n++) {
      stored.add(t.node.batch(n).orElseThrow());
    }
    return new Seen(s, pending, stored);
  }

  /** Submits {@code count} transfers round-robin from accounts 1..8, one at a time; returns their hashes. */
  private static List<Fr> load(TestNode t, int count, long[] nonces) {
    List<Fr> hashes = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      int from = 1 + k % 8;
      int to = 1 + (k * 5 + 3) % 8;
      SubmitTransactionResponse r =
          t.stub()
              .submitTransaction(
                  SubmitTransactionRequest.newBuilder()
                      .setTransaction(t.wallets.get(from).transfer(to, BigInteger.valueOf(1 + k % 40), BigInteger.ONE, nonces[from]++))
                      .build());
      hashes.add(Fr.fromBytes(r.getTxHash().toByteArray()));
    }
    return hashes;
  }

  @Test
  void replayFromScratchReachesWhatTheNodeStored() throws Exception {
    List<Fr> hashes = new ArrayList<>();
    long[] nonces = new long[9];
    Seen seen;
    try (TestNode t = TestNode.start(dir, options())) {
      hashes.addAll(load(t, 22, nonces));
      // An atomic list of two, from account 2.
      var list =
          t.stub()
              .submitTransactions(
                  SubmitTransactionsRequest.newBuilder()
                      .addTransactions(t.wallets.get(2).transfer(5, BigInteger.TEN, BigInteger.ONE, nonces[2]++))
                      .addTransactions(t.wallets.get(2).transfer(6, BigInteger.TWO, BigInteger.ONE, nonces[2]++))
                      .build());
      list.getAcceptedList().forEach(a -> hashes.add(Fr.fromBytes(a.getTxHash().toByteArray())));
      // Genesis: 9 deposits of 5 slots, one batch each, the last one open; then 3 transfers fill it.
      // 24 transfers = 3 + 8 + 8 + 5: batches 0..10 sealed, 5 transfers in the open batch 11.
      t.await(s -> s.getSealedBatches() == 11 && s.getBuiltBatches() == 11, Duration.ofSeconds(20));
      seen = look(t);
    }

    JournalAudit.Result audit = JournalAudit.run(TestNode.configFor(dir, options()));

    GetNodeStatusResponse s = seen.status();
    assertThat(audit.journalEntries()).isEqualTo(s.getJournalEntries()).isEqualTo(9 + 24 + 11);
    assertThat(audit.sealedBatches()).isEqualTo(s.getSealedBatches()).isEqualTo(11);
    assertThat(audit.root().toBytes()).isEqualTo(s.getStateRoot().toByteArray());
    for (int n = 0; n < seen.stored().size(); n++) {
      StoredBatch stored = seen.stored().get(n);
      JournalAudit.AuditedBatch replayed = audit.batches().get(n);
      assertThat(replayed.publicInputs()).as("batch %d", n).isEqualTo(stored.publicInputs());
      assertThat(replayed.sealIndex()).as("batch %d", n).isEqualTo(stored.sealIndex());
      assertThat(replayed.ops()).as("batch %d", n).isEqualTo(stored.ops());
      assertThat(audit.rootAfter(n)).isEqualTo(stored.oldRoot());
    }
    assertThat(audit.batches().get(10).signedOps()).isEqualTo(8);
    assertThat(audit.ledger()).hasSize(9).isEqualTo(seen.pending());
    assertThat(audit.openOps()).hasSize(5).allMatch(op -> op instanceof SignedOp);
    try (NodeDatabase db = NodeDatabase.openReadOnly(dir.resolve("node"))) {
      assertThat(audit.sealedAccounts()).isEqualTo(new BatchStore(db).accounts());
    }
    // The operator received the fee of every signed op in a sealed batch: 8 + 8 + 3.
    assertThat(audit.ledger().get(0L).balance()).isEqualTo(BigInteger.valueOf(19));
    assertThat(audit.transactions()).isEqualTo(24);
    assertThat(hashes).hasSize(24).allMatch(h -> audit.occurrences(h) == 1);
    assertThat(audit.occurrences(Fr.of(12345))).isZero();
  }

  @Test
  void anEmptyNodeReplaysToItsGenesis() {
    TestNode.start(dir, options()).close();
    JournalAudit.Result audit = JournalAudit.run(TestNode.configFor(dir, options()));
    assertThat(audit.journalEntries()).isEqualTo(9 + 8); // 9 deposits, 8 seals
    assertThat(audit.sealedBatches()).isEqualTo(8);
    assertThat(audit.rootAfter(0)).isEqualTo(audit.emptyRoot()).isNotEqualTo(audit.root());
    assertThat(audit.openOps()).hasSize(1);
    assertThat(audit.transactions()).isZero();
    assertThat(audit.ledger()).hasSize(9);
    assertThat(audit.sealedAccounts()).hasSize(8).doesNotContainKey(8L);
  }

  @Test
  void refusesADirectoryMadeWithOtherParameters() {
    TestNode.start(dir, options()).close();
    NodeConfig otherFee = TestNode.configFor(dir, options().withFee(2));
    assertThatThrownBy(() -> JournalAudit.run(otherFee)).isInstanceOf(IllegalStateException.class).hasMessageContaining("belongs to a node with");
    assertThatThrownBy(() -> JournalAudit.run(TestNode.configFor(dir.resolve("nothing"), options())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("holds no node database");
  }

  @Test
  void readsTheParametersTheNodeRecorded() {
    TestNode.start(dir, options()).close();
    NodeConfig stored = JournalAudit.storedConfig(dir);
    NodeConfig started = TestNode.configFor(dir, options());
    assertThat(stored.fixedParameters()).isEqualTo(started.fixedParameters());
    assertThat(stored.sealerParams()).isEqualTo(started.sealerParams());
    assertThat(stored.operatorKeyHash()).isEqualTo(started.operatorKeyHash());
  }

  @Test
  void aDuplicatedTransactionDoesNotReplay() throws Exception {
    long[] nonces = new long[9];
    try (TestNode t = TestNode.start(dir, options())) {
      load(t, 4, nonces);
    }
    // Copy the first transaction over the last one: the same hash twice in the journal.
    try (NodeDatabase db = NodeDatabase.open(dir.resolve("node"))) {
      TreeMap<Long, byte[]> txs = entries(db, JournalEntry.Tx.class);
      db.put(NodeDatabase.Table.JOURNAL, NodeDatabase.key(txs.lastKey()), txs.firstEntry().getValue());
    }
    assertThatThrownBy(() -> JournalAudit.run(TestNode.configFor(dir, options())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no longer applies");
  }

  /**
   * The node's sealer trusts the signatures the pipeline verified before journaling; the audit
   * checks them again. A journaled transfer given another transfer's signature replays in the
   * ledger (nonce, key hash and balance are fine) but its batch does not build in the audit.
   */
  @Test
  void aJournaledSignatureThatDoesNotVerifyFailsTheAudit() throws Exception {
    long[] nonces = new long[9];
    try (TestNode t = TestNode.start(dir, options())) {
      load(t, 4, nonces);
      // The first three transfers fill the batch that genesis left open: it is sealed.
      t.await(s -> s.getBuiltBatches() == 9, Duration.ofSeconds(20));
    }
    JournalAudit.run(TestNode.configFor(dir, options())); // consistent as written
    try (NodeDatabase db = NodeDatabase.open(dir.resolve("node"))) {
      TreeMap<Long, byte[]> txs = entries(db, JournalEntry.Tx.class);
      VerifiedOp first = ((JournalEntry.Tx) JournalCodec.decode(txs.firstEntry().getValue())).tx();
      VerifiedOp second = ((JournalEntry.Tx) JournalCodec.decode(txs.higherEntry(txs.firstKey()).getValue())).tx();
      SignedOp forged = new SignedOp(first.signed().op(), first.signed().publicKey(), second.signed().signature());
      byte[] entry = JournalCodec.encode(new JournalEntry.Tx(VerifiedOp.fromRecord(forged, first.txHash(), first.keyHash())));
      db.put(NodeDatabase.Table.JOURNAL, NodeDatabase.key(txs.firstKey()), entry);
    }
    assertThatThrownBy(() -> JournalAudit.run(TestNode.configFor(dir, options())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("batch 8")
        .hasMessageContaining("does not build")
        .hasMessageContaining("signature is not valid");
  }

  @Test
  void aHoleInTheJournalIsFound() throws Exception {
    long[] nonces = new long[9];
    try (TestNode t = TestNode.start(dir, options())) {
      load(t, 4, nonces);
    }
    long hole;
    try (NodeDatabase db = NodeDatabase.open(dir.resolve("node"))) {
      hole = entries(db, JournalEntry.Tx.class).firstKey();
      db.delete(NodeDatabase.Table.JOURNAL, NodeDatabase.key(hole));
    }
    assertThatThrownBy(() -> JournalAudit.run(TestNode.configFor(dir, options())))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("journal entry " + hole + " is missing");
  }

  @Test
  void leavesTheNodeDatabaseAsItFoundIt() throws Exception {
    long[] nonces = new long[9];
    try (TestNode t = TestNode.start(dir, options())) {
      load(t, 5, nonces);
    }
    Map<String, Long> before = files(dir);
    JournalAudit.run(TestNode.configFor(dir, options()));
    JournalAudit.storedConfig(dir);
    assertThat(files(dir)).isEqualTo(before);
  }

  private static TreeMap<Long, byte[]> entries(NodeDatabase db, Class<? extends JournalEntry> kind) {
    TreeMap<Long, byte[]> out = new TreeMap<>();
    Journal journal = new Journal(db);
    db.scan(NodeDatabase.Table.JOURNAL, null, (key, value) -> {
      if (kind.isInstance(JournalCodec.decode(value))) {
        out.put(NodeDatabase.keyValue(key), value);
      }
      return true;
    });
    assertThat(journal.nextIndex()).isPositive();
    return out;
  }

  /** Every file under {@code root} with its size and modification time. */
  private static Map<String, Long> files(Path root) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
        out.put(root.relativize(p) + " size", Files.size(p));
        out.put(root.relativize(p) + " mtime", Files.getLastModifiedTime(p).toMillis());
      }
    }
    return out;
  }
}
