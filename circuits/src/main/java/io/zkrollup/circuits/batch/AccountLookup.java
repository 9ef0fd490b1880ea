package io.zkrollup.circuits.batch;

import io.zkrollup.statetree.AccountLeaf;
import java.util.Optional;

/**
 * The accounts behind a state tree's leaves, by index: the tree stores only leaf hashes, so the
 * batch builder reads balances, nonces and key hashes here and checks each against the tree.
 */
@FunctionalInterface
public interface AccountLookup {

  /** The account at {@code index}, or empty if the leaf is empty. */
  Optional<AccountLeaf> get(long index);
}
