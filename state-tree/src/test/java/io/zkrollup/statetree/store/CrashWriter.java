package io.zkrollup.statetree.store;

import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The child process of {@link CrashSafetyTest}: commits batches to a RocksDB tree forever, printing
 * each batch's root before ("INFLIGHT") and after ("COMMITTED") its commit, until it is killed.
 * Batch {@code v}'s content depends only on {@code v}, so the parent can replay what any version
 * must contain.
 */
public final class CrashWriter {
  private CrashWriter() {}

  static final int DEPTH = 16;
  static final int BATCH = 300;

  /** The leaves that version {@code v} sets (some to 0, i.e. deleting the account). */
  static void batch(long v, long[] indices, Fr[] values) {
    SplittableRandom random = new SplittableRandom(0x5eed ^ (v * 0x9E3779B97F4A7C15L));
    long[] distinct = random.longs(4L * BATCH, 0, 5000).distinct().limit(BATCH).toArray();
    System.arraycopy(distinct, 0, indices, 0, BATCH);
    for (int i = 0; i < BATCH; i++) {
      values[i] = i % 10 == 9 ? Fr.ZERO : Fr.of(random.nextLong(Long.MAX_VALUE));
    }
  }

  /** args: the RocksDB directory. */
  public static void main(String[] args) {
    Poseidon2 poseidon2 = new Poseidon2();
    try (RocksDbTreeStore store = RocksDbTreeStore.open(Path.of(args[0]), DEPTH)) {
      StateTree tree = new StateTree(store, poseidon2, 1000);
      System.out.println("OPEN " + tree.version() + " " + tree.root().toHex());
      long[] indices = new long[BATCH];
      Fr[] values = new Fr[BATCH];
      while (true) {
        long v = tree.version() + 1;
        batch(v, indices, values);
        tree.putAll(indices, values);
        System.out.println("INFLIGHT " + v + " " + tree.root().toHex());
        System.out.flush();
        tree.commit();
        System.out.println("COMMITTED " + v + " " + tree.committedRoot().toHex());
        System.out.flush();
      }
    }
  }
}
