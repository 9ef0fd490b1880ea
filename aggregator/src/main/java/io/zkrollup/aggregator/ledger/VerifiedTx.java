package io.zkrollup.aggregator.ledger;

import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.statetree.field.Fr;
import java.util.Objects;

/**
 * A signed op whose signature has been checked, with the two hashes the later stages need.
 *
 * @param signed the op, its signer's key and signature
 * @param txHash the signed message, which identifies the transaction
 * @param keyHash {@code compress(pkX, pkY)} of the signer's key, compared with the account's
 */
public record VerifiedTx(SignedOp signed, Fr txHash, Fr keyHash) {

  /** Checks for nulls. */
  public VerifiedTx {
    Objects.requireNonNull(signed, "signed");
    Objects.requireNonNull(txHash, "txHash");
    Objects.requireNonNull(keyHash, "keyHash");
  }
}
