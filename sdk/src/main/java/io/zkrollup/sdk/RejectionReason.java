package io.zkrollup.sdk;

/**
 * Why the node refused a request: the {@code reason} of the {@code google.rpc.ErrorInfo} in its
 * status (domain {@value RollupException#ERROR_DOMAIN}). The names are the node's, and where the
 * reason is a transaction rule they are the rule's name in {@code circuits}' {@code
 * TxViolation.Reason}. docs/operations.md, "Errors", gives each one's gRPC status code.
 */
public enum RejectionReason {
  /** Missing fields, wrong lengths, values out of range, keys or signatures that do not decode, an empty list. */
  MALFORMED,
  /** The signature does not verify for the op, its key and the node's rollup id. */
  BAD_SIGNATURE,
  /** The public key is not the signer account's key. */
  WRONG_KEY,
  /** The nonce is below the account's next nonce: it was used (perhaps by this very transaction, resubmitted). */
  NONCE_REPLAYED,
  /** The nonce is above the account's next nonce. */
  NONCE_GAP,
  /** The balance does not cover amount plus fee. */
  INSUFFICIENT_BALANCE,
  /** An amount is not representable, or a balance would reach 2^128. */
  AMOUNT_OVERFLOW,
  /** The signer or the receiver does not exist; or the account a query asked for (NOT_FOUND). */
  UNKNOWN_ACCOUNT,
  /** The op's token is not its signer account's, or a transfer's receiver holds another token. */
  TOKEN_MISMATCH,
  /** The node takes no ops of the op's token: its operator has no account of that token to collect fees in. */
  TOKEN_NOT_SERVED,
  /** The signed max fee is below the node's batch fee of the op's token. */
  FEE_TOO_LOW,
  /** A list longer than the node accepts ({@link NodeStatus#maxListSize()}). */
  LIST_TOO_LONG,
  /** A withdrawal to the zero L1 address, from which nobody could ever claim the amount. */
  ZERO_L1_ADDRESS,
  /** The node's ingestion ring is full: retry with backoff ({@link ResourceExhaustedException}). */
  BUSY,
  /** The node stopped accepting: shutting down, halted on a storage failure, or L1 is in exodus ({@link NodeUnavailableException}). */
  NODE_HALTED,
  /** The node has accepted no transaction with the hash a status query asked for (NOT_FOUND). */
  UNKNOWN_TRANSACTION,
  /** No batch with the number a query asked for is built yet (NOT_FOUND). */
  UNKNOWN_BATCH,
  /** A reason this version of the SDK does not know (a newer node): read the exception's message. */
  UNKNOWN;

  /** The reason named {@code name}, or {@link #UNKNOWN}. */
  static RejectionReason named(String name) {
    for (RejectionReason r : values()) {
      if (r != UNKNOWN && r.name().equals(name)) {
        return r;
      }
    }
    return UNKNOWN;
  }
}
