package io.zkrollup.aggregator.ledger;

/**
 * Why the node refused a transaction. Each reason has its own gRPC status code (see {@code
 * TxStatusCodes} in the grpc package and docs/operations.md); programs read the reason's name from
 * the status's {@code ErrorInfo}.
 */
public enum RejectReason {
  /** Missing fields, wrong lengths, values out of range, keys or signatures that do not decode. */
  MALFORMED,
  /** The signature does not verify for the op, key and rollup. */
  BAD_SIGNATURE,
  /** The public key is not the signer account's key. */
  WRONG_KEY,
  /** The nonce is below the account's: the op (or another with that nonce) was already accepted. */
  NONCE_REPLAYED,
  /** The nonce is above the account's next nonce. */
  NONCE_GAP,
  /** The balance does not cover amount plus fee. */
  INSUFFICIENT_BALANCE,
  /** An amount is not representable, or a balance would reach 2^128. */
  AMOUNT_OVERFLOW,
  /** The signer or the receiver does not exist. */
  UNKNOWN_ACCOUNT,
  /** The signed max fee is below the node's batch fee. */
  FEE_TOO_LOW,
  /** A list longer than the node accepts. */
  LIST_TOO_LONG,
  /** The ingestion ring is full: retry later. */
  BUSY,
  /** The node stopped accepting (shutting down, or halted on a storage failure). */
  NODE_HALTED
}
