package io.zkrollup.aggregator.ledger;

import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.ForcedWithdrawal;
import io.zkrollup.circuits.tx.SignableOp;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.circuits.tx.TxRules;
import io.zkrollup.circuits.tx.TxViolation;
import io.zkrollup.circuits.tx.VerifiedOp;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.Owner;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every account as of every accepted transaction: the sequencer's view, ahead of the state tree
 * (which only changes when a batch is built). It admits an op only if it passes {@link TxRules},
 * the rules {@code BatchBuilder} and the circuit apply, so that a batch of admitted ops always
 * builds; a {@link TxViolation} becomes a {@link Rejection} with the {@link RejectReason} that
 * {@link RejectReason#of} maps it to.
 *
 * <p>One thread writes (the sequencer's); any thread may read single accounts.
 */
public final class Ledger {

  private final int depth;
  /**
   * The fee token of the node's batches: ETH, until the node handles tokens (protocol v3's node
   * step, docs/protocol.md "The node (v3)"): the node admits ETH ops only (its decoder builds
   * token-0 ops) and its operator account is its ETH account, so every admitted op pays the fee.
   */
  static final long FEE_TOKEN = AccountLeaf.ETH;

  private final BigInteger fee;
  private final long operator;
  private final ConcurrentHashMap<Long, AccountLeaf> accounts = new ConcurrentHashMap<>();
  /**
   * The indices of each key's accounts, ascending (in protocol v2 a key holds one account per owner
   * and token). Each array is immutable once published: a new account of a key replaces its array
   * with a longer copy, so readers on other threads need no lock, and only a deposit that creates an
   * account allocates (an account's key never changes and accounts are never removed).
   */
  private final ConcurrentHashMap<Fr, long[]> indicesByKey = new ConcurrentHashMap<>();
  /**
   * The index of each account by what its idHash commits to (key, owner, token): where a deposit
   * goes. A pair instead of the idHash itself, so that placing a deposit hashes nothing.
   */
  private final ConcurrentHashMap<Identity, Long> indexById = new ConcurrentHashMap<>();
  /**
   * Every index below it holds an account: where {@link #placement} looks for an empty leaf. Only
   * placement's one caller (the priority request watcher) moves it.
   */
  private long lowestFree;
  /**
   * The changes of the list being admitted, on top of {@link #accounts}; kept across calls (the
   * writing thread's scratch space) so that admitting allocates no map.
   */
  private final Map<Long, AccountLeaf> pending = new HashMap<>();
  /** The accounts as the list being admitted has left them so far: what the rules read. */
  private final TxRules.Accounts asTheyStand = this::pendingOrAdmitted;

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
    initial.forEach(this::index);
  }

  /** What an account's idHash commits to: its key hash, owner and token. */
  private record Identity(Fr keyHash, Owner owner, long token) {}

  private void index(long index, AccountLeaf account) {
    long[] known = indicesByKey.get(account.keyHash());
    if (known == null || Arrays.binarySearch(known, index) < 0) {
      indicesByKey.compute(account.keyHash(), (k, old) -> withIndex(old, index));
    }
    indexById.merge(new Identity(account.keyHash(), account.owner(), account.token()), index, Math::min);
  }

  /** {@code indices} (ascending, or null for none) with {@code index} added, as a new array. */
  private static long[] withIndex(long[] indices, long index) {
    if (indices == null) {
      return new long[] {index};
    }
    int at = Arrays.binarySearch(indices, index);
    if (at >= 0) {
      return indices;
    }
    int insert = -at - 1;
    long[] out = new long[indices.length + 1];
    System.arraycopy(indices, 0, out, 0, insert);
    out[insert] = index;
    System.arraycopy(indices, insert, out, insert + 1, indices.length - insert);
    return out;
  }

  /** The index of the account holding {@code keyHash} (the lowest, if several do), if one exists. */
  public Optional<Long> indexOf(Fr keyHash) {
    long[] indices = indicesByKey.get(keyHash);
    return indices == null ? Optional.empty() : Optional.of(indices[0]);
  }

  /**
   * The indices of the accounts holding {@code keyHash}, ascending, from {@code fromIndex} on, at
   * most {@code limit} of them.
   */
  public long[] indicesOf(Fr keyHash, long fromIndex, int limit) {
    long[] indices = indicesByKey.get(keyHash);
    if (indices == null) {
      return new long[0];
    }
    int from = Arrays.binarySearch(indices, fromIndex);
    from = from >= 0 ? from : -from - 1;
    return Arrays.copyOfRange(indices, from, Math.min(indices.length, from + Math.max(0, limit)));
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
   * Applies {@code txs} in order if every one of them passes {@link TxRules#signed}, else nothing.
   * Their signatures were verified (that is what a {@link VerifiedOp} is); the rules compare the
   * key hash the verification computed with the signer account's.
   *
   * @return null if all were applied, else the first rejection (and nothing changed)
   */
  public Rejection admit(List<VerifiedOp> txs) {
    pending.clear();
    for (int i = 0; i < txs.size(); i++) {
      VerifiedOp tx = txs.get(i);
      SignableOp op = tx.signed().op();
      TxRules.Outcome outcome = TxRules.signed(asTheyStand, op, tx.keyHash(), fee, FEE_TOKEN, depth);
      if (outcome instanceof TxViolation v) {
        pending.clear();
        return new Rejection(RejectReason.of(v.reason()), i, v.message());
      }
      TxRules.Applied applied = (TxRules.Applied) outcome;
      pending.put(op.from(), applied.signer());
      if (op instanceof Transfer t) {
        // After the signer: a self-transfer's receiver is the debited and credited signer.
        pending.put(t.to(), applied.receiver());
      }
    }
    accounts.putAll(pending);
    pending.clear();
    return null;
  }

  /**
   * Where an L1 deposit for the ETH account of {@code keyHash} owned by {@code owner} goes
   * (docs/protocol.md, "Accounts have an owner"): the account with that idHash, else the lowest
   * empty index. It only reads: the one caller (the priority request watcher) applies each deposit
   * before it places the next, so two new accounts never get the same index.
   *
   * @throws RejectedException if there is no such account and the tree is full
   */
  public long placement(Fr keyHash, Owner owner) {
    Long known = indexById.get(new Identity(keyHash, owner, AccountLeaf.ETH));
    if (known != null) {
      return known;
    }
    while (accounts.containsKey(lowestFree)) {
      lowestFree++;
    }
    if (!TxRules.inTree(lowestFree, depth)) {
      throw new RejectedException(RejectReason.MALFORMED, "the state tree of depth " + depth + " is full");
    }
    return lowestFree;
  }

  /**
   * Applies a deposit from the L1 queue if it passes {@link TxRules#deposit}.
   *
   * @throws RejectedException if the index is outside the tree ({@link RejectReason#MALFORMED}),
   *     the account has another key, or its balance would reach 2^128 (nothing changed)
   */
  public void deposit(Deposit d) {
    TxRules.Outcome outcome = TxRules.deposit(accounts::get, d, depth);
    if (outcome instanceof TxViolation v) {
      throw new RejectedException(RejectReason.of(v.reason()), v.message());
    }
    AccountLeaf credited = ((TxRules.Credited) outcome).account();
    accounts.put(d.to(), credited);
    index(d.to(), credited);
  }

  /**
   * Applies a forced withdrawal from the L1 queue as {@link TxRules#forcedWithdrawal} decides:
   * paid (the account debited) or refused (nothing changes). Either way the request is processed.
   *
   * @return the rules' outcome, {@link TxRules.Paid} or {@link TxRules.Refused}
   * @throws RejectedException if the account index is outside the tree (L1 accepts only indices
   *     inside it; nothing changed)
   */
  public TxRules.Outcome forcedWithdrawal(ForcedWithdrawal f) {
    TxRules.Outcome outcome = TxRules.forcedWithdrawal(accounts::get, f, depth);
    if (outcome instanceof TxViolation v) {
      throw new RejectedException(RejectReason.of(v.reason()), v.message());
    }
    if (outcome instanceof TxRules.Paid paid) {
      accounts.put(f.account(), paid.account());
    }
    return outcome;
  }

  /**
   * Credits the operator with the fees of {@code signedOps} ops, as the circuit does after a
   * batch's last slot ({@link TxRules#creditOperator}). Every op the node admits is of its fee
   * token ({@link #FEE_TOKEN}) and so pays the fee.
   *
   * @throws IllegalStateException if the operator account does not exist or would overflow: the
   *     batch could not be built, which the node's genesis deposit rules out
   */
  public void creditOperator(int signedOps) {
    TxRules.Outcome outcome = TxRules.creditOperator(accounts::get, operator, fee, signedOps, depth);
    if (outcome instanceof TxViolation v) {
      throw new IllegalStateException(v.message());
    }
    accounts.put(operator, ((TxRules.Credited) outcome).account());
  }

  private AccountLeaf pendingOrAdmitted(long index) {
    AccountLeaf a = pending.get(index);
    return a != null ? a : accounts.get(index);
  }
}
