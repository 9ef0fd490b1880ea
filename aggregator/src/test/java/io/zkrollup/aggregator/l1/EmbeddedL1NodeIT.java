package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.coordinator.ClusterTestKeys;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.node.L1Endpoint;
import io.zkrollup.aggregator.node.NodeConfig;
import io.zkrollup.aggregator.node.TestNode;
import io.zkrollup.api.v1.GetTransactionStatusRequest;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.api.v1.SubmitTransactionResponse;
import io.zkrollup.api.v1.TransactionStage;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node on the embedded L1, end to end with real proofs (Groth16, B=5, D=4, a local worker):
 * accounts come from L1 deposits in queue order, transfers and a withdrawal are proven and
 * published in order, L1's root follows the node's, the owner claims the withdrawal, and a restart
 * neither publishes a batch again nor feeds a deposit twice.
 */
class EmbeddedL1NodeIT {

  private static final BigInteger BALANCE = BigInteger.valueOf(1_000_000);
  private static final BigInteger WITHDRAWN = BigInteger.valueOf(123_456);
  private static final L1Address DEPOSITOR = L1Address.of(HexFormat.of().parseHex("00000000000000000000000000000000000d0d0d"));
  private static final L1Address EXCHANGE = L1Address.of(HexFormat.of().parseHex("00000000000000000000000000000000000e0c4a"));

  @TempDir Path dir;

  private static void await(BooleanSupplier done, String what) throws InterruptedException {
    Await.until(Duration.ofMinutes(4), done, what);
  }

  @Test
  void depositsTransfersAndAWithdrawalGoThroughL1() throws Exception {
    TestNode.Options o =
        TestNode.Options.defaults()
            .withSealAfter(100)
            .withProver(ProofSystem.GROTH16, ClusterTestKeys.dir(), ClusterTestKeys.SLOTS, ClusterTestKeys.DEPTH)
            .withAccounts(0);
    NodeConfig c = TestNode.configFor(dir.resolve("node"), o);
    NodeConfig config =
        new NodeConfig(
            c.dataDir(), c.rollupId(), c.slots(), c.depth(), c.fee(), c.operator(), c.operatorKeyHash(), c.genesis(), c.sealAfterMillis(), c.ringSize(),
            c.verifiers(), c.maxListSize(), c.sealerQueue(), c.proving(), Optional.of(new L1Endpoint.Embedded(dir.resolve("l1"))));
    try (TestNode t = TestNode.start(config, 3, 1)) {
      EmbeddedL1 l1 = t.node.embeddedL1().orElseThrow();
      l1.fund(DEPOSITOR, BALANCE.multiply(BigInteger.TEN));
      for (int a = 1; a <= 3; a++) {
        l1.deposit(DEPOSITOR, GenesisFile.keyHash(TestNode.POSEIDON2, t.wallets.get(a).publicKey()), BALANCE);
      }
      await(() -> t.node.pendingAccount(3).isPresent(), "the third deposit to reach the node");
      for (int a = 1; a <= 3; a++) {
        assertThat(t.node.pendingAccount(a).orElseThrow().balance()).as("account " + a + " placed at the lowest empty index").isEqualTo(BALANCE);
      }
      t.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(t.wallets.get(1).transfer(2, BigInteger.valueOf(300), BigInteger.ONE, 0)).build());
      SubmitTransactionResponse withdrawal =
          t.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(t.wallets.get(3).withdrawal(EXCHANGE, WITHDRAWN, BigInteger.ONE, 0)).build());

      await(
          () -> {
            var s = t.status();
            return s.getSealedBatches() >= 5 && s.getBuiltBatches() == s.getSealedBatches() && l1.state().batchCount() == s.getSealedBatches();
          },
          "every batch to be published");
      var status = t.status();
      L1State state = l1.state();
      assertThat(state.stateRoot().toBytes()).as("L1's root is the node's").isEqualTo(status.getStateRoot().toByteArray());
      assertThat(state.depositsConsumed()).isEqualTo(4);
      assertThat(t.node.publishFailure()).isEmpty();
      assertThat(t.stub().getTransactionStatus(GetTransactionStatusRequest.newBuilder().setTxHash(withdrawal.getTxHash()).build()).getStage())
          .isEqualTo(TransactionStage.PUBLISHED);
      assertThat(l1.claim(EXCHANGE)).isEqualTo(WITHDRAWN);
      assertThat(l1.balance(EXCHANGE)).isEqualTo(WITHDRAWN);

      // A restart goes on from L1's batch count and the journal's deposit count.
      long published = state.batchCount();
      t.stop();
      t.open();
      EmbeddedL1 again = t.node.embeddedL1().orElseThrow();
      Fr key2 = GenesisFile.keyHash(TestNode.POSEIDON2, t.wallets.get(2).publicKey());
      again.deposit(DEPOSITOR, key2, BigInteger.valueOf(5));
      await(() -> again.state().depositsConsumed() == 5 && again.state().batchCount() == t.status().getSealedBatches(), "the new deposit to be published");
      assertThat(again.state().batchCount()).isEqualTo(published + 1);
      assertThat(t.node.pendingAccount(2).orElseThrow().balance()).isEqualTo(BALANCE.add(BigInteger.valueOf(300)).add(BigInteger.valueOf(5)));
      assertThat(t.node.pendingAccount(1).orElseThrow().balance()).as("no deposit fed twice").isEqualTo(BALANCE.subtract(BigInteger.valueOf(301)));
      assertThat(t.node.publishFailure()).isEmpty();
      assertThat(again.state().stateRoot().toBytes()).isEqualTo(t.status().getStateRoot().toByteArray());
    }
  }
}
