package io.zkrollup.circuits.tx;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A forced withdrawal from the L1 priority queue (docs/protocol.md, "The circuit's rules for a
 * forced withdrawal"): {@code requester} asks L1 to take {@code amount} out of account {@code
 * account}. Anyone may ask; it is paid (the account debited, L1 crediting the requester) exactly
 * when the account exists, the requester is its owner and the amount is at most its balance, and
 * refused otherwise ({@link TxRules#forcedWithdrawal}). No fee, no nonce: the owner signs nothing.
 *
 * @param account the account index, {@code < 2^32}
 * @param requester the L1 address that asked (paid only if it owns the account)
 * @param amount the exact amount in wei, {@code < 2^128}
 */
public record ForcedWithdrawal(long account, L1Address requester, BigInteger amount) implements PriorityOp {

  /** The priority kind of a forced withdrawal. */
  public static final int KIND = 1;

  /** Why a forced withdrawal is refused. */
  public enum Refusal {
    /** The account's leaf is empty. */
    EMPTY_ACCOUNT,
    /** The requester is not the account's owner. */
    NOT_OWNER,
    /** The amount is more than the account's balance. */
    EXCEEDS_BALANCE
  }

  /**
   * Validates the ranges.
   *
   * @throws IllegalArgumentException if the index is not 32 bits or the amount not below 2^128
   */
  public ForcedWithdrawal {
    Ranges.checkU32("account", account);
    Objects.requireNonNull(requester, "requester");
    Ranges.checkBits("forced withdrawal amount", amount, Ranges.AMOUNT_BITS);
  }

  @Override
  public int kind() {
    return KIND;
  }
}
