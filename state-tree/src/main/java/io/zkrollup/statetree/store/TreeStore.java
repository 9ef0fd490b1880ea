package io.zkrollup.statetree.store;

import io.zkrollup.statetree.field.FrMath;
import java.util.Optional;

/**
 * Where a state tree keeps its committed nodes, version records and head.
 *
 * <p>A store holds only non-empty nodes: a node that is absent is the empty subtree of its level.
 * Node values cross this interface as {@link FrMath} limbs so that reads on the hot path allocate
 * nothing. {@link #write} applies a whole {@link StoreBatch} atomically: after a crash the store
 * holds either all of a batch or none of it. Implementations are used by one thread at a time (the
 * tree's), and need not be thread-safe.
 */
public interface TreeStore extends AutoCloseable {

  /** The depth of the tree this store holds. */
  int depth();

  /** The committed head, or empty for a store that was never written. */
  Optional<StoreHead> head();

  /**
   * Copies node (level, index) into {@code dst[offset..offset+LIMBS-1]}.
   *
   * @return false (writing nothing) if the node is absent, i.e. an empty subtree
   */
  boolean readNode(int level, long index, long[] dst, int offset);

  /** The record of a committed version, if it is still kept. */
  Optional<VersionRecord> readVersion(long version);

  /** Visits every stored node of one level (for audits; not a hot path). */
  void forEachNode(int level, NodeMap.EntryVisitor visitor);

  /**
   * Applies the batch atomically and durably: when this returns, all of it survives a crash. If it
   * throws, the batch may or may not have been applied (a disk can fail after the write reached
   * it), but never in part; the caller must reopen the store to learn which.
   */
  void write(StoreBatch batch);

  /** Releases the store's resources. */
  @Override
  void close();
}
