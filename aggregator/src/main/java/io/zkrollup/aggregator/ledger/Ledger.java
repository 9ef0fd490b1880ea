package io.zkrollup.aggregator.ledger;

import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.ForcedWithdrawal;
import io.zkrollup.circuits.tx.Ranges;
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
import java.util.SortedMap;
import java.util.TreeMap;
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
  private final FeeSchedule fees;
  /** The operator's ETH account (given); its key and owner name the operator's accounts of the other tokens. */
  private final long operator;
  /**
   * The operator's fee account of each token once found (-1 before): an account's index never
   * changes and accounts are never removed, so a found one stays. An array, so that admitting an op
   * looks its fee account up without building a key. Written by the sequencer's thread, read by
   * any (a stale -1 only makes a reader look again).
   */
  private final long[] feeAccounts = new long[Ranges.MAX_TOKEN + 1];
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
   * @param fees the batch fee of each token: what each signed op pays
   * @param operator the operator's ETH account, credited with the ETH fees; the operator's account
   *     of another token (same key hash and owner, that token) is credited with that token's
   * @param initial the accounts to start from (those of the last built batch)
   */
  public Ledger(int depth, FeeSchedule fees, long operator, Map<Long, AccountLeaf> initial) {
    this.depth = depth;
    this.fees = Objects.requireNonNull(fees, "fees");
    this.operator = operator;
    Arrays.fill(feeAccounts, -1);
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

  /** The fee of each token. */
  public FeeSchedule fees() {
    return fees;
  }

  /**
   * The operator's account that collects the fees of {@code token} (docs/protocol.md, "The node
   * (v3)"): for ETH the configured operator account, for another token the account whose idHash is
   * {@code compress(operatorKeyHash, operatorOwner·2^32 + token)} (L1 queues a 0-deposit for it
   * when the token is listed; a node without L1 makes it from its genesis).
   *
   * @return its index, or -1 if the operator has no account of {@code token} (yet)
   */
  public long feeAccount(long token) {
    if (token < 0 || token > Ranges.MAX_TOKEN) {
      return -1;
    }
    long known = feeAccounts[(int) token];
    if (known >= 0) {
      return known;
    }
    AccountLeaf op = accounts.get(operator);
    if (op == null) {
      return -1; // before the operator's first deposit: no token is served
    }
    Long found = token == AccountLeaf.ETH ? Long.valueOf(operator) : indexById.get(new Identity(op.keyHash(), op.owner(), token));
    if (found == null) {
      return -1;
    }
    feeAccounts[(int) token] = found;
    return found;
  }

  /**
   * The fee of each token the node takes ops of now: the tokens the operator has an account of
   * (same key hash and owner as its ETH account), ascending; empty before the operator's account
   * exists.
   */
  public SortedMap<Integer, BigInteger> servedFees() {
    SortedMap<Integer, BigInteger> out = new TreeMap<>();
    AccountLeaf op = accounts.get(operator);
    if (op == null) {
      return out;
    }
    for (long index : indicesByKey.getOrDefault(op.keyHash(), new long[0])) {
      AccountLeaf a = accounts.get(index);
      if (a != null && a.owner().equals(op.owner())) {
        out.put((int) a.token(), fees.of(a.token()));
      }
    }
    return out;
  }

  /**
   * Applies {@code txs} in order if every one of them passes {@link TxRules#signed}, else nothing.
   * Their signatures were verified (that is what a {@link VerifiedOp} is); the rules compare the
   * key hash the verification computed with the signer account's.
   *
   * <p>Each op pays its own token's fee, as the batch it lands in will charge: the sequencer seals a
   * batch before a signed op of another token, so an op's token is always its batch's fee token.
   * An op of a token the operator has no fee account of is refused ({@link
   * RejectReason#TOKEN_NOT_SERVED}): its batch would have no operator account to name.
   *
   * @return null if all were applied, else the first rejection (and nothing changed)
   */
  public Rejection admit(List<VerifiedOp> txs) {
    pending.clear();
    for (int i = 0; i < txs.size(); i++) {
      VerifiedOp tx = txs.get(i);
      SignableOp op = tx.signed().op();
      long token = op.token();
      if (feeAccount(token) < 0) {
        pending.clear();
        return new Rejection(
            RejectReason.TOKEN_NOT_SERVED, i, "this node takes no ops of token " + token + ": its operator has no account of that token to collect fees in");
      }
      TxRules.Outcome outcome = TxRules.signed(asTheyStand, op, tx.keyHash(), fees.of(token), token, depth);
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
   * Where an L1 deposit for the {@code token} account of {@code keyHash} owned by {@code owner}
   * goes (docs/protocol.md, "Accounts have an owner" and "Protocol v3"): the account with that
   * idHash, {@code compress(keyHash, owner·2^32 + token)}, else the lowest empty index. Each (key,
   * owner, token) has its own account. It only reads: the one caller (the priority request watcher) applies each deposit
   * before it places the next, so two new accounts never get the same index.
   *
   * @throws RejectedException if there is no such account and the tree is full
   */
  public long placement(Fr keyHash, Owner owner, long token) {
    Long known = indexById.get(new Identity(keyHash, owner, token));
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
   * Credits the operator's account of {@code feeToken} with {@code signedOps} fees of that token, as
   * the circuit does after a batch's last slot ({@link TxRules#creditOperator}). Every signed op of
   * a batch is of its fee token (the sequencer cuts batches so) and so paid the fee.
   *
   * @param feeToken the batch's fee token
   * @param signedOps the batch's signed ops
   * @return the index of the credited account: the batch header's operator
   * @throws IllegalStateException if the operator has no account of {@code feeToken} or it would
   *     overflow: the batch could not be built, which admitting only served tokens rules out
   */
  public long creditOperator(long feeToken, int signedOps) {
    long account = feeAccount(feeToken);
    if (account < 0) {
      throw new IllegalStateException("the operator has no account of token " + feeToken + " to credit a batch's fees to");
    }
    TxRules.Outcome outcome = TxRules.creditOperator(accounts::get, account, fees.of(feeToken), signedOps, depth);
    if (outcome instanceof TxViolation v) {
      throw new IllegalStateException(v.message());
    }
    accounts.put(account, ((TxRules.Credited) outcome).account());
    return account;
  }

  private AccountLeaf pendingOrAdmitted(long index) {
    AccountLeaf a = pending.get(index);
    return a != null ? a : accounts.get(index);
  }
}
