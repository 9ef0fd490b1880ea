package io.zkrollup.circuits.tx;

import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules an op must pass against the accounts it touches, and what it makes of them
 * (docs/protocol.md, "Operations", "Protocol v2" and "Protocol v3"): the one definition that the sequencer's
 * ledger (which refuses a submission) and the batch builder (which refuses a batch) both call, so
 * that a batch of admitted ops always builds and proves. The circuit enforces the same rules.
 *
 * <p>Pure functions: they read the accounts as they stand through {@link Accounts}, change nothing,
 * and return either the accounts as the op leaves them or the first rule it breaks. The rules are
 * checked in a fixed order, so the first violation is the same wherever they run.
 *
 * <p>Signatures are not a rule here: whether a key signed the op is the signature check's question
 * ({@link SignatureVerifier}), asked once, before an op is admitted. These rules take the hash of the
 * key the op was signed with.
 */
public final class TxRules {

  private TxRules() {}

  /**
   * The accounts as they stand, by index. The rules read only indices inside the tree.
   */
  @FunctionalInterface
  public interface Accounts {
    /** The account at {@code index} (inside the tree), or null if the leaf is empty. */
    AccountLeaf at(long index);
  }

  /**
   * What the rules decide for one op: the accounts it leaves behind, or the rule it breaks; for a
   * forced withdrawal, paid or refused (a refusal is no violation: the request is processed).
   */
  public sealed interface Outcome permits Applied, Credited, Paid, Refused, TxViolation {

    /** The violation, or empty if the op passes. */
    default Optional<TxViolation> violation() {
      return this instanceof TxViolation v ? Optional.of(v) : Optional.empty();
    }
  }

  /**
   * A signed op that passes: its accounts after it.
   *
   * @param signer the signer after paying the amount (and the fee, if it paid it) and using its nonce
   * @param receiver a transfer's receiver after it is credited (after a self-transfer the signer's
   *     account, debited and credited: write it after {@code signer}); null for a withdrawal
   */
  public record Applied(AccountLeaf signer, AccountLeaf receiver) implements Outcome {

    /** Checks the signer for null. */
    public Applied {
      Objects.requireNonNull(signer, "signer");
    }
  }

  /**
   * A credit that passes (a deposit, the operator's fees): the account after it.
   *
   * @param account the credited account (for a deposit to an empty leaf, the new account)
   */
  public record Credited(AccountLeaf account) implements Outcome {

    /** Checks for null. */
    public Credited {
      Objects.requireNonNull(account, "account");
    }
  }

  /**
   * A forced withdrawal that is paid: L1 credits the requester with the amount.
   *
   * @param account the account after it is debited (nonce unchanged, no fee)
   */
  public record Paid(AccountLeaf account) implements Outcome {

    /** Checks for null. */
    public Paid {
      Objects.requireNonNull(account, "account");
    }
  }

  /**
   * A forced withdrawal that is refused: nothing changes, and the queue moves on.
   *
   * @param reason why
   * @param message why, naming the account and the values
   */
  public record Refused(ForcedWithdrawal.Refusal reason, String message) implements Outcome {

    /** Checks for nulls. */
    public Refused {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }

  /** Whether {@code index} is a leaf of a tree of depth {@code depth}. */
  public static boolean inTree(long index, int depth) {
    return index >= 0 && (depth >= 63 || (index >>> depth) == 0);
  }

  /**
   * Whether a signed op pays the batch fee (docs/protocol.md, "The circuit's token rules"): exactly
   * when its token is the batch's fee token, the operator account's token. A signed op of another
   * token pays nothing; the operator is credited the fee once per op that paid it.
   *
   * @param op the op (its token is its signer's, {@link #signed} checks)
   * @param feeToken the batch's fee token
   */
  public static boolean paysFee(SignableOp op, long feeToken) {
    return op.token() == feeToken;
  }

