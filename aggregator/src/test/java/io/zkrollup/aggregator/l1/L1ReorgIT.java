package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.StatusRuntimeException;
import io.zkrollup.aggregator.coordinator.JobCoordinator;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.node.L1Endpoint;
import io.zkrollup.aggregator.node.NodeConfig;
import io.zkrollup.aggregator.testing.ClusterTestKeys;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * L1 reorganisations under the node's deposits, made with anvil's {@code evm_snapshot} and {@code
 * evm_revert} (the chain goes back, and another deposit takes the dropped one's place in the
 * queue). Shallower than {@code --l1-confirmations}: the node never saw the dropped deposit and
 * feeds the one that replaced it. Deeper: the node fed the dropped one, so its batches can never be
 * committed; it stops accepting, naming the reorganisation, instead of going on. The node has no
 * worker: feeding is what is tested.
 */
class L1ReorgIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final int SLOTS = ClusterTestKeys.SLOTS;
  private static final int DEPTH = ClusterTestKeys.DEPTH;

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

  private static Fr keyHash(int wallet) {
    return GenesisFile.keyHash(TestNode.POSEIDON2, TestNode.wallet(wallet).publicKey());
  }

  /** A rollup (any proof passes: nothing is proven here) and a node on it waiting {@code confirmations} blocks. */
  private String start(int confirmations) throws Exception {
    chain = L1Chain.start(dir.resolve("l1"));
    String anyProof = chain.deploy(chain.contracts.dir().resolve("test/AcceptAnyProofVerifier.sol"), "AcceptAnyProofVerifier");
    String rollup = chain.deployRollup(anyProof, SLOTS, DEPTH, L1Chain.emptyRoot(DEPTH), keyHash(0));
    Credentials operator = L1Chain.key(0x0b);
    chain.setBalance(operator.getAddress(), BigInteger.TEN.pow(19));
    L1Endpoint.Ethereum l1 =
        new L1Endpoint.Ethereum(URI.create(chain.url()), rollup, ExitTool.keyFile(dir, operator), OptionalLong.of(chain.anvil.chainId()), 50, confirmations).acceptingDevelopmentKeys();
    // The shared keys and no worker: the node needs a prover to run on an L1, and nothing is proven here.
    TestNode.Options o = TestNode.Options.defaults().withProver(ProofSystem.GROTH16, ClusterTestKeys.dir(), SLOTS, DEPTH).withAccounts(0).withWorkers(0, JobCoordinator.Settings.defaults());
    NodeConfig config = TestNode.onL1(TestNode.configFor(dir.resolve("node"), o), l1);
    node = TestNode.start(config, 2);
    Await.until(PATIENCE, () -> node.node.pendingAccount(0).isPresent(), "the operator's account to be fed");
    return rollup;
  }

  private void mine(long blocks) throws Exception {
    chain.anvil.call("anvil_mine", Numeric.toHexStringWithPrefix(BigInteger.valueOf(blocks)));
  }

  @Test
  void aReorganisationShallowerThanTheConfirmationsIsNeverSeen() throws Exception {
    String rollup = start(3);
    Credentials alice = L1Chain.key(0x61);
    Credentials bob = L1Chain.key(0x62);
    chain.setBalance(alice.getAddress(), BigInteger.TEN.pow(19));
    chain.setBalance(bob.getAddress(), BigInteger.TEN.pow(19));

    String before = chain.anvil.snapshot();
    chain.deposit(alice, rollup, keyHash(1), BigInteger.valueOf(111)); // one block: not confirmed
    Thread.sleep(500); // several polls of the node's watcher
    assertThat(node.node.pendingAccount(1)).as("an unconfirmed deposit is not fed").isEmpty();
    chain.anvil.revert(before);
    chain.setBalance(bob.getAddress(), BigInteger.TEN.pow(19));
    chain.deposit(bob, rollup, keyHash(2), BigInteger.valueOf(222)); // request 1 again, another deposit
    mine(2);
    Await.until(PATIENCE, () -> node.node.pendingAccount(1).isPresent(), "the deposit that took its place to be fed");
    assertThat(node.node.pendingAccount(1).orElseThrow().keyHash()).isEqualTo(keyHash(2));
    assertThat(node.node.pendingAccount(1).orElseThrow().balance()).isEqualTo(BigInteger.valueOf(222));
    Thread.sleep(300);
    assertThat(node.node.failure()).isEmpty();
  }

  @Test
  void aReorganisationDeeperThanTheConfirmationsStopsTheNodeWithTheReason() throws Exception {
    String rollup = start(1);
    Credentials alice = L1Chain.key(0x61);
    Credentials bob = L1Chain.key(0x62);
    chain.setBalance(alice.getAddress(), BigInteger.TEN.pow(19));
    chain.setBalance(bob.getAddress(), BigInteger.TEN.pow(19));

    String before = chain.anvil.snapshot();
    chain.deposit(alice, rollup, keyHash(1), BigInteger.valueOf(111));
    Await.until(PATIENCE, () -> node.node.pendingAccount(1).isPresent(), "alice's deposit to be fed (1 confirmation)");
    chain.anvil.revert(before);
    chain.setBalance(bob.getAddress(), BigInteger.TEN.pow(19));
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
  }
}
