package io.zkrollup.statetree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.InMemoryTreeStore;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StateTreeTest {

  private final Poseidon2 poseidon2 = new Poseidon2();

  private StateTree tree(int depth) {
    return new StateTree(new InMemoryTreeStore(depth), poseidon2, 8);
  }

  static Fr randomElement(SplittableRandom random) {
    byte[] b = new byte[32];
    random.nextBytes(b);
    b[0] &= 0x1f; // below 2^253 < p
    return Fr.fromBytes(b);
  }

  @Test
  void emptyTreeRootIsTheEmptySubtreeOfItsDepth() {
    for (int depth : new int[] {1, 4, 8}) {
      StateTree t = tree(depth);
      Fr naive = new NaiveTree(poseidon2, depth, Map.of()).fullRoot();
      assertThat(t.root()).isEqualTo(naive).isEqualTo(t.emptySubtreeRoot(depth)).isEqualTo(t.committedRoot());
      assertThat(t.version()).isZero();
      assertThat(t.emptySubtreeRoot(0)).isEqualTo(Fr.ZERO);
      assertThat(t.emptySubtreeRoot(1)).isEqualTo(poseidon2.compress(Fr.ZERO, Fr.ZERO));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 4, 8})
  void rootsMatchTheNaiveFullTreeAfterEveryUpdate(int depth) {
    SplittableRandom random = new SplittableRandom(depth);
    StateTree t = tree(depth);
    Map<Long, Fr> leaves = new HashMap<>();
    for (int i = 0; i < 24; i++) {
      long index = random.nextLong(1L << depth);
      Fr value = i % 7 == 6 ? Fr.ZERO : randomElement(random); // sometimes clear a leaf again
      t.put(index, value);
      leaves.put(index, value);
      assertThat(t.root()).isEqualTo(new NaiveTree(poseidon2, depth, leaves).fullRoot());
      assertThat(t.get(index)).isEqualTo(value);
    }
  }

  @Test
  void rootsMatchTheNaiveSparseReferenceAtDepth16And32() {
    for (int depth : new int[] {16, 32}) {
      SplittableRandom random = new SplittableRandom(depth);
      StateTree t = tree(depth);
      Map<Long, Fr> leaves = new HashMap<>();
      for (int i = 0; i < 20; i++) {
        long index = i < 2 ? i * ((1L << depth) - 1) : random.nextLong(1L << depth); // both ends too
        Fr value = randomElement(random);
        t.put(index, value);
        leaves.put(index, value);
      }
      assertThat(t.root()).isEqualTo(new NaiveTree(poseidon2, depth, leaves).root());
    }
  }

  @Test
  void batchUpdateEqualsSequentialUpdatesAndHashesEachTouchedNodeOnce() {
    int depth = 16;
    SplittableRandom random = new SplittableRandom(99);
    StateTree sequential = tree(depth);
    StateTree batched = tree(depth);
    int n = 300;
    long[] indices = new long[n];
    Fr[] values = new Fr[n];
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      long index;
      do {
        index = i % 3 == 0 ? random.nextLong(1024) : random.nextLong(1L << depth); // many shared paths
      } while (!seen.add(index));
      indices[i] = index;
      values[i] = randomElement(random);
      sequential.put(index, values[i]);
    }
    batched.putAll(indices, values);
    assertThat(batched.root()).isEqualTo(sequential.root());
    for (int i = 0; i < n; i++) {
      assertThat(batched.get(indices[i])).isEqualTo(values[i]);
    }
    // Each distinct ancestor (level 1..depth) is hashed exactly once.
    long distinctAncestors = 0;
    for (int level = 1; level <= depth; level++) {
      Set<Long> nodes = new HashSet<>();
      for (long index : indices) {
        nodes.add(index >>> level);
      }
      distinctAncestors += nodes.size();
    }
    assertThat(batched.compressions()).isEqualTo(distinctAncestors);
    assertThat(sequential.compressions()).isEqualTo((long) n * depth);
  }

  @Test
  void proofsVerifyForMembersAndNonMembers() {
    int depth = 8;
    StateTree t = tree(depth);
    SplittableRandom random = new SplittableRandom(5);
    Map<Long, Fr> leaves = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      long index = random.nextLong(1L << depth);
      Fr v = randomElement(random);
      t.put(index, v);
      leaves.put(index, v);
    }
    Fr root = t.root();
    for (long index = 0; index < (1L << depth); index++) {
      MerkleProof proof = t.proof(index);
      assertThat(proof.verify(poseidon2, root)).isTrue();
      assertThat(proof.index()).isEqualTo(index);
      if (leaves.containsKey(index)) {
        assertThat(proof.leaf()).isEqualTo(leaves.get(index));
        assertThat(proof.verifyLeaf(poseidon2, root, index, leaves.get(index))).isTrue();
        assertThat(proof.verifyNonMembership(poseidon2, root, index)).isFalse();
      } else {
        assertThat(proof.leaf()).isEqualTo(Fr.ZERO);
        assertThat(proof.verifyNonMembership(poseidon2, root, index)).isTrue();
      }
      // The same path does not verify against another root or for another leaf value.
      assertThat(proof.verify(poseidon2, root.add(Fr.ONE))).isFalse();
      MerkleProof forged = new MerkleProof(depth, index, proof.leaf().add(Fr.ONE), proof.siblings());
      assertThat(forged.verify(poseidon2, root)).isFalse();
    }
  }

  @Test
  void depth32And63Work() {
    StateTree t32 = tree(32);
    long last = (1L << 32) - 1;
    t32.put(last, Fr.of(7));
    t32.put(0, Fr.of(8));
    assertThat(t32.proof(last).verify(poseidon2, t32.root())).isTrue();
    assertThat(t32.proof(12345).verifyNonMembership(poseidon2, t32.root(), 12345)).isTrue();
    assertThat(t32.root()).isEqualTo(new NaiveTree(poseidon2, 32, Map.of(last, Fr.of(7), 0L, Fr.of(8))).root());
    StateTree t63 = tree(63);
    t63.put(Long.MAX_VALUE, Fr.of(9));
    assertThat(t63.get(Long.MAX_VALUE)).isEqualTo(Fr.of(9));
    assertThat(t63.proof(Long.MAX_VALUE).verify(poseidon2, t63.root())).isTrue();
    assertThatThrownBy(() -> tree(64)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tree(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void badInputIsRefusedAndChangesNothing() {
    StateTree t = tree(4);
    t.put(3, Fr.of(1));
    Fr root = t.root();
    assertThatThrownBy(() -> t.put(16, Fr.ONE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside");
    assertThatThrownBy(() -> t.put(-1, Fr.ONE)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> t.put(1, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> t.get(16)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> t.proof(-5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> t.putAll(new long[] {1, 2, 1}, new Fr[] {Fr.ONE, Fr.ONE, Fr.ONE}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> t.putAll(new long[] {1, 99}, new Fr[] {Fr.ONE, Fr.ONE}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> t.putAll(new long[] {1, 2}, new Fr[] {Fr.ONE}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> t.putAll(new long[] {1, 2}, new Fr[] {Fr.ONE, null}))
        .isInstanceOf(NullPointerException.class);
    assertThat(t.root()).isEqualTo(root);
    assertThat(t.get(1)).isEqualTo(Fr.ZERO);
    assertThat(t.get(2)).isEqualTo(Fr.ZERO);
  }

  @Test
  void commitDiscardAndVersions() {
    StateTree t = tree(8);
    Fr empty = t.root();
    t.put(1, Fr.of(10));
    assertThat(t.hasPendingChanges()).isTrue();
    assertThat(t.committedRoot()).isEqualTo(empty);
    t.discard();
    assertThat(t.root()).isEqualTo(empty);
    assertThat(t.get(1)).isEqualTo(Fr.ZERO);
    t.put(1, Fr.of(10));
    assertThat(t.commit()).isEqualTo(1);
    Fr r1 = t.root();
    assertThat(t.committedRoot()).isEqualTo(r1);
    assertThat(t.hasPendingChanges()).isFalse();
    t.put(1, Fr.ZERO); // delete the account again
    t.put(2, Fr.of(20));
    assertThat(t.commit()).isEqualTo(2);
    assertThat(t.rootAt(0)).contains(empty);
    assertThat(t.rootAt(1)).contains(r1);
    assertThat(t.rootAt(2)).contains(t.root());
    assertThat(t.committedLeaves()).containsExactly(Map.entry(2L, Fr.of(20))); // the zero leaf is not stored
    assertThat(t.verifyIntegrity()).isEqualTo(t.root());
    assertThat(t.commit()).isEqualTo(3); // an empty commit is a version with the same root
    assertThat(t.rootAt(3)).isEqualTo(t.rootAt(2));
  }

  @Test
  void revertRestoresEarlierRootsAndLeaves() {
    StateTree t = tree(8);
    SplittableRandom random = new SplittableRandom(17);
    Map<Long, Map<Long, Fr>> leavesAt = new HashMap<>();
    Map<Long, Fr> current = new HashMap<>();
    leavesAt.put(0L, Map.copyOf(current));
    for (int v = 1; v <= 6; v++) {
      for (int i = 0; i < 5; i++) {
        long index = random.nextLong(256);
        Fr value = i == 4 ? Fr.ZERO : randomElement(random);
        t.put(index, value);
        if (value.isZero()) {
          current.remove(index);
        } else {
          current.put(index, value);
        }
      }
      assertThat(t.commit()).isEqualTo(v);
      leavesAt.put((long) v, Map.copyOf(current));
    }
    Fr root4 = t.rootAt(4).orElseThrow();
    t.revertTo(4);
    assertThat(t.version()).isEqualTo(4);
    assertThat(t.root()).isEqualTo(root4).isEqualTo(new NaiveTree(poseidon2, 8, leavesAt.get(4L)).fullRoot());
    assertThat(t.committedLeaves()).isEqualTo(new java.util.TreeMap<>(leavesAt.get(4L)));
    assertThat(t.rootAt(5)).isEmpty();
    // History continues from the reverted version.
    t.put(0, Fr.of(1));
    assertThat(t.commit()).isEqualTo(5);
    t.revertTo(0);
    assertThat(t.root()).isEqualTo(t.emptySubtreeRoot(8));
    assertThat(t.committedLeaves()).isEmpty();
  }

  @Test
  void retentionPrunesOldVersionsButKeepsThePinnedOne() {
    StateTree t = new StateTree(new InMemoryTreeStore(4), poseidon2, 2);
    for (int v = 1; v <= 3; v++) {
      t.put(v, Fr.of(v));
      t.commit();
    }
    t.pin(2);
    for (int v = 4; v <= 9; v++) {
      t.put(v % 16, Fr.of(v));
      t.commit();
    }
    // Retention of 2 alone would keep 7..9; the pin keeps 2 and everything after it.
    assertThat(t.oldestVersion()).isEqualTo(2);
    assertThat(t.rootAt(1)).isEmpty();
    assertThatThrownBy(() -> t.revertTo(1)).isInstanceOf(IllegalArgumentException.class);
    t.pin(8); // L1 verified more: older history can go
    t.put(10, Fr.of(10));
    t.commit(); // version 10
    assertThat(t.oldestVersion()).isEqualTo(8);
    assertThat(t.rootAt(7)).isEmpty();
    Fr pinnedRoot = t.rootAt(8).orElseThrow();
    t.revertTo(8);
    assertThat(t.root()).isEqualTo(pinnedRoot);
    assertThat(t.pinnedVersion()).isEqualTo(8);
  }

  @Test
  void revertAndPinRefuseBadRequestsAndChangeNothing() {
    StateTree t = tree(4);
    t.put(1, Fr.ONE);
    t.commit();
    t.put(2, Fr.ONE);
    assertThatThrownBy(() -> t.revertTo(0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("pending");
    t.commit();
    Fr root = t.root();
    assertThatThrownBy(() -> t.revertTo(3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> t.revertTo(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> t.pin(5)).isInstanceOf(IllegalArgumentException.class);
    assertThat(t.root()).isEqualTo(root);
    assertThat(t.version()).isEqualTo(2);
    t.pin(1);
    t.revertTo(0); // below the pin: allowed while kept, and the pin follows
    assertThat(t.pinnedVersion()).isZero();
    assertThatThrownBy(() -> new StateTree(new InMemoryTreeStore(4), poseidon2, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A store whose writes fail on demand, to see what the tree does when the disk does. */
  private static final class FailingStore implements io.zkrollup.statetree.store.TreeStore {
    private final InMemoryTreeStore delegate;
    boolean fail;

    FailingStore(int depth) {
      delegate = new InMemoryTreeStore(depth);
    }

    @Override
    public int depth() {
      return delegate.depth();
    }

    @Override
    public java.util.Optional<io.zkrollup.statetree.store.StoreHead> head() {
      return delegate.head();
    }

    @Override
    public boolean readNode(int level, long index, long[] dst, int offset) {
      return delegate.readNode(level, index, dst, offset);
    }

    @Override
    public java.util.Optional<io.zkrollup.statetree.store.VersionRecord> readVersion(long version) {
      return delegate.readVersion(version);
    }

    @Override
    public void forEachNode(int level, io.zkrollup.statetree.store.NodeMap.EntryVisitor visitor) {
      delegate.forEachNode(level, visitor);
    }

    @Override
    public void write(io.zkrollup.statetree.store.StoreBatch batch) {
      if (fail) {
        throw new io.zkrollup.statetree.store.StoreException("disk full");
      }
      delegate.write(batch);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  @Test
  void aFailedStoreWriteMakesTheTreeRefuseFurtherUseUntilReopened() {
    FailingStore store = new FailingStore(4);
    StateTree t = new StateTree(store, poseidon2, 1);
    t.put(1, Fr.ONE);
    t.commit();
    Fr committed = t.root();
    t.put(2, Fr.ONE);
    store.fail = true;
    assertThatThrownBy(t::commit).isInstanceOf(io.zkrollup.statetree.store.StoreException.class);
    assertThatThrownBy(t::root).isInstanceOf(IllegalStateException.class).hasMessageContaining("reopen");
    assertThatThrownBy(() -> t.put(3, Fr.ONE)).isInstanceOf(IllegalStateException.class);
    // Reopening finds the last version the store holds.
    store.fail = false;
    StateTree reopened = new StateTree(store, poseidon2, 1);
    assertThat(reopened.version()).isEqualTo(1);
    assertThat(reopened.root()).isEqualTo(committed);
  }
}
