package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.StatusRuntimeException;
import io.zkrollup.aggregator.coordinator.JobCoordinator;
import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.node.L1Endpoint;
import io.zkrollup.aggregator.node.NodeConfig;
import io.zkrollup.aggregator.testing.ClusterTestKeys;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.GetNodeStatusResponse;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * L1 reorganisations under the node, made with anvil's {@code evm_snapshot} and {@code evm_revert}
 * (the chain goes back; what it held after the snapshot is gone), at depths below and above
 * {@code --l1-confirmations}:
 *
 * <ul>
 *   <li>Below, under a deposit: the node never saw the dropped deposit and feeds the one that took
 *       its place in the queue.
 *   <li>Above, under a deposit the node fed: it stops accepting, naming the reorganisation, and
 *       goes back to what L1 verified (here nothing: the genesis root); the data directory then
 *       refuses to start.
 *   <li>With a prover: the tree's pin follows the commits L1 holds with the confirmations, not the
 *       built head; a commit dropped before it has them is sent again; one dropped after is deeper
 *       than the confirmations, and the node goes back to the batch L1 still holds, root and
 *       accounts.
 * </ul>
 *
 * One anvil for all (each test deploys its own rollup, on an always-accepting verifier: the proofs
 * are real, L1's check of them is not what is tested). Also here, as the other way L1 could stop
 * the node's feed: a full tree, whose deposits for new accounts Rollup.sol refuses, so the queue
 * never holds one the node cannot place.
 */
class L1ReorgIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final int SLOTS = ClusterTestKeys.SLOTS;
  private static final int DEPTH = ClusterTestKeys.DEPTH;

  @TempDir static Path shared;
  private static L1Chain chain;
  private static String anyProof;

  @TempDir Path dir;
  private TestNode node;
  private Rollup reader;

  @BeforeAll
  static void startChain() throws Exception {
    chain = L1Chain.start(shared.resolve("l1"));
    anyProof = chain.deploy(chain.contracts.dir().resolve("test/AcceptAnyProofVerifier.sol"), "AcceptAnyProofVerifier");
  }

  @AfterAll
  static void stopChain() {
    if (chain != null) {
      chain.close();
    }
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  private static Fr keyHash(int wallet) {
    return GenesisFile.keyHash(TestNode.POSEIDON2, TestNode.wallet(wallet).publicKey());
  }

  /** A rollup and a node on it waiting {@code confirmations} blocks, with {@code workers} local provers. */
  private String start(int confirmations, int workers) throws Exception {
    String rollup = chain.deployRollup(anyProof, SLOTS, DEPTH, L1Chain.emptyRoot(DEPTH), keyHash(0));
    reader = chain.reader(rollup);
    Credentials operator = L1Chain.key(0x0b);
    chain.setBalance(operator.getAddress(), BigInteger.TEN.pow(19));
    L1Endpoint.Ethereum l1 =
        new L1Endpoint.Ethereum(URI.create(chain.url()), rollup, ExitTool.keyFile(dir, operator), OptionalLong.of(chain.anvil.chainId()), 50, confirmations).acceptingDevelopmentKeys();
    // The shared keys: the node needs a prover to run on an L1.
    TestNode.Options o = TestNode.Options.defaults().withProver(ProofSystem.GROTH16, ClusterTestKeys.dir(), SLOTS, DEPTH).withAccounts(0).withWorkers(workers, JobCoordinator.Settings.defaults());
    NodeConfig config = TestNode.onL1(TestNode.configFor(dir.resolve("node"), o), l1);
    node = TestNode.start(config, 2, workers);
    Await.until(PATIENCE, () -> node.node.pendingAccount(0).isPresent(), "the operator's account to be fed");
    return rollup;
  }

  private void mine(long blocks) throws Exception {
    chain.anvil.call("anvil_mine", Numeric.toHexStringWithPrefix(BigInteger.valueOf(blocks)));
  }

  /** Mines a block every 100 ms until {@code done} holds (anvil mines only on transactions otherwise). */
  private void mineUntil(BooleanSupplier done, String what) throws Exception {
    long end = System.nanoTime() + PATIENCE.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      mine(1);
      Thread.sleep(100);
    }
  }

  private long l1Batches() {
    try {
      return reader.batchCount().send().longValueExact();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Fr l1Root() throws Exception {
    return Fr.of(reader.stateRoot().send());
  }

  private void fund(Credentials... who) throws Exception {
    for (Credentials c : who) {
      chain.setBalance(c.getAddress(), BigInteger.TEN.pow(19));
    }
  }

  @Test
  void aReorganisationShallowerThanTheConfirmationsIsNeverSeen() throws Exception {
    String rollup = start(3, 0);
    Credentials alice = L1Chain.key(0x61);
    Credentials bob = L1Chain.key(0x62);
    fund(alice, bob);

    String before = chain.anvil.snapshot();
    chain.deposit(alice, rollup, keyHash(1), BigInteger.valueOf(111)); // one block: not confirmed
    Thread.sleep(500); // several polls of the node's watcher
    assertThat(node.node.pendingAccount(1)).as("an unconfirmed deposit is not fed").isEmpty();
    chain.anvil.revert(before);
    fund(bob);
    chain.deposit(bob, rollup, keyHash(2), BigInteger.valueOf(222)); // request 1 again, another deposit
    mine(2);
    Await.until(PATIENCE, () -> node.node.pendingAccount(1).isPresent(), "the deposit that took its place to be fed");
    assertThat(node.node.pendingAccount(1).orElseThrow().keyHash()).isEqualTo(keyHash(2));
    assertThat(node.node.pendingAccount(1).orElseThrow().balance()).isEqualTo(BigInteger.valueOf(222));
    Thread.sleep(300);
    assertThat(node.node.failure()).isEmpty();
  }

  @Test
  void aReorganisationDeeperThanTheConfirmationsUnderADepositStopsTheNodeAndTakesItBackToWhatL1Verified() throws Exception {
    String rollup = start(1, 0);
    Credentials alice = L1Chain.key(0x61);
    Credentials bob = L1Chain.key(0x62);
    fund(alice, bob);

    String before = chain.anvil.snapshot();
    chain.deposit(alice, rollup, keyHash(1), BigInteger.valueOf(111));
    Await.until(PATIENCE, () -> node.node.pendingAccount(1).isPresent(), "alice's deposit to be fed (1 confirmation)");
    Await.until(PATIENCE, () -> node.node.builtCount() == 2, "the operator's batch and alice's to be built");
    chain.anvil.revert(before);
    fund(bob);
    chain.deposit(bob, rollup, keyHash(2), BigInteger.valueOf(222)); // request 1 is now bob's

    Await.until(PATIENCE, () -> node.node.failure().isPresent(), "the node to notice the reorganisation");
    assertThat(node.node.failure().orElseThrow())
        .isInstanceOf(L1ReorganisedException.class)
        .hasMessageContaining("L1 reorganised under priority requests the node journaled (up to request 1)")
        .hasMessageContaining("--l1-confirmations");
    assertThat(node.node.pendingAccount(1).orElseThrow().keyHash()).as("bob's deposit is never fed on top").isEqualTo(keyHash(1));
    try {
      node.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(node.wallets.get(1).transfer(0, BigInteger.ONE, BigInteger.ONE, 0)).build());
      throw new AssertionError("a node whose deposits L1 dropped accepted a transfer");
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getDescription()).contains("reorganised");
    }

    // L1 verified no batch: the node went back to the genesis root, which L1 holds.
    Await.until(PATIENCE, () -> node.status().getHalted().contains("went back"), "the node to go back");
    GetNodeStatusResponse status = node.status();
    assertThat(status.getBuiltBatches()).as("the tree is at the pinned version").isZero().isEqualTo(status.getL1VerifiedBatches()).isEqualTo(l1Batches());
    assertThat(node.node.pinnedTreeVersion()).isZero();
    assertThat(Fr.fromBytes(status.getStateRoot().toByteArray())).as("the node's root is L1's").isEqualTo(l1Root());
    assertThat(status.getHalted()).contains("L1 reorganised under priority requests").contains("went back to the 0 batches L1 verified");
    assertThat(node.node.treeView(0).account()).as("the operator's account was built in batch 0, which L1 never verified").isEmpty();
    assertThat(node.node.batch(0)).isEmpty();

    // The data directory went back, and says so at the next start.
    node.stop();
    assertThatThrownBy(node::open)
        .hasStackTraceContaining("this data directory went back to the 0 batches L1 verified after L1 reorganised deeper than --l1-confirmations")
        .hasStackTraceContaining("docs/operations.md, \"Recovery\"");
    node = null;
  }

  @Test
  void thePinFollowsConfirmedCommitsAndACommitDroppedBelowOrAboveTheConfirmationsIsSentAgainOrTakesTheNodeBack() throws Exception {
    String rollup = start(3, 1);
    Credentials alice = L1Chain.key(0x61);
    fund(alice);

    // 1. Batch 0 (the operator's account) is committed; the pin follows once it has 3 blocks.
    mineUntil(() -> node.node.l1VerifiedBatches() == 1, "batch 0's commit to be confirmed and pinned");
    assertThat(l1Batches()).isEqualTo(1);
    assertThat(node.status().getL1VerifiedBatches()).isEqualTo(1);
    assertThat(node.node.pinnedTreeVersion()).as("the tree's pin is L1's batch count").isEqualTo(1);

    // 2. Below the confirmations: batch 1's commit is mined, then dropped before it has 3 blocks.
    chain.deposit(alice, rollup, keyHash(1), BigInteger.valueOf(1_000_000));
    mine(2); // the deposit has its 3 blocks: the reorganisation below keeps it
    String beforeCommit = chain.anvil.snapshot();
    Await.until(PATIENCE, () -> l1Batches() == 2, "batch 1 (alice's deposit) to be committed");
    assertThat(node.node.builtCount()).isEqualTo(2);
    assertThat(node.node.l1VerifiedBatches()).as("a commit with 1 of 3 blocks is not verified yet").isEqualTo(1);
    assertThat(node.node.pinnedTreeVersion()).as("nor pinned (every built version was, before)").isEqualTo(1);
    Fr rootAfter1 = l1Root();
    chain.anvil.revert(beforeCommit);
    assertThat(l1Batches()).as("the commit is gone").isEqualTo(1);
    mineUntil(() -> node.node.l1VerifiedBatches() == 2, "batch 1 to be committed again and confirmed");
    assertThat(l1Batches()).isEqualTo(2);
    assertThat(l1Root()).isEqualTo(rootAfter1);
    assertThat(node.node.failure()).as("a reorganisation below the confirmations does not stop the node").isEmpty();

    // 3. Above the confirmations: batch 2's commit is confirmed and pinned, then dropped.
    String beforeTransfer = chain.anvil.snapshot();
    node.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(node.wallets.get(1).transfer(0, BigInteger.valueOf(100), BigInteger.ONE, 0)).build());
    mineUntil(() -> node.node.l1VerifiedBatches() == 3, "batch 2 (the transfer) to be committed, confirmed and pinned");
    chain.anvil.revert(beforeTransfer);
    assertThat(l1Batches()).isEqualTo(2);

    Await.until(PATIENCE, () -> node.node.failure().isPresent(), "the node to notice that L1 dropped a verified commit");
    assertThat(node.node.failure().orElseThrow())
        .isInstanceOf(L1ReorganisedException.class)
        .hasMessageContaining("L1 now holds 2 verified batches, fewer than the 3 it had verified")
        .hasMessageContaining("--l1-confirmations");
    Await.until(PATIENCE, () -> node.status().getHalted().contains("went back"), "the node to go back");
    GetNodeStatusResponse status = node.status();
    assertThat(status.getBuiltBatches()).as("the tree went back to what L1 holds").isEqualTo(2).isEqualTo(status.getL1VerifiedBatches());
    assertThat(node.node.pinnedTreeVersion()).as("and is pinned there").isEqualTo(2);
    assertThat(Fr.fromBytes(status.getStateRoot().toByteArray())).as("the node's root is L1's").isEqualTo(l1Root()).isEqualTo(rootAfter1);
    assertThat(status.getHalted()).contains("went back to the 2 batches L1 verified (root " + rootAfter1 + ")");
    AccountLeaf aliceAfter1 = node.node.treeView(1).account().orElseThrow();
    assertThat(aliceAfter1.balance()).as("alice's sealed account is as L1 holds it: before the transfer").isEqualTo(BigInteger.valueOf(1_000_000));
    assertThat(aliceAfter1.nonce()).isZero();
    assertThat(node.node.batch(2)).as("the batch L1 dropped is no longer built").isEmpty();
    try {
      node.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(node.wallets.get(1).transfer(0, BigInteger.valueOf(100), BigInteger.ONE, 1)).build());
      throw new AssertionError("a node that L1 reorganised under accepted a transfer");
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getDescription()).contains("reorganised");
    }
  }

  @Test
  void onAFullTreeL1RefusesNewAccountsAndTheNodeFeedsEveryQueuedDeposit() throws Exception {
    String rollup = start(1, 0);
    Credentials alice = L1Chain.key(0x61);
    chain.setBalance(alice.getAddress(), BigInteger.TEN.pow(19));
    // Leaves 1 … 15 (the operator has 0): the node places each new account where Rollup.sol counted it.
    for (int k = 1; k < 1 << DEPTH; k++) {
      chain.deposit(alice, rollup, Fr.of(7_000 + k), BigInteger.valueOf(k));
    }
    assertThat(reader.accountsMade().send()).isEqualTo(BigInteger.valueOf(1 << DEPTH));
    String newAccount = reader.deposit(Fr.of(7_000).toBytes(), alice.getAddress(), BigInteger.ONE).encodeFunctionCall();
    assertThat(chain.revertOf(alice, rollup, BigInteger.ONE, newAccount)).hasValue("TreeFull(16)");
    // Into an existing account: queued after the refusal, fed, credited.
    chain.deposit(alice, rollup, Fr.of(7_003), BigInteger.valueOf(100));
    Await.until(PATIENCE, () -> node.node.pendingAccount(3).map(a -> a.balance().equals(BigInteger.valueOf(103))).orElse(false), "the last deposit to be fed");
    for (int k = 1; k < 1 << DEPTH; k++) {
      assertThat(node.node.pendingAccount(k).orElseThrow().keyHash()).as("account %d", k).isEqualTo(Fr.of(7_000 + k));
    }
    assertThat(node.node.failure()).isEmpty();
  }
}
