package io.zkrollup.aggregator.ledger;

import io.zkrollup.circuits.tx.TxViolation;

/**
 * Why the node refused a call: a transaction, a list, or a query. Each reason has its own gRPC
 * status code (see {@code TxStatusCodes} in the grpc package and docs/operations.md); programs read
 * the reason's name from the status's {@code ErrorInfo}.
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
  /** The signer or the receiver does not exist; or, in {@code GetAccount}, the asked-for account. */
  UNKNOWN_ACCOUNT,
  /** The op's token is not its signer account's, or a transfer's receiver holds another token. */
  TOKEN_MISMATCH,
  /**
   * The node takes no ops of the op's token: its operator has no account of that token to collect
   * fees in (the token is not listed on L1, or its fee account is not created yet).
   */
  TOKEN_NOT_SERVED,
  /** The signed max fee is below the node's batch fee. */
  FEE_TOO_LOW,
  /** A list longer than the node accepts. */
  LIST_TOO_LONG,
  /**
   * A withdrawal to the zero L1 address: nobody holds its key, so nobody could ever claim the
   * amount on L1 (a payment to it would burn it).
   */
  ZERO_L1_ADDRESS,
  /** The ingestion ring is full: retry later. */
  BUSY,
  /** The node stopped accepting (shutting down, or halted on a storage failure). */
  NODE_HALTED,
  /** {@code GetTransactionStatus}: the node has accepted no transaction with the hash. */
  UNKNOWN_TRANSACTION,
  /** {@code GetBatchData}: no batch with the number is built (yet). */
  UNKNOWN_BATCH;

  /**
   * The reason a client sees when an op breaks one of the transaction rules: one reason per rule
   * (no two rules share one), so the status codes and {@code ErrorInfo} reasons say which rule.
   */
  public static RejectReason of(TxViolation.Reason rule) {
    return switch (rule) {
      case UNKNOWN_ACCOUNT -> UNKNOWN_ACCOUNT;
      case WRONG_KEY -> WRONG_KEY;
      case TOKEN_MISMATCH -> TOKEN_MISMATCH;
      case NONCE_REPLAYED -> NONCE_REPLAYED;
      case NONCE_GAP -> NONCE_GAP;
      case FEE_TOO_LOW -> FEE_TOO_LOW;
      case INSUFFICIENT_BALANCE -> INSUFFICIENT_BALANCE;
      case BALANCE_OVERFLOW -> AMOUNT_OVERFLOW;
      // Only a deposit (from L1 or the genesis file) can name an index outside the tree: bad input.
      case INDEX_OUTSIDE_TREE -> MALFORMED;
    };
  }
}
