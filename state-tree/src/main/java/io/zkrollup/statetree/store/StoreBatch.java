package io.zkrollup.statetree.store;

import io.zkrollup.statetree.field.FrMath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Everything one commit (or revert) changes in a {@link TreeStore}, applied by {@link
 * TreeStore#write} all at once or not at all: node writes and deletions, version records added
 * and removed, and the new head. The tree fills one and hands it over; node values are in {@link
 * FrMath}'s limb form. Reusable after {@link #clear()}. Not thread-safe.
 */
public final class StoreBatch {

  private int nodeCount;
  private int[] levels = new int[64];
  private long[] indices = new long[64];
  private boolean[] deletes = new boolean[64];
  private long[] limbs = new long[64 * FrMath.LIMBS];

  private final List<VersionRecord> addedVersions = new ArrayList<>();
  private long deleteVersionsFrom;
  private long deleteVersionsTo;
  private StoreHead head;

  /** Sets node (level, index) to {@code src[offset..offset+LIMBS-1]}. */
  public void putNode(int level, long index, long[] src, int offset) {
    int i = addNode(level, index, false);
    System.arraycopy(src, offset, limbs, i * FrMath.LIMBS, FrMath.LIMBS);
  }

  /** Removes node (level, index): it becomes the empty subtree of its level again. */
  public void deleteNode(int level, long index) {
    addNode(level, index, true);
  }

  private int addNode(int level, long index, boolean delete) {
    if (nodeCount == levels.length) {
      int n = nodeCount * 2;
      levels = Arrays.copyOf(levels, n);
      indices = Arrays.copyOf(indices, n);
      deletes = Arrays.copyOf(deletes, n);
      limbs = Arrays.copyOf(limbs, n * FrMath.LIMBS);
    }
    levels[nodeCount] = level;
    indices[nodeCount] = index;
    deletes[nodeCount] = delete;
    return nodeCount++;
  }

  /** Adds the record of a newly committed version. */
  public void addVersion(VersionRecord record) {
    addedVersions.add(Objects.requireNonNull(record, "record"));
  }

  /** Removes the records of versions {@code from ≤ v < to} (pruning, or undoing on revert). */
  public void deleteVersions(long from, long to) {
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("bad version range [" + from + ", " + to + ")");
    }
    deleteVersionsFrom = from;
    deleteVersionsTo = to;
  }

  /** Sets the head the store will hold after this batch. */
  public void setHead(StoreHead head) {
    this.head = Objects.requireNonNull(head, "head");
  }

  /** Empties the batch for reuse. */
  public void clear() {
    nodeCount = 0;
    addedVersions.clear();
    deleteVersionsFrom = 0;
    deleteVersionsTo = 0;
    head = null;
  }

  // ---------------------------------------------------------------- read side, for stores

  /** Receives node operations from {@link #forEachNode}. */
  @FunctionalInterface
  public interface NodeOpVisitor {
    /**
     * One node operation, in the order they were added.
     *
     * @param limbs the new value at {@code limbs[offset..offset+LIMBS-1]}, or null for a deletion
     */
    void visit(int level, long index, long[] limbs, int offset);
  }

  /** Visits the node operations in order. */
  public void forEachNode(NodeOpVisitor visitor) {
    for (int i = 0; i < nodeCount; i++) {
      if (deletes[i]) {
        visitor.visit(levels[i], indices[i], null, 0);
      } else {
        visitor.visit(levels[i], indices[i], limbs, i * FrMath.LIMBS);
      }
    }
  }

  /** Number of node operations. */
  public int nodeCount() {
    return nodeCount;
  }

  /** The version records to add. */
  public List<VersionRecord> addedVersions() {
    return List.copyOf(addedVersions);
  }

  /** First version whose record is removed (inclusive). */
  public long deleteVersionsFrom() {
    return deleteVersionsFrom;
  }

  /** End of the removed version range (exclusive); equal to the start if none are removed. */
  public long deleteVersionsTo() {
    return deleteVersionsTo;
  }

  /**
   * The head after this batch.
   *
   * @throws IllegalStateException if none was set (every batch moves the head)
   */
  public StoreHead head() {
    if (head == null) {
      throw new IllegalStateException("a store batch must set the head");
    }
    return head;
  }
}
