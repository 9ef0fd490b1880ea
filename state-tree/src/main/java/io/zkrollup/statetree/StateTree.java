package io.zkrollup.statetree;

import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.field.FrMath;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.InMemoryTreeStore;
import io.zkrollup.statetree.store.NodeMap;
import io.zkrollup.statetree.store.StoreBatch;
import io.zkrollup.statetree.store.StoreException;
import io.zkrollup.statetree.store.StoreHead;
import io.zkrollup.statetree.store.TreeStore;
import io.zkrollup.statetree.store.VersionRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The sparse Merkle tree of account leaves, over Poseidon2, on a {@link TreeStore}.
 *
 * <p>Conventions (the circuit checks the same paths; see docs/protocol.md, "State tree"): leaves
 * are level 0 and the root is level {@code depth}; an empty leaf is 0; the empty subtree of level
 * {@code i+1} is {@code compress(E_i, E_i)}; an internal node is {@code compress(left, right)}; bit
 * {@code i} of a leaf index (least significant first) says whether the path goes right (1) or left
 * (0) at level {@code i}.
 *
 * <p>Changes are made in two steps. {@link #put} and {@link #putAll} change leaves at once, visibly
 * ({@link #get}, {@link #root}, {@link #proof} see them), but only in memory. {@link #commit}
 * writes all pending changes to the store as one atomic, durable batch and gives them a new
 * version; {@link #discard} drops them. The store keeps enough history to {@link #revertTo} recent
 * versions and, always, the {@link #pin pinned} one (the root last verified on L1).
 *
 * <p>{@link #put}, reads and proofs allocate nothing on an {@link InMemoryTreeStore} once the
 * tree's working maps have grown (proofs allocate only their result). A tree is not thread-safe: the
 * sequencer confines it to one thread.
 */
public final class StateTree {

  /** The deepest tree supported: leaf indices are non-negative {@code long}s. */
  public static final int MAX_DEPTH = 63;

  private static final int L = FrMath.LIMBS;

  private final TreeStore store;
  private final Poseidon2 poseidon2;
  private final int depth;
  private final int retainedVersions;

  /** Empty subtree hash of each level, Montgomery limbs, level i at i*L. */
  private final long[] empty;

  /** Pending (uncommitted) node values, one map per level. */
  private final NodeMap[] pending;

  // Working memory of the hot path, reused so that updates allocate nothing.
  private final long[] state = Poseidon2.newState();
  private final long[] node = new long[L];
  private final long[] sibling = new long[L];
  private final long[] right = new long[L];
  private long[] sorted = new long[64];
  private final StoreBatch batch = new StoreBatch();

  private StoreHead head;
  private boolean failed;
  private long compressions;

  /**
   * Opens the tree held by {@code store}, initialising an empty store at version 0 (the empty
   * tree).
   *
   * @param store the committed nodes and history; the tree uses it exclusively
   * @param poseidon2 the hash
   * @param retainedVersions how many versions before the current one stay revertible in addition
   *     to the pinned one (0 keeps only what is needed to go back to the pinned version)
   * @throws IllegalArgumentException if {@code retainedVersions} is negative
   * @throws StoreException if the store's head does not match its nodes
   */
  public StateTree(TreeStore store, Poseidon2 poseidon2, int retainedVersions) {
    this.store = Objects.requireNonNull(store, "store");
    this.poseidon2 = Objects.requireNonNull(poseidon2, "poseidon2");
    if (retainedVersions < 0) {
      throw new IllegalArgumentException("retainedVersions must be ≥ 0, got " + retainedVersions);
    }
    this.retainedVersions = retainedVersions;
    this.depth = store.depth();
    if (depth < 1 || depth > MAX_DEPTH) {
      throw new IllegalArgumentException("tree depth must be 1.." + MAX_DEPTH + ", got " + depth);
    }
    this.empty = new long[(depth + 1) * L];
    for (int level = 0; level < depth; level++) {
      poseidon2.compress(empty, (level + 1) * L, empty, level * L, empty, level * L, state);
    }
    this.pending = new NodeMap[depth + 1];
    for (int i = 0; i <= depth; i++) {
      pending[i] = new NodeMap();
    }
    Optional<StoreHead> stored = store.head();
    if (stored.isEmpty()) {
      Fr emptyRoot = emptySubtreeRoot(depth);
      StoreHead genesis = new StoreHead(depth, 0, emptyRoot, 0, 0);
      batch.clear();
      batch.addVersion(new VersionRecord(0, emptyRoot, List.of()));
      batch.setHead(genesis);
      store.write(batch);
      head = genesis;
    } else {
      head = stored.get();
      Fr storedRoot = committedNode(depth, 0);
      if (!storedRoot.equals(head.root())) {
        throw new StoreException(
            "store head says root " + head.root() + " at version " + head.version() + " but its root node is " + storedRoot);
      }
    }
  }

  // ---------------------------------------------------------------- inspection

  /** The depth: the tree has {@code 2^depth} leaves. */
  public int depth() {
    return depth;
  }

  /** The root, pending changes included. */
  public Fr root() {
    checkUsable();
    readNode(depth, 0, node, 0);
    return Fr.fromMontgomery(node, 0);
  }

  /** The last committed version (0 is the empty tree). */
  public long version() {
    return head.version();
  }

  /** The root of the last committed version. */
  public Fr committedRoot() {
    return head.root();
  }

  /** The pinned version, which stays revertible until the pin moves. */
  public long pinnedVersion() {
    return head.pinnedVersion();
  }

  /** The oldest version {@link #revertTo} can go back to. */
  public long oldestVersion() {
    return head.oldestVersion();
  }

  /** The root of a kept version ({@link #oldestVersion()} to {@link #version()}). */
  public Optional<Fr> rootAt(long version) {
    checkUsable();
    return store.readVersion(version).map(VersionRecord::root);
  }

  /** Whether there are changes not yet committed. */
  public boolean hasPendingChanges() {
    return pending[0].size() > 0;
  }

  /**
   * How many node hashes (2-to-1 compressions) updates have computed since the tree was opened: a
   * cheap counter for metrics, and the way tests check that a batch hashes each node once.
   */
  public long compressions() {
    return compressions;
  }

  /** The hash of an empty subtree whose root is at {@code level} (0 is an empty leaf, i.e. 0). */
  public Fr emptySubtreeRoot(int level) {
    Objects.checkIndex(level, depth + 1);
    return Fr.fromMontgomery(empty, level * L);
  }

  /**
   * The leaf at {@code index}, pending changes included (0 if the account does not exist).
   *
   * @throws IllegalArgumentException if the index is outside {@code 0 .. 2^depth - 1}
   */
  public Fr get(long index) {
    checkUsable();
    checkIndex(index);
    readNode(0, index, node, 0);
    return Fr.fromMontgomery(node, 0);
  }

  /**
   * A Merkle proof for the leaf at {@code index} against {@link #root()}. For an index whose leaf
   * is empty it is a proof of non-membership.
   *
   * @throws IllegalArgumentException if the index is outside {@code 0 .. 2^depth - 1}
   */
  public MerkleProof proof(long index) {
    checkUsable();
    checkIndex(index);
    readNode(0, index, node, 0);
    Fr leaf = Fr.fromMontgomery(node, 0);
    Fr[] siblings = new Fr[depth];
    for (int level = 0; level < depth; level++) {
      readNode(level, (index >>> level) ^ 1, sibling, 0);
      siblings[level] = Fr.fromMontgomery(sibling, 0);
    }
    return new MerkleProof(depth, index, leaf, Arrays.asList(siblings));
  }

  // ---------------------------------------------------------------- updates

  /**
   * Sets one leaf and rehashes its path ({@code depth} compressions). Pending until {@link
   * #commit}.
   *
   * @throws IllegalArgumentException if the index is outside {@code 0 .. 2^depth - 1}
   */
  public void put(long index, Fr leaf) {
    checkUsable();
    checkIndex(index);
    Objects.requireNonNull(leaf, "leaf");
    leaf.writeMontgomery(node, 0);
    pending[0].put(index, node, 0);
    long i = index;
    for (int level = 0; level < depth; level++) {
      readNode(level, i ^ 1, sibling, 0);
      if ((i & 1) == 0) {
        poseidon2.compress(node, 0, node, 0, sibling, 0, state);
      } else {
        poseidon2.compress(node, 0, sibling, 0, node, 0, state);
      }
      i >>>= 1;
      pending[level + 1].put(i, node, 0);
    }
    compressions += depth;
  }

  /**
   * Sets many leaves, hashing every touched node once: a node shared by several changed paths is
   * computed once, after all its changed descendants. Pending until {@link #commit}.
   *
   * @param indices distinct leaf indices
   * @param leaves the new values, {@code leaves[k]} for {@code indices[k]}
   * @throws IllegalArgumentException (changing nothing) if the arrays differ in length, an index
   *     is out of range, or an index repeats
   */
  public void putAll(long[] indices, Fr[] leaves) {
    checkUsable();
    Objects.requireNonNull(indices, "indices");
    Objects.requireNonNull(leaves, "leaves");
    int n = indices.length;
    if (leaves.length != n) {
      throw new IllegalArgumentException(n + " indices but " + leaves.length + " leaves");
    }
    if (sorted.length < n) {
      sorted = new long[Math.max(n, 2 * sorted.length)];
    }
    long[] level0 = sorted;
    System.arraycopy(indices, 0, level0, 0, n);
    Arrays.sort(level0, 0, n);
    for (int k = 0; k < n; k++) {
      checkIndex(level0[k]);
      if (k > 0 && level0[k] == level0[k - 1]) {
        throw new IllegalArgumentException("leaf index " + level0[k] + " appears twice in one batch");
      }
      Objects.requireNonNull(leaves[k], "leaves[" + k + "]");
    }
    for (int k = 0; k < n; k++) {
      leaves[k].writeMontgomery(node, 0);
      pending[0].put(indices[k], node, 0);
    }
    rehashFromLeaves(level0, n);
  }

  /**
   * Recomputes every ancestor of the given leaves, level by level. {@code idx[0..count)} holds the
   * sorted distinct leaf indices and is overwritten: parents are deduplicated in place (a sorted
   * list stays sorted under {@code >>> 1}, so equal parents are adjacent).
   */
  private void rehashFromLeaves(long[] idx, int count) {
    for (int level = 0; level < depth; level++) {
      int parents = 0;
      long previous = -1;
      for (int k = 0; k < count; k++) {
        long parent = idx[k] >>> 1;
        if (parent != previous) {
          idx[parents++] = parent;
          previous = parent;
        }
      }
      for (int k = 0; k < parents; k++) {
        long p = idx[k];
        readNode(level, p << 1, node, 0);
        readNode(level, (p << 1) | 1, right, 0);
        poseidon2.compress(node, 0, node, 0, right, 0, state);
        pending[level + 1].put(p, node, 0);
      }
      compressions += parents;
      count = parents;
    }
  }

  /** Drops all pending changes. */
  public void discard() {
    for (NodeMap map : pending) {
      map.clear();
    }
  }

  /**
   * Writes the pending changes to the store as one atomic, durable batch and returns the new
   * version (the previous version + 1; committing with no pending changes records a version with
   * the same root). Prunes history that is neither recent (see the constructor) nor needed to reach
   * the pinned version.
   *
   * @throws StoreException if the store fails; the tree is then unusable and must be reopened,
   *     which finds the store at either the previous or the new version
   */
  public long commit() {
    checkUsable();
    long newVersion = head.version() + 1;
    Fr newRoot = root();
    batch.clear();
    List<VersionRecord.LeafChange> undo = new ArrayList<>(pending[0].size());
    long[] previous = new long[L];
    pending[0].forEach(
        (index, limbs, offset) -> {
          if (!store.readNode(0, index, previous, 0)) {
            FrMath.setZero(previous, 0);
          }
          undo.add(new VersionRecord.LeafChange(index, Fr.fromMontgomery(previous, 0)));
        });
    addPendingNodes(batch);
    long pinned = head.pinnedVersion();
    long oldest = Math.max(head.oldestVersion(), Math.min(pinned, Math.max(0, newVersion - retainedVersions)));
    batch.addVersion(new VersionRecord(newVersion, newRoot, undo));
    batch.deleteVersions(head.oldestVersion(), oldest);
    StoreHead newHead = new StoreHead(depth, newVersion, newRoot, pinned, oldest);
    batch.setHead(newHead);
    writeOrFail(batch);
    head = newHead;
    discard();
    return newVersion;
  }

  /** Adds every pending node to the batch; nodes equal to their level's empty subtree are deleted. */
  private void addPendingNodes(StoreBatch b) {
    for (int level = 0; level <= depth; level++) {
      final int lvl = level;
      pending[level].forEach(
          (index, limbs, offset) -> {
            if (FrMath.equal(limbs, offset, empty, lvl * L)) {
              b.deleteNode(lvl, index);
            } else {
              b.putNode(lvl, index, limbs, offset);
            }
          });
    }
  }

  /**
   * Goes back to an earlier committed version, atomically: the leaves the later versions changed
   * get their old values, the recomputed root is checked against the one recorded for {@code
   * version}, and the later versions are forgotten. Reverting below the pinned version moves the
   * pin down to {@code version}.
   *
   * @throws IllegalStateException if there are pending changes (commit or discard them first)
   * @throws IllegalArgumentException if {@code version} is not between {@link #oldestVersion()}
   *     and {@link #version()}
   * @throws StoreException if the store's history does not reproduce the recorded root, or the
   *     store fails (the tree is then unusable and must be reopened)
   */
  public void revertTo(long version) {
    checkUsable();
    if (hasPendingChanges()) {
      throw new IllegalStateException("commit or discard pending changes before reverting");
    }
    if (version < head.oldestVersion() || version > head.version()) {
      throw new IllegalArgumentException(
          "cannot revert to version " + version + ": versions " + head.oldestVersion() + ".." + head.version() + " are kept");
    }
    if (version == head.version()) {
      return;
    }
    Map<Long, Fr> restore = new HashMap<>();
    for (long v = head.version(); v > version; v--) {
      final long missing = v;
      VersionRecord record =
          store.readVersion(v).orElseThrow(() -> new StoreException("the record of version " + missing + " is missing"));
      for (VersionRecord.LeafChange change : record.previousLeaves()) {
        restore.put(change.index(), change.previous()); // older versions overwrite newer ones
      }
    }
    Fr target =
        store
            .readVersion(version)
            .map(VersionRecord::root)
            .orElseThrow(() -> new StoreException("the record of version " + version + " is missing"));
    long[] indices = new long[restore.size()];
    Fr[] leaves = new Fr[restore.size()];
    int k = 0;
    for (Map.Entry<Long, Fr> e : restore.entrySet()) {
      indices[k] = e.getKey();
      leaves[k++] = e.getValue();
    }
    putAll(indices, leaves);
    Fr reverted = root();
    if (!reverted.equals(target)) {
      discard();
      throw new StoreException(
          "reverting to version " + version + " gives root " + reverted + " but the recorded root is " + target);
    }
    batch.clear();
    addPendingNodes(batch);
    batch.deleteVersions(version + 1, head.version() + 1);
    StoreHead newHead =
        new StoreHead(depth, version, target, Math.min(head.pinnedVersion(), version), head.oldestVersion());
    batch.setHead(newHead);
    writeOrFail(batch);
    head = newHead;
    discard();
  }

  /**
   * Pins a version (the root last verified on L1): it stays revertible, whatever the retention, until
   * the pin moves. Durable when this returns. Pending changes are unaffected.
   *
   * @throws IllegalArgumentException if {@code version} is not between {@link #oldestVersion()}
   *     and {@link #version()}
   */
  public void pin(long version) {
    checkUsable();
    if (version < head.oldestVersion() || version > head.version()) {
      throw new IllegalArgumentException(
          "cannot pin version " + version + ": versions " + head.oldestVersion() + ".." + head.version() + " are kept");
    }
    StoreHead newHead = new StoreHead(depth, head.version(), head.root(), version, head.oldestVersion());
    batch.clear();
    batch.setHead(newHead);
    writeOrFail(batch);
    head = newHead;
  }

  // ---------------------------------------------------------------- audit

  /**
   * Every non-empty committed leaf, by index. Reads the whole leaf level: for audits and tests, not
   * for the hot path.
   */
  public SortedMap<Long, Fr> committedLeaves() {
    checkUsable();
    SortedMap<Long, Fr> leaves = new TreeMap<>();
    store.forEachNode(0, (index, limbs, offset) -> leaves.put(index, Fr.fromMontgomery(limbs, offset)));
    return leaves;
  }

  /**
   * Recomputes the committed root from the committed leaves alone and checks it against the head
   * and the stored root node, e.g. after reopening a store that went through a crash.
   *
   * @return the recomputed root
   * @throws StoreException if they differ
   */
  public Fr verifyIntegrity() {
    SortedMap<Long, Fr> leaves = committedLeaves();
    StateTree scratch = new StateTree(new InMemoryTreeStore(depth), poseidon2, 0);
    long[] indices = new long[leaves.size()];
    Fr[] values = new Fr[leaves.size()];
    int k = 0;
    for (Map.Entry<Long, Fr> e : leaves.entrySet()) {
      indices[k] = e.getKey();
      values[k++] = e.getValue();
    }
    scratch.putAll(indices, values);
    Fr recomputed = scratch.root();
    if (!recomputed.equals(head.root()) || !recomputed.equals(committedNode(depth, 0))) {
      throw new StoreException(
          "the committed leaves hash to " + recomputed + " but the head root is " + head.root() + " (version " + head.version() + ")");
    }
    return recomputed;
  }

  // ---------------------------------------------------------------- internals

  /** Node (level, index) with pending changes: pending map, else store, else the empty subtree. */
  private void readNode(int level, long index, long[] dst, int offset) {
    if (pending[level].get(index, dst, offset) || store.readNode(level, index, dst, offset)) {
      return;
    }
    FrMath.copy(dst, offset, empty, level * L);
  }

  private Fr committedNode(int level, long index) {
    long[] t = new long[L];
    if (!store.readNode(level, index, t, 0)) {
      FrMath.copy(t, 0, empty, level * L);
    }
    return Fr.fromMontgomery(t, 0);
  }

  private void checkIndex(long index) {
    if (index < 0 || (depth < 63 && (index >>> depth) != 0)) {
      throw new IllegalArgumentException(
          "leaf index " + index + " is outside 0..2^" + depth + "-1");
    }
  }

  private void writeOrFail(StoreBatch b) {
    try {
      store.write(b);
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  private void checkUsable() {
    if (failed) {
      throw new IllegalStateException("a store write failed; reopen the tree to learn which version it holds");
    }
  }
}
