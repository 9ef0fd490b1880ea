package io.zkrollup.benchmarks;

import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.InMemoryTreeStore;
import io.zkrollup.statetree.store.RocksDbTreeStore;
import io.zkrollup.statetree.store.TreeStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * State tree updates at depth 32 (the production depth), on the in-memory store and on RocksDB.
 *
 * <ul>
 *   <li>{@code put}: one leaf update with its path rehashed (32 compressions), left pending; the
 *       pending changes are dropped after each iteration. The allocation-free hot path.
 *   <li>{@code batch}: {@value #BATCH} leaves at random indices through {@code putAll} (each touched
 *       node hashed once) and a {@code commit} (on RocksDB: one synced WriteBatch). Reported per
 *       leaf.
 * </ul>
 *
 * The tree starts with {@value #PRELOAD} accounts so reads hit a populated store.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class StateTreeBenchmark {

  static final int DEPTH = 32;
  static final int BATCH = 1024;
  static final int PRELOAD = 4096;

  @Param({"memory", "rocksdb"})
  public String store;

  private final Poseidon2 poseidon2 = new Poseidon2();
  private TreeStore treeStore;
  private Path directory;
  private StateTree tree;
  private final SplittableRandom random = new SplittableRandom(32);
  private long[] indices;
  private Fr[] leaves;
  private long[] batchIndices;
  private Fr[] batchLeaves;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    if (store.equals("memory")) {
      treeStore = new InMemoryTreeStore(DEPTH);
    } else {
      directory = Files.createTempDirectory("state-tree-bench");
      treeStore = RocksDbTreeStore.open(directory, DEPTH);
    }
    tree = new StateTree(treeStore, poseidon2, 16);
    indices = new long[8192];
    leaves = new Fr[indices.length];
    for (int i = 0; i < indices.length; i++) {
      indices[i] = random.nextLong(1L << DEPTH);
      leaves[i] = Fr.of(random.nextLong(Long.MAX_VALUE));
    }
    batchIndices = new long[BATCH];
    batchLeaves = new Fr[BATCH];
    for (int done = 0; done < PRELOAD; done += BATCH) {
      nextBatch();
      tree.putAll(batchIndices, batchLeaves);
      tree.commit();
    }
  }

  private void nextBatch() {
    long[] distinct = random.longs(2L * BATCH, 0, 1L << DEPTH).distinct().limit(BATCH).toArray();
    System.arraycopy(distinct, 0, batchIndices, 0, BATCH);
    for (int i = 0; i < BATCH; i++) {
      batchLeaves[i] = leaves[(i * 7 + next) % leaves.length];
    }
  }

  @TearDown(Level.Iteration)
  public void dropPending() {
    tree.discard();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    treeStore.close();
    if (directory != null) {
      try (Stream<Path> files = Files.walk(directory)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
  }

  /** One leaf update at depth 32, pending (no commit). */
  @Benchmark
  public void put() {
    int i = next++ & (indices.length - 1);
    tree.put(indices[i], leaves[i]);
  }

  /** Batch update of {@value #BATCH} random leaves and commit; the score is leaves per second. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long batch() {
    nextBatch();
    next++;
    tree.putAll(batchIndices, batchLeaves);
    return tree.commit();
  }
}
