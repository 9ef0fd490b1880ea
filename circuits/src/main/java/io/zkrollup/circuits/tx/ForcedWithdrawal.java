package io.zkrollup.circuits.tx;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A forced withdrawal from the L1 priority queue (docs/protocol.md, "The circuit's rules for a
 * forced withdrawal" and "Protocol v3"): {@code requester} asks L1 to take {@code amount} of {@code
 * token} out of account {@code account}. Anyone may ask; it is paid (the account debited, L1
 * crediting the requester in that token) exactly when the account exists, the requester is its
 * owner, it holds that token and the amount is at most its balance, and refused otherwise ({@link
 * TxRules#forcedWithdrawal}). No fee, no nonce: the owner signs nothing.
 *
 * @param account the account index, {@code < 2^32}
 * @param requester the L1 address that asked (paid only if it owns the account)
 * @param amount the exact amount in the token's smallest unit, {@code < 2^128}
 * @param token the token asked for, {@code < 2^16}; 0 is ETH
 */
public record ForcedWithdrawal(long account, L1Address requester, BigInteger amount, int token) implements PriorityOp {

  /** The priority kind of a forced withdrawal. */
  public static final int KIND = 1;

  /** Why a forced withdrawal is refused. */
  public enum Refusal {
    /** The account's leaf is empty. */
    EMPTY_ACCOUNT,
    /** The requester is not the account's owner. */
    NOT_OWNER,
    /** The account holds another token than the one asked for. */
    WRONG_TOKEN,
    /** The amount is more than the account's balance. */
    EXCEEDS_BALANCE
  }

  /**
   * Validates the ranges.
   *
   * @throws IllegalArgumentException if the index is not 32 bits, the amount not below 2^128 or
   *     the token not below 2^16
   */
  public ForcedWithdrawal {
    Ranges.checkU32("account", account);
    Objects.requireNonNull(requester, "requester");
    Ranges.checkBits("forced withdrawal amount", amount, Ranges.AMOUNT_BITS);
    Ranges.checkToken("token", token);
  }

  /** A forced withdrawal of ETH (token 0). */
  public ForcedWithdrawal(long account, L1Address requester, BigInteger amount) {
    this(account, requester, amount, 0);
  }

  @Override
  public int kind() {
    return KIND;
  }
}
