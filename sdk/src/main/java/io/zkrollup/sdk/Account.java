package io.zkrollup.sdk;

import java.util.Objects;

/**
 * An account as of every transaction the node acknowledged (sealed or not): what a wallet needs for
 * its next nonce. {@link RollupClient#findAccounts} lists them.
 *
 * @param index the account's index in the state tree
 * @param state its values
 */
public record Account(long index, AccountState state) {

  /** Checks for null. */
  public Account {
    Objects.requireNonNull(state, "state");
  }
}
