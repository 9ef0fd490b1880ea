package io.zkrollup.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.RocksDbTreeStore;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zkrollup audit} on the data directory of a real node, stopped. */
class AuditCommandTest {

  @TempDir Path dir;

  private static CliRun audit(Path dataDir) {
    return CliRun.of("audit", "--data-dir", dataDir.toString());
  }

  /** Runs a node with 12 transfers until every sealed batch is built, and stops it. */
  private void runNode() throws InterruptedException {
    try (TestNode t = TestNode.start(dir, TestNode.Options.defaults())) {
      for (int k = 0; k < 12; k++) {
        int from = 1 + k % 4;
        t.stub()
            .submitTransaction(
                SubmitTransactionRequest.newBuilder().setTransaction(t.wallets.get(from).transfer(7, BigInteger.TWO, BigInteger.ONE, k / 4)).build());
      }
      t.await(s -> s.getJournalEntries() > 0 && s.getBuiltBatches() == s.getSealedBatches() && s.getSealedBatches() >= 10, Duration.ofSeconds(20));
    }
  }

  @Test
  void aStoppedNodeIsConsistentWithTheReplayOfItsJournal() throws Exception {
    runNode();
    CliRun r = audit(dir);
    assertThat(r.status()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("parameters      rollup 7, B=8, D=8, fee 1, operator 0")
        .containsPattern("journal         \\d+ entries, 12 transactions")
        .contains("public inputs, seal index and op count of each equal the replay's")
        .contains("every transaction's entry points at its journal entry")
        .contains("the stored accounts equal the replay's")
        .containsPattern("its root at version \\d+ equals the replay's")
        .contains("result          CONSISTENT");
  }

  @Test
  void aStateTreeThatDivergedIsReported() throws Exception {
    runNode();
    long version;
    try (RocksDbTreeStore store = RocksDbTreeStore.open(dir.resolve("tree"), 8)) {
      StateTree tree = new StateTree(store, new Poseidon2(), 4);
      version = tree.version();
      tree.revertTo(version - 1);
      tree.put(200, Fr.of(42));
      tree.commit();
      assertThat(tree.version()).isEqualTo(version);
    }
    CliRun r = audit(dir);
    assertThat(r.status()).as(r.out()).isEqualTo(1);
    assertThat(r.out()).contains("result          INCONSISTENT").contains("the tree's root at version " + version + " is");
  }

  @Test
  void aTreeAheadOfTheJournalIsReported() throws Exception {
    runNode();
    try (RocksDbTreeStore store = RocksDbTreeStore.open(dir.resolve("tree"), 8)) {
      StateTree tree = new StateTree(store, new Poseidon2(), 4);
      tree.put(200, Fr.of(42));
      tree.commit();
    }
    CliRun r = audit(dir);
    assertThat(r.status()).as(r.out()).isEqualTo(1);
    assertThat(r.out()).contains("one version ahead").containsPattern("the tree is at version \\d+ but only \\d+ batches are sealed");
  }

  @Test
  void aDirectoryWithoutANodeCannotBeAudited() {
    CliRun r = audit(dir.resolve("nothing"));
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("cannot audit").contains("holds no node database");
  }
}
