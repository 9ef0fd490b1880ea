package io.zkrollup.prover.nativebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.InMemoryTreeStore;
import io.zkrollup.statetree.store.RocksDbTreeStore;
import io.zkrollup.statetree.store.TreeStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java state tree's roots against the Go reference tree (native/smt, over gnark-crypto's
 * Poseidon2), computed natively for the same leaves.
 */
class StateTreeNativeRootIT {

  private final LibZkProver lib = LibZkProver.load();
  private final Poseidon2 poseidon2 = new Poseidon2();

  @TempDir Path dir;

  private static byte[] encode(Map<Long, Fr> leaves) {
    ByteBuffer b = ByteBuffer.allocate(leaves.size() * (8 + Fr.BYTES));
    leaves.forEach(
        (index, value) -> {
          b.putLong(index);
          b.put(value.toBytes());
        });
    return b.array();
  }

  private Fr nativeRoot(int depth, Map<Long, Fr> leaves) {
    return Fr.fromBytes(lib.smtRoot(depth, encode(leaves)));
  }

  /** Applies random puts, batches, commits, discards and reverts, checking roots natively. */
  private void exercise(StateTree tree, SplittableRandom random) {
    int depth = tree.depth();
    long span = depth >= 62 ? Long.MAX_VALUE : 1L << depth;
    Map<Long, Fr> leaves = new HashMap<>();
    Map<Long, Map<Long, Fr>> committed = new HashMap<>();
    committed.put(0L, Map.of());
    assertThat(tree.root()).isEqualTo(nativeRoot(depth, leaves));
    for (int step = 0; step < 12; step++) {
      int n = 1 + random.nextInt(20);
      long[] indices = random.longs(4L * n, 0, span).distinct().limit(n).toArray();
      Fr[] values = new Fr[indices.length];
      for (int i = 0; i < indices.length; i++) {
        values[i] = i % 6 == 5 ? Fr.ZERO : Poseidon2NativeCrossCheckIT.element(random);
        if (values[i].isZero()) {
          leaves.remove(indices[i]);
        } else {
          leaves.put(indices[i], values[i]);
        }
      }
      if (step % 2 == 0) {
        tree.putAll(indices, values);
      } else {
        for (int i = 0; i < indices.length; i++) {
          tree.put(indices[i], values[i]);
        }
      }
      assertThat(tree.root()).as("depth %d step %d", depth, step).isEqualTo(nativeRoot(depth, leaves));
      long version = tree.commit();
      committed.put(version, Map.copyOf(leaves));
    }
    long target = tree.version() - 1 - random.nextInt(3);
    tree.revertTo(target);
    assertThat(tree.root()).isEqualTo(nativeRoot(depth, committed.get(target)));
    assertThat(tree.committedLeaves()).isEqualTo(new java.util.TreeMap<>(committed.get(target)));
  }

  @Test
  void inMemoryTreeRootsMatchTheGoReference() {
    SplittableRandom random = new SplittableRandom(42);
    for (int depth : new int[] {1, 2, 4, 8, 16, 32, 63}) {
      exercise(new StateTree(new InMemoryTreeStore(depth), poseidon2, 100), random);
    }
  }

  @Test
  void rocksDbTreeRootsMatchTheGoReference() {
    SplittableRandom random = new SplittableRandom(43);
    for (int depth : new int[] {8, 32}) {
      try (TreeStore store = RocksDbTreeStore.open(dir.resolve("d" + depth), depth)) {
        exercise(new StateTree(store, poseidon2, 100), random);
      }
    }
  }

  @Test
  void nativeRootRefusesBadInput() {
    assertThatThrownBy(() -> lib.smtRoot(0, new byte[0]))
        .isInstanceOf(NativeProverException.class)
        .satisfies(e -> assertThat(((NativeProverException) e).code()).isEqualTo(NativeProverException.Code.INVALID_ARGUMENT));
    assertThatThrownBy(() -> lib.smtRoot(4, new byte[41])).isInstanceOf(NativeProverException.class);
    assertThatThrownBy(() -> lib.smtRoot(4, encode(Map.of(16L, Fr.ONE))))
        .isInstanceOf(NativeProverException.class)
        .hasMessageContaining("outside");
    assertThatThrownBy(() -> lib.smtRoot(4, null)).isInstanceOf(NativeProverException.class);
  }
}
