package io.zkrollup.statetree.store;

import io.zkrollup.statetree.field.Fr;
import java.util.Objects;

/**
 * The committed state of a tree as a store records it; written atomically with every commit.
 *
 * @param depth the tree's depth (fixed when the store is first initialised)
 * @param version the last committed version (0 is the empty tree)
 * @param root the root of that version
 * @param pinnedVersion the version that must stay revertible (the caller's last L1-verified root)
 * @param oldestVersion the oldest version whose record is kept, i.e. the oldest revert target
 */
public record StoreHead(int depth, long version, Fr root, long pinnedVersion, long oldestVersion) {

  /** Checks the invariants {@code 0 ≤ oldestVersion ≤ pinnedVersion ≤ version}. */
  public StoreHead {
    Objects.requireNonNull(root, "root");
    if (depth < 1) {
      throw new IllegalArgumentException("depth " + depth);
    }
    if (oldestVersion < 0 || oldestVersion > pinnedVersion || pinnedVersion > version) {
      throw new IllegalArgumentException(
          "inconsistent versions: oldest " + oldestVersion + ", pinned " + pinnedVersion + ", current " + version);
    }
  }
}
