package io.zkrollup.aggregator.l1;

import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.circuits.batch.BatchHeader;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.batch.L1Data;
import io.zkrollup.circuits.batch.PubdataOp;
import io.zkrollup.circuits.batch.PublicData;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.ForcedWithdrawal;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.SignableOp;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.circuits.tx.TxRules;
import io.zkrollup.circuits.tx.TxViolation;
import io.zkrollup.circuits.tx.Withdrawal;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.InMemoryTreeStore;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * The rollup's state rebuilt from L1 alone (docs/operations.md, "Exodus and the exit tool"): the
 * contract's priority queue from its {@code Deposit} and {@code ForcedWithdrawalRequested} events
 * (checked against its {@code queueHash}, {@link RequestLog}), and every batch's public data from
 * the calldata of the {@code commitBatch} transaction behind each {@code BatchCommitted} event. No
 * node and no data directory: this is what users exit with when the operator is gone.
 *
 * <p>Each op is applied with {@link TxRules}, the one definition of what an op does to its accounts
 * (a transfer's or withdrawal's nonce is the sender's, its fee the batch header's), and every batch's
 * rebuilt root must equal the root L1 committed: a state that disagrees with L1 is refused, never
 * used for an exit proof. In validium mode L1 holds only a commitment to the transfers; their data
 * must come from elsewhere ({@link BatchData}, a node's {@code GetBatchData}), and is taken only if it
 * reproduces what L1 received.
 */
public final class StateFromL1 {

  private static final long LOG_BLOCK_RANGE = 10_000;
  private static final int REQUEST_PAGE = 256;
  private static final String NOBODY = "0x0000000000000000000000000000000000000000";
  private static final String COMMIT_SELECTOR =
      FunctionEncoder.encode(new Function("commitBatch", List.of(new DynamicBytes(new byte[0]), new Uint256(0), new DynamicBytes(new byte[0])), List.of())).substring(0, 10);

  /** The full public data of a committed batch (validium: L1 lacks the transfers). */
  @FunctionalInterface
  public interface BatchData {
    /** Batch {@code number}'s public data, transfers included, or empty if the source lacks it. */
    Optional<byte[]> publicData(long number);
  }

  /**
   * The rollup as L1 holds it, replayed.
   *
   * @param contract the Rollup contract's address
   * @param slots B
   * @param mode rollup or validium
   * @param state the contract's state at the block read
   * @param accounts every account after the last committed batch, by index
   * @param requests the whole priority queue, in order
   * @param tree the state tree after the last committed batch (its root is {@code state.stateRoot()})
   */
  public record Rebuilt(
      String contract, int slots, DataAvailability mode, L1State state, SortedMap<Long, AccountLeaf> accounts, List<PriorityRequest> requests, StateTree tree) {

    /** The accounts {@code owner} owns (and may exit), of every token (one account holds one token), by index. */
    public SortedMap<Long, AccountLeaf> ownedBy(L1Address owner) {
      SortedMap<Long, AccountLeaf> out = new TreeMap<>();
      accounts.forEach((i, a) -> {
        if (a.owner().equals(owner.owner())) {
          out.put(i, a);
        }
      });
      return out;
    }

    /** The deposits no committed batch consumed: in exodus, each is refunded once to its depositor. */
    public List<L1Deposit> unconsumedDeposits() {
      List<L1Deposit> out = new ArrayList<>();
      for (PriorityRequest r : requests.subList((int) state.requestsConsumed(), requests.size())) {
        if (r instanceof L1Deposit d) {
          out.add(d);
        }
      }
      return out;
    }

    /** The siblings of account {@code index}'s leaf, bottom-up, against the committed root: what {@code exit} takes. */
    public List<Fr> siblings(long index) {
      return tree.proof(index).siblings();
    }
  }

  private StateFromL1() {}

  /**
   * Reads the contract at {@code contract} through {@code rpc} and replays it.
   *
   * @param batchData where validium batches' full public data comes from, if anywhere
   * @throws IllegalStateException if there is no Rollup contract there, a committed batch's data
   *     is not in a transaction's calldata, a validium batch's data is missing or does not match
   *     L1, or the replay does not reach the root L1 committed (naming the batch)
   * @throws L1UnavailableException if the RPC cannot be reached
   */
  public static Rebuilt read(URI rpc, String contract, Optional<BatchData> batchData) {
    Objects.requireNonNull(batchData, "batchData");
    String address = Web3jRollupContract.checkAddress(contract);
    try (L1Rpc l1 = new L1Rpc(rpc, L1Retries.defaults())) {
      long head = l1.blockNumber();
      RollupReads reads = new RollupReads(l1, address, NOBODY);
      Rollup at = reads.at(head);
      int depth = reads.read("depth", at.depth()).intValueExact();
      int slots = reads.read("slots", at.slots()).intValueExact();
      DataAvailability mode = reads.read("validium", at.validium()) ? DataAvailability.VALIDIUM : DataAvailability.ROLLUP;
      if (mode == DataAvailability.VALIDIUM && batchData.isEmpty()) {
        throw new IllegalStateException(
            "the contract at " + address + " runs in validium mode: L1 holds only a hash of each batch's transfers, so the state cannot be rebuilt from L1 alone;"
                + " give the batch data (GetBatchData of a node that has it)");
      }
      L1State state = reads.state(head);
      long from = Web3jRollupContract.findDeploymentBlock(l1, address, head);
      RequestLog log = new RequestLog(l1, reads, address, from, LOG_BLOCK_RANGE);
      List<PriorityRequest> requests = new ArrayList<>();
      while (requests.size() < state.requestCount()) {
        List<PriorityRequest> page = log.page(requests.size(), REQUEST_PAGE, head);
        if (page.isEmpty()) {
          throw new IllegalStateException("cannot read priority request " + requests.size() + " of " + address + " from its logs (they do not reproduce its queueHash)");
        }
        requests.addAll(page);
      }
      TreeMap<Long, Commit> commits = commits(l1, address, from, head);
      if (commits.size() != state.batchCount() || (!commits.isEmpty() && commits.lastKey() != state.batchCount() - 1)) {
        throw new IllegalStateException("the contract has " + state.batchCount() + " batches but its logs show " + commits.size() + " BatchCommitted events");
      }
      Replay replay = new Replay(depth, requests);
      for (Commit c : commits.values()) {
        replay.batch(c, publicData(c, slots, mode, batchData));
      }
      if (!replay.tree.root().equals(state.stateRoot())) {
        throw new IllegalStateException("the replay reached root " + replay.tree.root() + " but the contract's stateRoot is " + state.stateRoot());
      }
      if (replay.next != state.requestsConsumed()) {
        throw new IllegalStateException("the batches consumed " + replay.next + " priority requests but the contract counts " + state.requestsConsumed());
      }
      return new Rebuilt(address, slots, mode, state, new TreeMap<>(replay.accounts), List.copyOf(requests), replay.tree);
    }
  }

  /** One committed batch: its number, the root L1 stored and the public data L1 received. */
  private record Commit(long number, Fr newRoot, byte[] l1Data) {}

  /** Every BatchCommitted event and the calldata of its transaction, by batch number. */
  @SuppressWarnings("rawtypes") // web3j's EthLog returns raw LogResults
  private static TreeMap<Long, Commit> commits(L1Rpc l1, String address, long fromBlock, long head) {
    TreeMap<Long, Commit> out = new TreeMap<>();
    String topic = org.web3j.abi.EventEncoder.encode(Rollup.BATCHCOMMITTED_EVENT);
    for (long lo = fromBlock; lo <= head; lo += LOG_BLOCK_RANGE) {
      long hi = Math.min(head, lo + LOG_BLOCK_RANGE - 1);
      EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(lo)), DefaultBlockParameter.valueOf(BigInteger.valueOf(hi)), address);
      filter.addSingleTopic(topic);
      List<EthLog.LogResult> logs = l1.call("eth_getLogs " + lo + ".." + hi, () -> L1Rpc.check(l1.web3().ethGetLogs(filter).send()).getLogs());
      for (EthLog.LogResult<?> r : logs) {
        if (!(r.get() instanceof Log log) || log.isRemoved() || !address.equalsIgnoreCase(log.getAddress())) {
          continue;
        }
        Rollup.BatchCommittedEventResponse e = Rollup.getBatchCommittedEventFromLog(log);
        long n = e.batchNumber.longValueExact();
        String input = l1.call("eth_getTransactionByHash", () -> L1Rpc.check(l1.web3().ethGetTransactionByHash(log.getTransactionHash()).send()).getTransaction())
            .orElseThrow(() -> new IllegalStateException("the transaction " + log.getTransactionHash() + " of batch " + n + " is not found"))
            .getInput();
        out.put(n, new Commit(n, Fr.of(e.newRoot), commitPubdata(input, n)));
      }
    }
    return out;
  }

  /** The {@code pubdata} argument of a {@code commitBatch} call's calldata. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static byte[] commitPubdata(String input, long batch) {
    if (input == null || !input.toLowerCase(java.util.Locale.ROOT).startsWith(COMMIT_SELECTOR)) {
      throw new IllegalStateException(
          "batch " + batch + " was not committed by a direct commitBatch transaction (through another contract?): its public data is not in a transaction's calldata");
    }
    List<TypeReference<Type>> types =
        List.of((TypeReference) new TypeReference<DynamicBytes>() {}, (TypeReference) new TypeReference<Uint256>() {}, (TypeReference) new TypeReference<DynamicBytes>() {});
    List<Type> args = FunctionReturnDecoder.decode(Numeric.prependHexPrefix(input.substring(10)), types);
    return ((DynamicBytes) args.get(0)).getValue();
  }

  /** The full public data of a batch: L1's in rollup mode; in validium, the given data, if it matches L1's. */
  private static PublicData publicData(Commit c, int slots, DataAvailability mode, Optional<BatchData> batchData) {
    if (mode == DataAvailability.ROLLUP) {
      return L1Data.decode(slots, mode, c.l1Data()).onChain();
    }
    byte[] full = batchData.orElseThrow().publicData(c.number())
        .orElseThrow(() -> new IllegalStateException("validium: the batch data source has no public data for batch " + c.number()));
    PublicData pd = PublicData.decode(slots, full);
    if (!Arrays.equals(L1Data.of(pd, mode, new Poseidon2()).bytes(), c.l1Data())) {
      throw new IllegalStateException("validium: the public data given for batch " + c.number() + " is not what L1 committed (its transfer hash differs)");
    }
    return pd;
  }

  /** The replay itself: accounts, the tree, and the next priority request to consume. */
  private static final class Replay {
    private final int depth;
    private final List<PriorityRequest> requests;
    private final Poseidon2 poseidon2 = new Poseidon2();
    private final StateTree tree;
    private final Map<Long, AccountLeaf> accounts = new HashMap<>();
    private int next;

    Replay(int depth, List<PriorityRequest> requests) {
      this.depth = depth;
      this.requests = requests;
      this.tree = new StateTree(new InMemoryTreeStore(depth), poseidon2, 2);
    }

    void batch(Commit c, PublicData pd) {
      BatchHeader h = pd.header();
      if (h.batchNumber() != c.number()) {
        throw new IllegalStateException("the public data of batch " + c.number() + " names batch " + h.batchNumber());
      }
      Map<Long, AccountLeaf> changed = new HashMap<>();
      TxRules.Accounts view = i -> changed.containsKey(i) ? changed.get(i) : accounts.get(i);
      int paying = 0;
      for (PubdataOp op : pd.ops()) {
        String where = "batch " + c.number() + ", " + op;
        if (op instanceof PubdataOp.Deposit d) {
          L1Deposit r = request(L1Deposit.class, where);
          if (!r.idHash().equals(d.idHash()) || !r.amount().equals(d.amount())) {
            throw new IllegalStateException(where + ": priority request " + r.index() + " is " + r);
          }
          // The token comes from the Deposit event (the public data has only the idHash, which
          // commits to it): the idHash check above ties the event's token to the account credited.
          Deposit deposit = new Deposit(d.to(), r.keyHash(), r.owner(), d.amount(), (int) r.token());
          changed.put(d.to(), accepted(TxRules.deposit(view, deposit, depth), TxRules.Credited.class, where).account());
        } else if (op instanceof PubdataOp.ForcedWithdrawal f) {
          L1ForcedWithdrawal r = request(L1ForcedWithdrawal.class, where);
          if (r.account() != f.account() || r.token() != f.token() || !r.requester().equals(f.requester()) || !r.amount().equals(f.amount())) {
            throw new IllegalStateException(where + ": priority request " + r.index() + " is " + r);
          }
          TxRules.Outcome o = TxRules.forcedWithdrawal(view, new ForcedWithdrawal(f.account(), f.requester(), f.amount(), f.token()), depth);
          if ((o instanceof TxRules.Paid) != f.paid()) {
            throw new IllegalStateException(where + ": the rules say " + o);
          }
          if (o instanceof TxRules.Paid p) {
            changed.put(f.account(), p.account());
          }
        } else {
          long from = op instanceof PubdataOp.Transfer t ? t.from() : ((PubdataOp.Withdrawal) op).from();
          AccountLeaf sender = view.at(from);
          if (sender == null) {
            throw new IllegalStateException(where + ": account " + from + " does not exist");
          }
          // The signature is the circuit's business; the rules need the nonce and key the signer had.
          // A transfer is of its sender's token; a withdrawal names its token, which the rules check.
          SignableOp s = op instanceof PubdataOp.Transfer t
              ? new Transfer(t.from(), t.to(), t.amount().value(), h.fee(), sender.nonce(), (int) sender.token())
              : new Withdrawal(
                  from, ((PubdataOp.Withdrawal) op).to(), ((PubdataOp.Withdrawal) op).amount(), h.fee(), sender.nonce(), ((PubdataOp.Withdrawal) op).token());
          TxRules.FeeToken feeToken = TxRules.feeToken(view, h.operator(), depth);
          if (feeToken.violation() != null) {
            throw new IllegalStateException(where + ": " + feeToken.violation().message());
          }
          TxRules.Applied a = accepted(TxRules.signed(view, s, sender.keyHash(), h.fee(), feeToken.token(), depth), TxRules.Applied.class, where);
          if (TxRules.paysFee(s, feeToken.token())) {
            paying++;
          }
          changed.put(from, a.signer());
          if (s instanceof Transfer t) {
            changed.put(t.to(), a.receiver()); // after the signer: a self-transfer's receiver is the debited signer
          }
        }
      }
      changed.put(h.operator(), accepted(TxRules.creditOperator(view, h.operator(), h.fee(), paying, depth), TxRules.Credited.class, "batch " + c.number() + "'s fees").account());
      changed.forEach((i, a) -> tree.put(i, a.hash(poseidon2)));
      accounts.putAll(changed);
      tree.commit();
      if (!tree.root().equals(c.newRoot())) {
        throw new IllegalStateException("batch " + c.number() + ": the replay reached root " + tree.root() + " but L1 committed " + c.newRoot());
      }
    }

    private <R extends PriorityRequest> R request(Class<R> kind, String where) {
      if (next >= requests.size()) {
        throw new IllegalStateException(where + ": the queue has only " + requests.size() + " requests");
      }
      PriorityRequest r = requests.get(next++);
      if (!kind.isInstance(r)) {
        throw new IllegalStateException(where + ": priority request " + r.index() + " is " + r);
      }
      return kind.cast(r);
    }

    private static <O extends TxRules.Outcome> O accepted(TxRules.Outcome o, Class<O> expected, String where) {
      if (o instanceof TxViolation v) {
        throw new IllegalStateException(where + ": L1 committed an op the rules refuse (" + v.message() + ")");
      }
      return expected.cast(o);
    }
  }
}
