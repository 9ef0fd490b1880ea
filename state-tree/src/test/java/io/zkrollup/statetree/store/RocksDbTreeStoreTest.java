package io.zkrollup.statetree.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class RocksDbTreeStoreTest {

  private final Poseidon2 poseidon2 = new Poseidon2();

  @TempDir Path dir;

  private static Fr random(SplittableRandom r) {
    return Fr.of(r.nextLong(Long.MAX_VALUE));
  }

  @Test
  void behavesExactlyLikeTheInMemoryStore() {
    SplittableRandom random = new SplittableRandom(21);
    try (RocksDbTreeStore rocks = RocksDbTreeStore.open(dir, 12)) {
      StateTree onDisk = new StateTree(rocks, poseidon2, 3);
      StateTree inMemory = new StateTree(new InMemoryTreeStore(12), poseidon2, 3);
      for (int v = 1; v <= 8; v++) {
        int n = 1 + random.nextInt(40);
        long[] indices = random.longs(n * 2L, 0, 4096).distinct().limit(n).toArray();
        Fr[] values = new Fr[indices.length];
        for (int i = 0; i < values.length; i++) {
          values[i] = i % 5 == 4 ? Fr.ZERO : random(random);
        }
        onDisk.putAll(indices, values);
        inMemory.putAll(indices, values);
        onDisk.put(indices[0], values[0]); // single puts too
        inMemory.put(indices[0], values[0]);
        assertThat(onDisk.commit()).isEqualTo(inMemory.commit());
        assertThat(onDisk.root()).isEqualTo(inMemory.root());
      }
      assertThat(onDisk.committedLeaves()).isEqualTo(inMemory.committedLeaves());
      // Unpinned, everything back to the empty tree is kept; pinning 5 lets older history go.
      assertThat(onDisk.oldestVersion()).isZero();
      onDisk.pin(5);
      inMemory.pin(5);
      onDisk.commit();
      inMemory.commit();
      onDisk.revertTo(6);
      inMemory.revertTo(6);
      assertThat(onDisk.root()).isEqualTo(inMemory.root());
      assertThat(onDisk.oldestVersion()).isEqualTo(inMemory.oldestVersion()).isEqualTo(5);
      assertThat(onDisk.verifyIntegrity()).isEqualTo(onDisk.root());
    }
  }

  @Test
  void reopensAtTheLastCommittedRootAndForgetsPendingChanges() {
    Fr committed;
    SortedMap<Long, Fr> leaves;
    try (RocksDbTreeStore store = RocksDbTreeStore.open(dir, 16)) {
      StateTree t = new StateTree(store, poseidon2, 10);
      t.put(7, Fr.of(70));
      t.put(65_535, Fr.of(80));
      t.commit();
      t.put(9, Fr.of(90));
      t.commit();
      t.pin(1);
      committed = t.root();
      leaves = t.committedLeaves();
      t.put(7, Fr.of(71)); // pending, never committed
      assertThat(t.root()).isNotEqualTo(committed);
    }
    try (RocksDbTreeStore store = RocksDbTreeStore.open(dir, 16)) {
      StateTree t = new StateTree(store, poseidon2, 10);
      assertThat(t.version()).isEqualTo(2);
      assertThat(t.root()).isEqualTo(committed);
      assertThat(t.get(7)).isEqualTo(Fr.of(70));
      assertThat(t.committedLeaves()).isEqualTo(leaves);
      assertThat(t.pinnedVersion()).isEqualTo(1);
      assertThat(t.proof(65_535).verifyLeaf(poseidon2, committed, 65_535, Fr.of(80))).isTrue();
      t.revertTo(1);
    }
    try (RocksDbTreeStore store = RocksDbTreeStore.open(dir, 16)) {
      StateTree t = new StateTree(store, poseidon2, 10);
      assertThat(t.version()).isEqualTo(1);
      assertThat(t.get(9)).isEqualTo(Fr.ZERO);
      assertThat(t.get(7)).isEqualTo(Fr.of(70));
      assertThat(t.rootAt(2)).isEmpty();
    }
  }

  @Test
  void refusesATreeOfAnotherDepthAndReleasesTheDatabase() {
    try (RocksDbTreeStore store = RocksDbTreeStore.open(dir, 8)) {
      new StateTree(store, poseidon2, 1).commit();
    }
    assertThatThrownBy(() -> RocksDbTreeStore.open(dir, 9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("depth 8");
    // The failed open closed its handles: RocksDB's lock is free again.
    try (RocksDbTreeStore store = RocksDbTreeStore.open(dir, 8)) {
      assertThat(new StateTree(store, poseidon2, 1).version()).isEqualTo(1);
    }
    assertThatThrownBy(() -> RocksDbTreeStore.open(dir, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void detectsARootNodeThatDoesNotMatchTheHead() throws Exception {
    try (RocksDbTreeStore store = RocksDbTreeStore.open(dir, 4)) {
      StateTree t = new StateTree(store, poseidon2, 1);
      t.put(3, Fr.of(3));
      t.commit();
    }
    try (Options options = new Options(); RocksDB raw = RocksDB.open(options, dir.toString())) {
      byte[] rootKey = {'n', 4, 0, 0, 0, 0, 0, 0, 0, 0};
      raw.put(rootKey, Fr.of(12345).toBytes());
    }
    try (RocksDbTreeStore store = RocksDbTreeStore.open(dir, 4)) {
      assertThatThrownBy(() -> new StateTree(store, poseidon2, 1))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("root");
    }
  }

  @Test
  void closedStoreRefusesUse() {
    RocksDbTreeStore store = RocksDbTreeStore.open(dir, 4);
    store.close();
    store.close(); // idempotent
    assertThatThrownBy(() -> store.readNode(0, 0, new long[5], 0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(store::head).isInstanceOf(IllegalStateException.class);
  }
}
