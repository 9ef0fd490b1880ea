package io.zkrollup.aggregator.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.aggregator.store.NodeDatabase;
import io.zkrollup.circuits.batch.BatchBuilder;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.batch.PublicInputs;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.Owner;
import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.RocksDbTreeStore;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sealer's pin following L1 ({@link BatchSealer#followL1}) and going back ({@link
 * BatchSealer#goBack}) on a real state tree and batch store (RocksDB both), without building: the
 * tree's versions and the stored batches are written directly, as a data directory of an earlier
 * node version left them (every version pinned, no record of what L1 verified).
 */
class BatchSealerFollowsL1Test {

  private static final Poseidon2 POSEIDON2 = new Poseidon2();
  private static final int DEPTH = 4;

  @TempDir Path dir;
  private NodeDatabase db;
  private RocksDbTreeStore treeStore;
  private StateTree tree;
  private BatchStore store;

  @BeforeEach
  void open() {
    db = NodeDatabase.open(dir.resolve("node"));
    treeStore = RocksDbTreeStore.open(dir.resolve("tree"), DEPTH);
    tree = new StateTree(treeStore, POSEIDON2, 4);
    store = new BatchStore(db);
  }

  @AfterEach
  void close() {
    treeStore.close();
    db.close();
  }

  private static AccountLeaf account(long balance) {
    return new AccountLeaf(Fr.of(5), Owner.ZERO, BigInteger.valueOf(balance), 0);
  }

  /** Three versions, each changing account 1's balance to 10 × its number, each pinned; the store the same. */
  private static Fr[] buildThree(StateTree tree, BatchStore store) {
    Fr[] roots = new Fr[4];
    roots[0] = tree.committedRoot();
    for (int n = 0; n < 3; n++) {
      AccountLeaf after = account(10L * (n + 1));
      tree.put(1, after.hash(POSEIDON2));
      tree.commit();
      tree.pin(tree.version());
      roots[n + 1] = tree.committedRoot();
      Map<Long, AccountLeaf> before = n == 0 ? Map.of() : Map.of(1L, account(10L * n));
      store.storeBuilt(new StoredBatch(n, n, 1, new PublicInputs(roots[n], roots[n + 1], n, Fr.of(0)), new byte[0], new byte[0]), Map.of(1L, after), before, 0);
    }
    return roots;
  }

  private BatchSealer sealer(StateTree tree, BatchStore store, BatchSealer.Pinning pinning) {
    return new BatchSealer(tree, new BatchBuilder(POSEIDON2, DataAvailability.ROLLUP, BatchBuilder.Signatures.TRUST_VERIFIED), store, new BatchEvents(), new BatchSealer.Params(1, 5), pinning, 4,
        e -> {});
  }

  @Test
  void thePinFollowsL1AndGoingBackRestoresTheRootAndTheAccounts() {
    Fr[] roots = buildThree(tree, store);
    BatchSealer sealer = sealer(tree, store, BatchSealer.Pinning.L1_VERIFIED);
    assertThat(sealer.pinnedVersion()).as("an earlier node pinned every version").isEqualTo(3);
    assertThat(sealer.l1Verified()).isZero();

    // L1 below the old pin is no reorganisation while nothing was recorded: the pin comes down.
    assertThat(sealer.followL1(1, roots[1])).isEmpty();
    assertThat(tree.pinnedVersion()).isEqualTo(1);
    assertThat(sealer.l1Verified()).isEqualTo(1);
    assertThat(sealer.followL1(2, roots[2])).isEmpty();
    assertThat(tree.pinnedVersion()).isEqualTo(2);
    assertThat(store.l1Verified()).as("recorded").isEqualTo(2);
    assertThat(sealer.followL1(4, Fr.of(1))).as("L1 ahead of the built batches moves nothing").isEmpty();
    assertThat(tree.pinnedVersion()).isEqualTo(2);

    assertThat(sealer.followL1(3, Fr.of(1))).get().asString().contains("L1's root after 3 batches is", "the node built " + roots[3]);
    assertThat(sealer.followL1(1, roots[1])).get().asString().contains("L1 now holds 1 verified batches, fewer than the 2");

    assertThat(sealer.goBack(OptionalLong.of(1), "L1 reorganised")).as("L1's count, which the tree still has").isEqualTo(1);
    assertThat(tree.version()).isEqualTo(1);
    assertThat(tree.committedRoot()).isEqualTo(roots[1]);
    assertThat(tree.pinnedVersion()).isEqualTo(1);
    assertThat(sealer.view(1).account()).contains(account(10));
    assertThat(store.builtCount()).isEqualTo(1);
    assertThat(store.accounts()).isEqualTo(Map.of(1L, account(10)));
    assertThat(store.wentBack()).contains("L1 reorganised");
    assertThat(sealer.followL1(0, roots[0])).as("after going back the node has stopped").isEmpty();
  }

  @Test
  void withoutL1CountsGoingBackIsToThePin() {
    Fr[] roots = buildThree(tree, store);
    BatchSealer sealer = sealer(tree, store, BatchSealer.Pinning.L1_VERIFIED);
    assertThat(sealer.followL1(2, roots[2])).isEmpty();
    assertThat(sealer.goBack(OptionalLong.empty(), "why")).isEqualTo(2);
    assertThat(tree.committedRoot()).isEqualTo(roots[2]);
    assertThat(store.accounts()).isEqualTo(Map.of(1L, account(20)));
  }

  @Test
  void aSealerThatPinsTheBuiltHeadDoesNotFollowL1() {
    BatchSealer sealer = sealer(tree, store, BatchSealer.Pinning.BUILT_HEAD);
    assertThatThrownBy(() -> sealer.followL1(0, Fr.of(0))).isInstanceOf(IllegalStateException.class).hasMessageContaining("pins the built head");
  }
}
