package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.node.L1Endpoint;
import io.zkrollup.aggregator.node.NodeConfig;
import io.zkrollup.aggregator.testing.ClusterTestKeys;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.GetTransactionStatusRequest;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.api.v1.TransactionStage;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.field.Fr;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Issue 19's promise, end to end on one anvil with the real contract and real Groth16 proofs (the
 * shared B=5, D=4 keys, one local worker): users can always leave.
 *
 * <ol>
 *   <li>A running node serves forced withdrawals in queue order before their deadline: the owner's
 *       is paid on L1 (and claimed), one by a stranger and one for more than the balance are
 *       processed as refused, and later batches still commit.
 *   <li>The operator stops for good. A deposit it never processes ages past the deadline (anvil
 *       mines the blocks); {@code zkrollup exit activate-exodus} switches the contract to exodus; the
 *       node, started once more, sees it and stops sequencing with a clear status; its data
 *       directory is deleted.
 *   <li>With nothing but the RPC and the contract's address, {@code zkrollup exit} rebuilds the state
 *       and three users exit exactly their last verified balances. A second exit, a tampered proof
 *       and someone else's account revert; the unprocessed deposit is refunded exactly once.
 * </ol>
 */
class ForcedWithdrawalAndExodusIT {

  private static final Duration PATIENCE = Duration.ofMinutes(4);
  private static final BigInteger ETH = BigInteger.TEN.pow(18);
  /** Blocks a priority request may wait (small, so that anvil can mine past it). */
  private static final long DEADLINE = 40;
  private static final List<BigInteger> DEPOSITS = List.of(new BigInteger("500000000000000000"), new BigInteger("300000000000000000"), new BigInteger("200000000000000007"));
  private static final BigInteger FORCED = new BigInteger("100000000000000000");
  private static final BigInteger LATE_DEPOSIT = new BigInteger("50000000000000000");

