package io.zkrollup.statetree.store;

import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link TreeStore} in memory, for tests and benchmarks: nothing survives the process. Node reads
 * and writes allocate nothing once the per-level maps have grown.
 */
public final class InMemoryTreeStore implements TreeStore {

  private final int depth;
  private final NodeMap[] levels;
  private final TreeMap<Long, VersionRecord> versions = new TreeMap<>();
  private StoreHead head;
  private boolean closed;

  /**
   * An empty store for a tree of the given depth.
   *
   * @throws IllegalArgumentException if the depth is outside 1..63
   */
  public InMemoryTreeStore(int depth) {
    if (depth < 1 || depth > 63) {
      throw new IllegalArgumentException("tree depth must be 1..63, got " + depth);
    }
    this.depth = depth;
    this.levels = new NodeMap[depth + 1];
    for (int i = 0; i <= depth; i++) {
      levels[i] = new NodeMap();
    }
  }

  @Override
  public int depth() {
    return depth;
  }

  @Override
  public Optional<StoreHead> head() {
    checkOpen();
    return Optional.ofNullable(head);
  }

  @Override
  public boolean readNode(int level, long index, long[] dst, int offset) {
    checkOpen();
    return levels[level].get(index, dst, offset);
  }

  @Override
  public Optional<VersionRecord> readVersion(long version) {
    checkOpen();
    return Optional.ofNullable(versions.get(version));
  }

  @Override
  public void forEachNode(int level, NodeMap.EntryVisitor visitor) {
    checkOpen();
    levels[level].forEach(visitor);
  }

  @Override
  public void write(StoreBatch batch) {
    checkOpen();
    StoreHead newHead = batch.head(); // validates before anything changes
    if (newHead.depth() != depth) {
      throw new IllegalArgumentException("batch for depth " + newHead.depth() + " in a store of depth " + depth);
    }
    batch.forEachNode(
        (level, index, limbs, offset) -> {
          if (limbs == null) {
            levels[level].remove(index);
          } else {
            levels[level].put(index, limbs, offset);
          }
        });
    versions.subMap(batch.deleteVersionsFrom(), batch.deleteVersionsTo()).clear();
    for (VersionRecord record : batch.addedVersions()) {
      versions.put(record.version(), record);
    }
    head = newHead;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("store is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
