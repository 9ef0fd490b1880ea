package io.zkrollup.circuits.tx;

import java.util.Objects;

/**
 * An op that breaks one of {@link TxRules}: which rule, for programs, and a message for people
 * naming the values.
 *
 * @param reason the rule that was broken
 * @param message what was wrong, naming the account and the values
 */
public record TxViolation(Reason reason, String message) implements TxRules.Outcome {

  /**
   * The rules an op can break against the accounts it touches. The node's status codes map onto
   * these one to one (the aggregator's {@code RejectReason.of}).
   */
  public enum Reason {
    /** The signer or the transfer's receiver has no account (an index outside the tree has none). */
    UNKNOWN_ACCOUNT,
    /** The signer's key is not the account's; or a deposit names another account (key, owner or token) than the one at its index. */
    WRONG_KEY,
    /**
     * The op's token is not its signer account's, or a transfer's receiver holds another token
     * (protocol v3: an account holds one token, and a transfer stays within it).
     */
    TOKEN_MISMATCH,
    /** The nonce is below the account's, or the account has used every nonce. */
    NONCE_REPLAYED,
    /** The nonce is above the account's. */
    NONCE_GAP,
    /** The batch fee is above the signed max fee. */
    FEE_TOO_LOW,
    /** The balance is below amount plus fee. */
    INSUFFICIENT_BALANCE,
    /** A balance would reach 2^128. */
    BALANCE_OVERFLOW,
    /** A priority op's (or the operator's) index is outside the tree of depth D. */
    INDEX_OUTSIDE_TREE
  }

  /** Checks for nulls. */
  public TxViolation {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }
}