  /**
   * The rules of a transfer or withdrawal, in this order: the signer exists (inside the tree), the
   * op's key is the account's ({@code keyHash}), the op's token is the account's, the nonce is the
   * account's (below it: replayed; above: a gap), the account has a nonce left; if the op pays the
   * fee ({@link #paysFee}), the batch fee is at most the signed max fee; the balance covers the
   * amount (plus the fee if it pays it); for a transfer, the receiver exists (inside the tree; it
   * may be the signer, who is then debited first), holds the same token, and its balance stays
   * below 2^128.
   *
   * @param accounts the accounts as they stand before the op
   * @param op the op
   * @param keyHash {@code compress(pkX, pkY)} of the key that signed the op
   * @param fee the batch fee
   * @param feeToken the batch's fee token (the operator account's token)
   * @param depth the tree's depth D
   * @return {@link Applied} with the accounts after the op, or the first {@link TxViolation}
   */
  public static Outcome signed(Accounts accounts, SignableOp op, Fr keyHash, BigInteger fee, long feeToken, int depth) {
    long from = op.from();
    AccountLeaf signer = inTree(from, depth) ? accounts.at(from) : null;
    if (signer == null) {
      return new TxViolation(
          TxViolation.Reason.UNKNOWN_ACCOUNT, what(op) + " from account " + from + ", which does not exist" + outside(from, depth));
    }
    if (!signer.keyHash().equals(keyHash)) {
      return new TxViolation(TxViolation.Reason.WRONG_KEY, "the " + what(op) + "'s public key is not the key of account " + from);
    }
    if (op.token() != signer.token()) {
      return new TxViolation(
          TxViolation.Reason.TOKEN_MISMATCH, "the " + what(op) + " is of token " + op.token() + " but account " + from + " holds token " + signer.token());
    }
    long nonce = op.nonce();
    long next = signer.nonce();
    if (nonce < next) {
      return new TxViolation(TxViolation.Reason.NONCE_REPLAYED, "nonce " + nonce + " of account " + from + " is used; the next is " + next);
    }
    if (nonce > next) {
      return new TxViolation(TxViolation.Reason.NONCE_GAP, "nonce " + nonce + " skips ahead; account " + from + " expects " + next);
    }
    if (next == Long.MAX_VALUE) {
      return new TxViolation(TxViolation.Reason.NONCE_REPLAYED, "account " + from + " has used every nonce below 2^63");
    }
    boolean pays = paysFee(op, feeToken);
    if (pays && fee.compareTo(op.maxFee()) > 0) {
      return new TxViolation(
          TxViolation.Reason.FEE_TOO_LOW, "the " + what(op) + "'s signed max fee " + op.maxFee() + " is below the batch fee " + fee);
    }
    BigInteger cost = pays ? op.amount().add(fee) : op.amount();
    if (signer.balance().compareTo(cost) < 0) {
      return new TxViolation(
          TxViolation.Reason.INSUFFICIENT_BALANCE,
          "account " + from + " has " + signer.balance() + ", less than " + (pays ? "amount + fee = " : "the amount ") + cost);
    }
    AccountLeaf debited = signer.withBalance(signer.balance().subtract(cost)).withNonce(next + 1);
    if (!(op instanceof Transfer t)) {
      return new Applied(debited, null);
    }
    long to = t.to();
    // The circuit debits the signer before it opens the receiver: a self-transfer credits the debited account.
    AccountLeaf receiver = to == from ? debited : inTree(to, depth) ? accounts.at(to) : null;
    if (receiver == null) {
      return new TxViolation(TxViolation.Reason.UNKNOWN_ACCOUNT, "transfer to account " + to + ", which does not exist" + outside(to, depth));
    }
    if (receiver.token() != signer.token()) {
      return new TxViolation(
          TxViolation.Reason.TOKEN_MISMATCH,
          "transfer of token " + signer.token() + " to account " + to + ", which holds token " + receiver.token());
    }
    BigInteger credited = receiver.balance().add(t.amount());
    if (credited.bitLength() > AccountLeaf.BALANCE_BITS) {
      return overflow("account " + to + "'s balance after the transfer", credited);
    }
    return new Applied(debited, receiver.withBalance(credited));
  }

  /**
   * The rules of a deposit from the L1 queue: its index is inside the tree, an existing account is
   * the deposit's (its key hash, owner and token, so its idHash), and the balance stays below
   * 2^128. An empty leaf becomes the deposit's account (of its token) with nonce 0.
   *
   * @param accounts the accounts as they stand before the deposit
   * @param deposit the deposit
   * @param depth the tree's depth D
   * @return {@link Credited} with the account after the deposit, or the first {@link TxViolation}
   */
  public static Outcome deposit(Accounts accounts, Deposit deposit, int depth) {
    long to = deposit.to();
    if (!inTree(to, depth)) {
      return new TxViolation(TxViolation.Reason.INDEX_OUTSIDE_TREE, "deposit to index " + to + ", outside the tree of depth " + depth);
    }
    AccountLeaf existing = accounts.at(to);
    if (existing != null && !existing.isAccountOf(deposit.keyHash(), deposit.owner().owner(), deposit.token())) {
      return new TxViolation(
          TxViolation.Reason.WRONG_KEY,
          "deposit to account " + to + " is for key hash " + deposit.keyHash() + " owned by " + deposit.owner() + " (token " + deposit.token()
              + ") but the account is key hash " + existing.keyHash() + " owned by " + existing.owner() + " (token " + existing.token() + ")");
    }
    BigInteger balance = existing == null ? deposit.amount() : existing.balance().add(deposit.amount());
    if (balance.bitLength() > AccountLeaf.BALANCE_BITS) {
      return overflow("account " + to + "'s balance after the deposit", balance);
    }
    return new Credited(
        existing == null ? new AccountLeaf(deposit.keyHash(), deposit.owner().owner(), deposit.token(), balance, 0) : existing.withBalance(balance));
  }

