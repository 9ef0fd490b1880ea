package io.zkrollup.statetree.store;

import io.zkrollup.statetree.field.FrMath;
import java.util.Arrays;

/**
 * A map from non-negative {@code long} node indices to field elements ({@link FrMath#LIMBS} Montgomery limbs), with
 * primitive open addressing so that lookups and updates allocate nothing. The tree keeps one per
 * level for its uncommitted changes, and {@link InMemoryTreeStore} one per level for its nodes.
 *
 * <p>Linear probing with backward-shift deletion (no tombstones, so a long-lived map does not
 * degrade). Grows by doubling at 1/2 load; {@link #clear()} keeps the capacity, so a map that is
 * filled and cleared per batch stops allocating once it has grown to the batch size. Not
 * thread-safe.
 */
public final class NodeMap {

  private static final long EMPTY = -1L; // indices are never negative
  private static final int MIN_CAPACITY = 16;

  private long[] keys;
  private long[] values; // FrMath.LIMBS per slot
  private int mask;
  private int size;

  /** An empty map. */
  public NodeMap() {
    allocate(MIN_CAPACITY);
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    Arrays.fill(keys, EMPTY);
    values = new long[capacity * FrMath.LIMBS];
    mask = capacity - 1;
  }

  private static int slotOf(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L; // Fibonacci hashing spreads sequential indices
    return (int) (h ^ (h >>> 29)) & mask;
  }

  /** Number of entries. */
  public int size() {
    return size;
  }

  /**
   * Copies the value for {@code key} into {@code dst[offset..offset+LIMBS-1]}.
   *
   * @return false (writing nothing) if there is no entry
   */
  public boolean get(long key, long[] dst, int offset) {
    int slot = find(key);
    if (slot < 0) {
      return false;
    }
    System.arraycopy(values, slot * FrMath.LIMBS, dst, offset, FrMath.LIMBS);
    return true;
  }

  /** Whether there is an entry for {@code key}. */
  public boolean contains(long key) {
    return find(key) >= 0;
  }

  private int find(long key) {
    int slot = slotOf(key, mask);
    while (true) {
      long k = keys[slot];
      if (k == key) {
        return slot;
      }
      if (k == EMPTY) {
        return -1;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Sets the value for {@code key} (≥ 0) from {@code src[offset..offset+LIMBS-1]}. */
  public void put(long key, long[] src, int offset) {
    if (key < 0) {
      throw new IllegalArgumentException("negative node index " + key);
    }
    int slot = slotOf(key, mask);
    while (true) {
      long k = keys[slot];
      if (k == key) {
        break;
      }
      if (k == EMPTY) {
        if (2 * (size + 1) > keys.length) {
          grow();
          put(key, src, offset);
          return;
        }
        keys[slot] = key;
        size++;
        break;
      }
      slot = (slot + 1) & mask;
    }
    System.arraycopy(src, offset, values, slot * FrMath.LIMBS, FrMath.LIMBS);
  }

  /** Removes the entry for {@code key}, if any. */
  public void remove(long key) {
    int slot = find(key);
    if (slot < 0) {
      return;
    }
    // Backward-shift deletion: move later members of the probe run into the hole.
    int hole = slot;
    int next = (hole + 1) & mask;
    while (keys[next] != EMPTY) {
      int home = slotOf(keys[next], mask);
      // The entry at `next` may fill the hole if its home is not cyclically in (hole, next].
      boolean homeInRange = hole <= next ? (home > hole && home <= next) : (home > hole || home <= next);
      if (!homeInRange) {
        keys[hole] = keys[next];
        System.arraycopy(values, next * FrMath.LIMBS, values, hole * FrMath.LIMBS, FrMath.LIMBS);
        hole = next;
      }
      next = (next + 1) & mask;
    }
    keys[hole] = EMPTY;
    size--;
  }

  /** Removes every entry, keeping the capacity. */
  public void clear() {
    if (size > 0) {
      Arrays.fill(keys, EMPTY);
      size = 0;
    }
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldValues = values;
    allocate(oldKeys.length * 2);
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        put(oldKeys[i], oldValues, i * FrMath.LIMBS);
      }
    }
  }

  /** Receives entries from {@link #forEach}. */
  @FunctionalInterface
  public interface EntryVisitor {
    /** One entry; the value is {@code limbs[offset..offset+LIMBS-1]} and must not be modified. */
    void visit(long key, long[] limbs, int offset);
  }

  /** Visits every entry, in no particular order. The map must not be modified meanwhile. */
  public void forEach(EntryVisitor visitor) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY) {
        visitor.visit(keys[i], values, i * FrMath.LIMBS);
      }
    }
  }
}
