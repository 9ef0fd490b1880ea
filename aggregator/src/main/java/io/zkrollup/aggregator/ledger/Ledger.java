package io.zkrollup.aggregator.ledger;

import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.SignableOp;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.circuits.tx.VerifiedOp;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every account as of every accepted transaction: the sequencer's view, ahead of the state tree
 * (which only changes when a batch is built). It applies the same rules as the circuit and {@code
 * BatchBuilder}, in the same order, so that a batch of admitted ops always builds.
 *
 * <p>One thread writes (the sequencer's); any thread may read single accounts.
 */
public final class Ledger {

  private final int depth;
  private final BigInteger fee;
  private final long operator;
  private final ConcurrentHashMap<Long, AccountLeaf> accounts = new ConcurrentHashMap<>();

  /**
   * @param depth the state tree's depth: accounts live at indices below 2^depth
   * @param fee the batch fee every signed op pays
   * @param operator the account credited with the fees when a batch is cut
   * @param initial the accounts to start from (those of the last built batch)
   */
  public Ledger(int depth, BigInteger fee, long operator, Map<Long, AccountLeaf> initial) {
    this.depth = depth;
    this.fee = Objects.requireNonNull(fee, "fee");
    this.operator = operator;
    accounts.putAll(initial);
  }

  /** The account at {@code index}, or empty. */
  public Optional<AccountLeaf> account(long index) {
    return Optional.ofNullable(accounts.get(index));
  }

  /** How many accounts exist. */
  public int size() {
    return accounts.size();
  }

  /** A copy of every account, for audits and tests. */
  public Map<Long, AccountLeaf> snapshot() {
    return Map.copyOf(accounts);
  }

  /** The fee every signed op pays. */
  public BigInteger fee() {
    return fee;
  }

  /**
   * Applies {@code txs} in order if every one of them passes, else nothing.
   *
   * @return null if all were applied, else the first rejection (and nothing changed)
   */
  public Rejection admit(List<VerifiedOp> txs) {
    Map<Long, AccountLeaf> overlay = new HashMap<>(4 * txs.size());
    for (int i = 0; i < txs.size(); i++) {
      Rejection r = admitOne(i, txs.get(i), overlay);
      if (r != null) {
        return r;
      }
    }
    accounts.putAll(overlay);
    return null;
  }

  private Rejection admitOne(int i, VerifiedOp tx, Map<Long, AccountLeaf> overlay) {
    SignableOp op = tx.signed().op();
    String what = op.opCode().name().toLowerCase();
    long from = op.from();
    AccountLeaf signer = read(from, overlay);
    if (signer == null) {
      return new Rejection(RejectReason.UNKNOWN_ACCOUNT, i, what + " from account " + from + ", which does not exist");
    }
    if (!signer.keyHash().equals(tx.keyHash())) {
      return new Rejection(RejectReason.WRONG_KEY, i, "the public key is not the key of account " + from);
    }
    if (op.nonce() < signer.nonce()) {
      return new Rejection(
          RejectReason.NONCE_REPLAYED, i, "nonce " + op.nonce() + " of account " + from + " is used; the next is " + signer.nonce());
    }
    if (op.nonce() > signer.nonce()) {
      return new Rejection(
          RejectReason.NONCE_GAP, i, "nonce " + op.nonce() + " skips ahead; account " + from + " expects " + signer.nonce());
    }
    if (signer.nonce() == Long.MAX_VALUE) {
      return new Rejection(RejectReason.NONCE_REPLAYED, i, "account " + from + " has used every nonce below 2^63");
    }
    if (fee.compareTo(op.maxFee()) > 0) {
      return new Rejection(RejectReason.FEE_TOO_LOW, i, "max fee " + op.maxFee() + " is below the batch fee " + fee);
    }
    BigInteger cost = op.amount().add(fee);
    if (signer.balance().compareTo(cost) < 0) {
      return new Rejection(
          RejectReason.INSUFFICIENT_BALANCE, i, "account " + from + " has " + signer.balance() + ", less than amount + fee = " + cost);
    }
    AccountLeaf debited = new AccountLeaf(signer.keyHash(), signer.balance().subtract(cost), signer.nonce() + 1);
    if (op instanceof Transfer t) {
      long to = t.to();
      // As BatchBuilder: the signer is debited first, so a self-transfer reads the debited account.
      AccountLeaf receiver = to == from ? debited : read(to, overlay);
      if (receiver == null) {
        return new Rejection(RejectReason.UNKNOWN_ACCOUNT, i, "transfer to account " + to + ", which does not exist");
      }
      BigInteger credited = receiver.balance().add(t.amount());
      if (credited.bitLength() > AccountLeaf.BALANCE_BITS) {
        return new Rejection(RejectReason.AMOUNT_OVERFLOW, i, "account " + to + "'s balance would reach 2^128");
      }
      overlay.put(from, debited);
      overlay.put(to, receiver.withBalance(credited));
    } else {
      overlay.put(from, debited);
    }
    return null;
  }

  /**
   * Where an L1 deposit for {@code keyHash} goes (docs/protocol.md, "Deposit queue"): the account
   * with that key, else the lowest empty index. It only reads: the one caller (the deposit watcher)
   * applies each deposit before it places the next, so two new keys never get the same index.
   *
   * @throws RejectedException if the key has no account and the tree is full
   */
  public long placement(Fr keyHash) {
    for (Map.Entry<Long, AccountLeaf> e : accounts.entrySet()) {
      if (e.getValue().keyHash().equals(keyHash)) {
        return e.getKey();
      }
    }
    long free = 0;
    while (accounts.containsKey(free)) {
      free++;
    }
    if (!inTree(free)) {
      throw new RejectedException(RejectReason.MALFORMED, "the state tree of depth " + depth + " is full");
    }
    return free;
  }

  /**
   * Applies a deposit from the L1 queue.
   *
   * @throws RejectedException if the index is outside the tree, the account has another key, or
   *     its balance would reach 2^128 (nothing changed)
   */
  public void deposit(Deposit d) {
    long to = d.to();
    if (!inTree(to)) {
      throw new RejectedException(RejectReason.MALFORMED, "deposit to index " + to + ", outside the tree of depth " + depth);
    }
    AccountLeaf existing = accounts.get(to);
    if (existing != null && !existing.keyHash().equals(d.keyHash())) {
      throw new RejectedException(RejectReason.WRONG_KEY, "deposit to account " + to + " names another key");
    }
    AccountLeaf before = existing != null ? existing : new AccountLeaf(d.keyHash(), BigInteger.ZERO, 0);
    BigInteger balance = before.balance().add(d.amount());
    if (balance.bitLength() > AccountLeaf.BALANCE_BITS) {
      throw new RejectedException(RejectReason.AMOUNT_OVERFLOW, "account " + to + "'s balance would reach 2^128");
    }
    accounts.put(to, before.withBalance(balance));
  }

  /**
   * Credits the operator with the fees of {@code signedOps} ops, as the circuit does after a
   * batch's last slot.
   *
   * @throws IllegalStateException if the operator account does not exist or would overflow: the
   *     batch could not be built, which the node's genesis deposit rules out
   */
  public void creditOperator(int signedOps) {
    AccountLeaf op = accounts.get(operator);
    if (op == null) {
      throw new IllegalStateException("the operator account " + operator + " does not exist");
    }
    BigInteger balance = op.balance().add(fee.multiply(BigInteger.valueOf(signedOps)));
    if (balance.bitLength() > AccountLeaf.BALANCE_BITS) {
      throw new IllegalStateException("the operator's balance would reach 2^128");
    }
    accounts.put(operator, op.withBalance(balance));
  }

  private AccountLeaf read(long index, Map<Long, AccountLeaf> overlay) {
    if (!inTree(index)) {
      return null;
    }
    AccountLeaf a = overlay.get(index);
    return a != null ? a : accounts.get(index);
  }

  private boolean inTree(long index) {
    return index >= 0 && (depth >= 63 || (index >>> depth) == 0);
  }
}