  @TempDir Path dir;
  private L1Chain chain;
  private TestNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    if (chain != null) {
      chain.close();
    }
  }

  @Test
  void forcedWithdrawalsAreServedAndAfterTheOperatorStopsEveryoneLeavesFromL1Alone() throws Exception {
    Path keys = ClusterTestKeys.dir();
    chain = L1Chain.start(dir.resolve("l1"));
    Fr operatorKeyHash = GenesisFile.keyHash(TestNode.POSEIDON2, TestNode.wallet(0).publicKey());
    String rollup =
        chain.deployRollup(
            chain.deployVerifier(keys), ClusterTestKeys.SLOTS, ClusterTestKeys.DEPTH, DataAvailability.ROLLUP, DEADLINE, L1Chain.emptyRoot(ClusterTestKeys.DEPTH),
            operatorKeyHash);
    Credentials operator = L1Chain.key(0x0b);
    List<Credentials> users = List.of(L1Chain.key(0x31), L1Chain.key(0x32), L1Chain.key(0x33));
    Credentials stranger = L1Chain.key(0x34);
    Credentials dave = L1Chain.key(0x35);
    for (Credentials c : Stream.concat(Stream.of(operator, stranger, dave), users.stream()).toList()) {
      chain.setBalance(c.getAddress(), ETH.multiply(BigInteger.TWO));
    }

    TestNode.Options o = TestNode.Options.defaults().withSealAfter(100).withProver(ProofSystem.GROTH16, keys, ClusterTestKeys.SLOTS, ClusterTestKeys.DEPTH).withAccounts(0);
    L1Endpoint.Ethereum l1 = new L1Endpoint.Ethereum(URI.create(chain.url()), rollup, ExitTool.keyFile(dir, operator), OptionalLong.of(chain.anvil.chainId()), 100, 1).acceptingDevelopmentKeys();
    NodeConfig config = TestNode.onL1(TestNode.configFor(dir.resolve("node"), o), l1);
    node = TestNode.start(config, 3, 1);
    Rollup reader = chain.reader(rollup);

    // ---- 1. Forced withdrawals served by a running node.
    for (int i = 0; i < 3; i++) {
      chain.deposit(users.get(i), rollup, keyHash(i + 1), DEPOSITS.get(i)); // accounts 1, 2, 3, each owned by its depositor
    }
    await(() -> node.node.pendingAccount(3).isPresent(), "the deposits to reach the node");
    node.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(node.wallets.get(1).transfer(2, BigInteger.valueOf(3_000), BigInteger.ONE, 0)).build());
    await(() -> node.node.pendingAccount(1).orElseThrow().nonce() == 1, "the transfer to be sequenced");

    TransactionReceipt paid = chain.rollup(rollup, users.get(0)).forceWithdraw(BigInteger.ONE, BigInteger.ZERO, FORCED).send();
    TransactionReceipt notOwner = chain.rollup(rollup, stranger).forceWithdraw(BigInteger.TWO, BigInteger.ZERO, BigInteger.ONE).send();
    TransactionReceipt tooMuch = chain.rollup(rollup, users.get(1)).forceWithdraw(BigInteger.TWO, BigInteger.ZERO, ETH).send();
    assertThat(List.of(paid, notOwner, tooMuch)).allMatch(TransactionReceipt::isStatusOK);
    long lastRequest = Rollup.getForcedWithdrawalRequestedEvents(tooMuch).get(0).index.longValueExact();
    await(() -> requestsConsumed(reader) > lastRequest, "the forced withdrawals to be committed on L1");
    // A batch after them still commits.
    ByteString after =
        node.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(node.wallets.get(3).transfer(1, BigInteger.valueOf(2_000), BigInteger.ONE, 0)).build()).getTxHash();
    await(() -> node.stub().getTransactionStatus(GetTransactionStatusRequest.newBuilder().setTxHash(after).build()).getStage() == TransactionStage.PUBLISHED,
        "the transfer after the forced withdrawals to be committed on L1");
    assertThat(published(reader)).isEqualTo(node.status().getSealedBatches()).isEqualTo(node.node.publishedBatches());

    assertThat(reader.pendingWithdrawal(BigInteger.ZERO, users.get(0).getAddress()).send()).as("the owner's forced withdrawal is paid").isEqualTo(FORCED);
    assertThat(reader.pendingWithdrawal(BigInteger.ZERO, stranger.getAddress()).send()).as("a stranger's is refused").isZero();
    assertThat(reader.pendingWithdrawal(BigInteger.ZERO, users.get(1).getAddress()).send()).as("one for more than the balance is refused").isZero();
    BigInteger fee = BigInteger.ONE;
    assertThat(node.node.pendingAccount(1).orElseThrow().balance()).isEqualTo(DEPOSITS.get(0).subtract(BigInteger.valueOf(3_000)).subtract(fee).subtract(FORCED).add(BigInteger.valueOf(2_000)));
    assertThat(node.node.pendingAccount(2).orElseThrow().balance()).isEqualTo(DEPOSITS.get(1).add(BigInteger.valueOf(3_000)));
    long servedBy = chain.anvil.web3().ethBlockNumber().send().getBlockNumber().longValueExact();
    assertThat(servedBy - paid.getBlockNumber().longValueExact()).as("served well before the deadline").isLessThan(DEADLINE);
    assertThat(chain.revertOf(stranger, rollup, BigInteger.ZERO, reader.activateExodus().encodeFunctionCall())).as("nothing is overdue").contains("NoPendingRequest()");
    BigInteger was = chain.balance(users.get(0).getAddress());
    TransactionReceipt claim = chain.claim(users.get(0), rollup);
    assertThat(chain.balance(users.get(0).getAddress())).isEqualTo(was.add(FORCED).subtract(L1Chain.fee(claim)));

    // The last verified state, as the node has it: what each owner must get out in exodus.
    Map<Long, AccountLeaf> verified = new TreeMap<>();
    for (long i = 1; i <= 3; i++) {
      verified.put(i, node.node.pendingAccount(i).orElseThrow());
    }
    Fr verifiedRoot = node.node.batch(node.node.publishedBatches() - 1).orElseThrow().newRoot();
    assertThat(Fr.of(reader.stateRoot().send())).isEqualTo(verifiedRoot);

    // ---- 2. The operator stops for good; a deposit it never processes ages past the deadline.
    node.stop();
    chain.deposit(dave, rollup, keyHash(3), LATE_DEPOSIT);
    String[] l1Args = {"--l1-rpc", chain.url(), "--l1-contract", rollup};
    ExitTool.Run early = ExitTool.run(dir, stranger, "activate-exodus", l1Args);
    assertThat(early.status()).as("before the deadline the contract refuses").isEqualTo(2);
    assertThat(early.err()).contains("DeadlineNotPassed(");
    chain.anvil.call("anvil_mine", Numeric.toHexStringWithPrefix(BigInteger.valueOf(DEADLINE + 1)));

    // What a node's request watcher does with it, on this L1: the deposit (as if journaled) is
    // overdue, so it asks once to seal the open batch at once; once exodus is on, it says so.
    List<String> told = new CopyOnWriteArrayList<>();
    PriorityRequestWatcher.Node recorder = new PriorityRequestWatcher.Node() {
      @Override
      public CompletableFuture<?> feed(PriorityRequest request) {
        told.add("feed " + request.index());
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public void sealNow() {
        told.add("seal");
      }

      @Override
      public void exodus(L1State state) {
        told.add("exodus at batch " + state.batchCount());
      }

      @Override
      public void failed(Throwable cause) {
        told.add("failed " + cause);
      }
    };
    Web3jRollupContract.Settings settings = Web3jRollupContract.Settings.of(URI.create(chain.url()), rollup, operator).withPollInterval(Duration.ofMillis(100));
    long batches = published(reader);
    try (Web3jRollupContract contract =
            Web3jRollupContract.open(settings, chain.rollupId(rollup), ClusterTestKeys.SLOTS, ClusterTestKeys.DEPTH, L1Chain.emptyRoot(ClusterTestKeys.DEPTH), operatorKeyHash, (p, in) -> p);
        PriorityRequestWatcher watcher = new PriorityRequestWatcher(contract, recorder, contract.state().requestCount(), 50)) {
      watcher.start();
      await(() -> told.contains("seal"), "the watcher to seal for the overdue request");
      ExitTool.Run switched = ExitTool.run(dir, stranger, "activate-exodus", l1Args);
      assertThat(switched.status()).as(switched.err()).isZero();
      assertThat(reader.exodus().send()).isTrue();
      await(() -> told.size() > 1, "the watcher to see exodus");
      assertThat(told).containsExactly("seal", "exodus at batch " + batches);
    }

    // The node, started again, sees exodus and stops sequencing with a clear status.
    node.open();
    await(() -> node.status().getL1Exodus(), "the node to report exodus");
    try {
      node.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(node.wallets.get(2).transfer(1, BigInteger.valueOf(1_000), BigInteger.ONE, 0)).build());
      throw new AssertionError("a node in exodus accepted a transfer");
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getDescription()).contains("stopped accepting").contains("exodus");
    }
    assertThat(node.node.pendingAccount(4)).as("the late deposit is never fed").isEmpty();
    node.close();
    node = null;
    deleteTree(dir.resolve("node"));

    // ---- 3. Everyone leaves with nothing but the RPC and the contract address.
    ExitTool.Run balance = ExitTool.run(dir, users.get(0), "balance", l1Args);
    assertThat(balance.status()).as(balance.err()).isZero();
    assertThat(balance.out()).contains("account 1   balance " + verified.get(1L).balance() + " wei");

    // Someone else's account: the contract recomputes the leaf with the caller as owner.
    ExitTool.Run someoneElse = ExitTool.run(dir, users.get(1), "exit-account", l1Args, "--account", "1");
    assertThat(someoneElse.status()).isEqualTo(2);
    assertThat(someoneElse.err()).contains("ExitProofInvalid()");
    // A tampered proof: one sibling changed.
    StateFromL1.Rebuilt rebuilt = StateFromL1.read(URI.create(chain.url()), rollup, Optional.empty());
    assertThat(rebuilt.state().stateRoot()).isEqualTo(verifiedRoot);
    assertThat(rebuilt.accounts()).containsAllEntriesOf(verified);
    List<byte[]> tampered = new ArrayList<>();
    for (Fr s : rebuilt.siblings(3)) {
      tampered.add(s.toBytes());
    }
    tampered.set(1, Fr.of(BigInteger.valueOf(12345)).toBytes());
    AccountLeaf carol = verified.get(3L);
    String tamperedExit = reader.exit(BigInteger.valueOf(3), carol.keyHash().toBytes(), BigInteger.ZERO, carol.balance(), BigInteger.valueOf(carol.nonce()), tampered).encodeFunctionCall();
    assertThat(chain.revertOf(users.get(2), rollup, BigInteger.ZERO, tamperedExit)).contains("ExitProofInvalid()");

    for (int i = 0; i < 3; i++) {
      Credentials user = users.get(i);
      ExitTool.Run exit = ExitTool.run(dir, user, "exit-account", l1Args);
      assertThat(exit.status()).as(exit.err()).isZero();
      BigInteger expected = verified.get(i + 1L).balance();
      assertThat(reader.pendingWithdrawal(BigInteger.ZERO, user.getAddress()).send()).as("user %d gets exactly its last verified balance", i + 1).isEqualTo(expected);
      BigInteger before = chain.balance(user.getAddress());
      TransactionReceipt c = chain.claim(user, rollup);
      assertThat(chain.balance(user.getAddress())).isEqualTo(before.add(expected).subtract(L1Chain.fee(c)));
    }
    ExitTool.Run again = ExitTool.run(dir, users.get(0), "exit-account", l1Args);
    assertThat(again.status()).isEqualTo(2);
    assertThat(again.err()).contains("AlreadyExited(1)");

    // The unprocessed deposit is refunded exactly once.
    ExitTool.Run refund = ExitTool.run(dir, dave, "refund", l1Args);
    assertThat(refund.status()).as(refund.err()).isZero();
    assertThat(reader.pendingWithdrawal(BigInteger.ZERO, dave.getAddress()).send()).isEqualTo(LATE_DEPOSIT);
    ExitTool.Run refundAgain = ExitTool.run(dir, dave, "refund", l1Args);
    assertThat(refundAgain.status()).isEqualTo(2);
    assertThat(refundAgain.err()).contains("AlreadyRefunded(");
    assertThat(reader.pendingWithdrawal(BigInteger.ZERO, dave.getAddress()).send()).isEqualTo(LATE_DEPOSIT);
  }

  private static void await(BooleanSupplier done, String what) throws InterruptedException {
    Await.until(PATIENCE, done, what);
  }

  private Fr keyHash(int wallet) {
    return GenesisFile.keyHash(TestNode.POSEIDON2, TestNode.wallet(wallet).publicKey());
  }

  private static long requestsConsumed(Rollup reader) {
    try {
      return reader.requestsConsumed().send().longValueExact();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long published(Rollup reader) {
    try {
      return reader.batchCount().send().longValueExact();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
