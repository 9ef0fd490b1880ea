package io.zkrollup.statetree;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.util.Map;

/**
 * The reference the tree is checked against: the definition written out as directly as possible,
 * on the value API, with no caching, no pending maps and no store.
 */
final class NaiveTree {
  private final Poseidon2 poseidon2;
  private final int depth;
  private final Map<Long, Fr> leaves;

  NaiveTree(Poseidon2 poseidon2, int depth, Map<Long, Fr> leaves) {
    this.poseidon2 = poseidon2;
    this.depth = depth;
    this.leaves = leaves;
  }

  /** Root by hashing every one of the 2^depth leaves (small depths only). */
  Fr fullRoot() {
    Fr[] level = new Fr[1 << depth];
    for (int i = 0; i < level.length; i++) {
      level[i] = leaves.getOrDefault((long) i, Fr.ZERO);
    }
    while (level.length > 1) {
      Fr[] up = new Fr[level.length / 2];
      for (int i = 0; i < up.length; i++) {
        up[i] = poseidon2.compress(level[2 * i], level[2 * i + 1]);
      }
      level = up;
    }
    return level[0];
  }

  /** Root by recursion, where a subtree with no leaves is the all-zero subtree (any depth). */
  Fr root() {
    return node(depth, 0);
  }

  private Fr node(int level, long index) {
    if (level == 0) {
      return leaves.getOrDefault(index, Fr.ZERO);
    }
    long first = index << level;
    long last = first + (1L << level) - 1;
    boolean anyLeaf = leaves.keySet().stream().anyMatch(i -> i >= first && i <= last);
    if (!anyLeaf) {
      return zeroSubtree(level);
    }
    return poseidon2.compress(node(level - 1, 2 * index), node(level - 1, 2 * index + 1));
  }

  private Fr zeroSubtree(int level) {
    Fr e = Fr.ZERO;
    for (int i = 0; i < level; i++) {
      e = poseidon2.compress(e, e);
    }
    return e;
  }
}