  /**
   * The rule of a forced withdrawal (docs/protocol.md, "The circuit's rules for a forced
   * withdrawal" and "Protocol v3"), as the circuit decides it: paid exactly when the account exists,
   * the requester is its owner, it holds the requested token and the amount is at most its balance
   * (the circuit's {@code ownerToken == requester·2^32 + token} and {@code amount ≤ balance});
   * otherwise refused, for the first of these that fails, in that order. Paid debits the amount and
   * nothing else.
   *
   * @param accounts the accounts as they stand before the request
   * @param request the forced withdrawal
   * @param depth the tree's depth D
   * @return {@link Paid} with the debited account, {@link Refused}, or a {@link TxViolation} if the
   *     index is outside the tree (the L1 contract accepts only indices below 2^D)
   */
  public static Outcome forcedWithdrawal(Accounts accounts, ForcedWithdrawal request, int depth) {
    long index = request.account();
    if (!inTree(index, depth)) {
      return new TxViolation(
          TxViolation.Reason.INDEX_OUTSIDE_TREE, "forced withdrawal from index " + index + ", outside the tree of depth " + depth);
    }
    AccountLeaf account = accounts.at(index);
    if (account == null) {
      return new Refused(ForcedWithdrawal.Refusal.EMPTY_ACCOUNT, "forced withdrawal from account " + index + ", which does not exist");
    }
    if (!account.owner().equals(request.requester().owner())) {
      return new Refused(
          ForcedWithdrawal.Refusal.NOT_OWNER,
          "forced withdrawal from account " + index + " by " + request.requester() + ", but the account's owner is " + account.owner());
    }
    if (account.token() != request.token()) {
      return new Refused(
          ForcedWithdrawal.Refusal.WRONG_TOKEN,
          "forced withdrawal of token " + request.token() + " from account " + index + ", which holds token " + account.token());
    }
    if (account.balance().compareTo(request.amount()) < 0) {
      return new Refused(
          ForcedWithdrawal.Refusal.EXCEEDS_BALANCE,
          "forced withdrawal of " + request.amount() + " from account " + index + ", which has " + account.balance());
    }
    return new Paid(account.withBalance(account.balance().subtract(request.amount())));
  }

  /**
   * The batch's fee token: the token of the operator's account (docs/protocol.md, "The circuit's
   * token rules"), which must exist (inside the tree) when a signed op is applied.
   *
   * @param accounts the accounts as they stand
   * @param operator the operator's index
   * @param depth the tree's depth D
   * @return the fee token, or the {@link TxViolation} if there is no operator account
   */
  public static FeeToken feeToken(Accounts accounts, long operator, int depth) {
    AccountLeaf account = inTree(operator, depth) ? accounts.at(operator) : null;
    if (account == null) {
      return new FeeToken(
          -1,
          new TxViolation(
              TxViolation.Reason.UNKNOWN_ACCOUNT,
              "the operator account " + operator + " does not exist" + outside(operator, depth) + ", so the batch has no fee token"));
    }
    return new FeeToken(account.token(), null);
  }

  /**
   * A batch's fee token, or why it has none.
   *
   * @param token the fee token (valid when {@code violation} is null)
   * @param violation why there is none, or null
   */
  public record FeeToken(long token, TxViolation violation) {}

  /**
   * The rule after a batch's last slot: the operator exists (inside the tree) and can receive
   * {@code fee × payingOps} without its balance reaching 2^128.
   *
   * @param accounts the accounts as they stand after the batch's last slot
   * @param operator the operator's index
   * @param fee the batch fee
   * @param payingOps how many signed ops of the batch paid the fee ({@link #paysFee})
   * @param depth the tree's depth D
   * @return {@link Credited} with the operator after the credit, or the first {@link TxViolation}
   */
  public static Outcome creditOperator(Accounts accounts, long operator, BigInteger fee, int payingOps, int depth) {
    if (!inTree(operator, depth)) {
      return new TxViolation(
          TxViolation.Reason.INDEX_OUTSIDE_TREE, "the operator index " + operator + " is outside the tree of depth " + depth);
    }
    AccountLeaf account = accounts.at(operator);
    if (account == null) {
      return new TxViolation(TxViolation.Reason.UNKNOWN_ACCOUNT, "the operator account " + operator + " does not exist");
    }
    BigInteger balance = account.balance().add(fee.multiply(BigInteger.valueOf(payingOps)));
    if (balance.bitLength() > AccountLeaf.BALANCE_BITS) {
      return overflow("the operator's balance after " + payingOps + " fees", balance);
    }
    return new Credited(account.withBalance(balance));
  }

  private static TxViolation overflow(String what, BigInteger balance) {
    return new TxViolation(TxViolation.Reason.BALANCE_OVERFLOW, what + " would be " + balance + ", not below 2^128");
  }

  /** "transfer" or "withdrawal", built only for a message (the accepted path allocates no strings). */
  private static String what(SignableOp op) {
    return op.opCode().name().toLowerCase(Locale.ROOT);
  }

  private static String outside(long index, int depth) {
    return inTree(index, depth) ? "" : " (index " + index + " is outside the tree of depth " + depth + ")";
  }
}
