package io.zkrollup.sdk;

import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.Objects;

/**
 * An account's leaf values (protocol v2: docs/protocol.md, "Accounts have an owner").
 *
 * @param keyHash the key that signs for it, {@code compress(pkX, pkY)}
 * @param owner the L1 address that may force a withdrawal from it or exit it
 * @param token the token (0: ETH)
 * @param balance in the token's smallest unit
 * @param nonce the next nonce a transaction from it must carry
 */
public record AccountState(Fr keyHash, L1Address owner, long token, BigInteger balance, long nonce) {

  /** Checks for null. */
  public AccountState {
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(balance, "balance");
  }
}
