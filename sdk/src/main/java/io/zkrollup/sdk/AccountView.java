package io.zkrollup.sdk;

import io.zkrollup.statetree.field.Fr;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One account as the node sees it: after every acknowledged transaction, and in the state tree of
 * the last built batch with its Merkle proof.
 *
 * @param index the account's index
 * @param pending after every acknowledged transaction, sealed or not
 * @param sealed the leaf in the tree after {@code sealedBatches} batches; empty if the account is
 *     not in it yet (the proof then shows an empty leaf)
 * @param sealedBatches how many batches the tree holds
 * @param stateRoot the root the proof is against
 * @param merkleSiblings the proof's siblings, leaf level first
 */
public record AccountView(long index, Optional<AccountState> pending, Optional<AccountState> sealed, long sealedBatches, Fr stateRoot, List<Fr> merkleSiblings) {

  /** Checks for null; copies the list. */
  public AccountView {
    Objects.requireNonNull(pending, "pending");
    Objects.requireNonNull(sealed, "sealed");
    Objects.requireNonNull(stateRoot, "stateRoot");
    merkleSiblings = List.copyOf(merkleSiblings);
  }
}
