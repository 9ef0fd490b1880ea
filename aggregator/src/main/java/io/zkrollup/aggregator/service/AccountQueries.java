package io.zkrollup.aggregator.service;

import io.zkrollup.aggregator.batch.BatchSealer;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.field.Fr;
import java.util.Optional;

/** Reads accounts: as every accepted transaction left them, and in the last built batch's tree. */
public interface AccountQueries {

  /** The index of the account holding {@code keyHash} (the lowest if several do), if one exists. */
  Optional<Long> indexOf(Fr keyHash);

  /**
   * The indices of every account holding {@code keyHash}, ascending, from {@code fromIndex} on, at
   * most {@code limit} of them (a new array).
   */
  long[] indicesOf(Fr keyHash, long fromIndex, int limit);

  /** The account after every accepted transaction, if it exists. */
  Optional<AccountLeaf> pendingAccount(long index);

  /** The built tree's version and root, with the account and its Merkle proof. */
  BatchSealer.TreeView treeView(long index);
}
