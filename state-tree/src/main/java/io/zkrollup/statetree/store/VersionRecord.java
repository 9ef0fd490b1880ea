package io.zkrollup.statetree.store;

import io.zkrollup.statetree.field.Fr;
import java.util.List;
import java.util.Objects;

/**
 * What a store keeps per committed version so the tree can go back: the version's root, and the
 * leaves the version changed with their values in the version before (its undo record). Internal
 * nodes are not recorded; a revert recomputes them from the restored leaves and checks the result
 * against the recorded root.
 *
 * @param version the version
 * @param root the tree's root after this version was committed
 * @param previousLeaves the leaves this version changed, with their values before it
 */
public record VersionRecord(long version, Fr root, List<LeafChange> previousLeaves) {

  /** One leaf's value before a version changed it. */
  public record LeafChange(long index, Fr previous) {
    /** Validates the fields. */
    public LeafChange {
      Objects.requireNonNull(previous, "previous");
      if (index < 0) {
        throw new IllegalArgumentException("negative leaf index " + index);
      }
    }
  }

  /** Copies the list; the record is immutable. */
  public VersionRecord {
    Objects.requireNonNull(root, "root");
    previousLeaves = List.copyOf(previousLeaves);
    if (version < 0) {
      throw new IllegalArgumentException("negative version " + version);
    }
  }
}
