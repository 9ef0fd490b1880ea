package io.zkrollup.aggregator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.batch.StoredBatch;
import io.zkrollup.aggregator.batch.StoredProof;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.GetTransactionStatusRequest;
import io.zkrollup.api.v1.SubmitTransactionsRequest;
import io.zkrollup.api.v1.SubmitTransactionsResponse;
import io.zkrollup.api.v1.TransactionStage;
import io.zkrollup.circuits.batch.PublicInputs;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.gnark.GnarkProver;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.api.v1.GetAccountRequest;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.sdk.Wallet;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node proves end to end with its local worker (Groth16, B=5, D=4, keys set up by the
 * node itself): transfers and a batched withdrawal are accepted over gRPC, sealed, proven with
 * real gnark proofs, verified, stored and reported; the stored proofs verify independently and
 * fail for other public inputs.
 */
class NodeProvingIT {

  @TempDir Path dir;

  @Test
  void acceptedTransactionsEndUpInProvenBatches() throws Exception {
    Path keys = dir.resolve("keys");
    TestNode.Options o = TestNode.Options.defaults().withSealAfter(100).withProver(ProofSystem.GROTH16, keys, 5, 4);
    o = o.withAccounts(3);
    // Protocol v3: wallets 1 and 2 also hold token 1 (accounts 4, 5); the operator's token-1 fee account is made after them (6).
    NodeConfig base = TestNode.configFor(dir.resolve("node"), o);
    List<Deposit> genesis = new ArrayList<>(base.genesis());
    for (int w = 1; w <= 2; w++) {
      genesis.add(new Deposit(3 + w, GenesisFile.keyHash(TestNode.POSEIDON2, TestNode.wallet(w).publicKey()), TestNode.OWNER, BigInteger.valueOf(9_000), 1));
    }
    NodeConfig config = base.toBuilder().genesis(genesis).tokenFees(Map.of(1, BigInteger.TWO)).build();
    try (TestNode t = TestNode.start(config, 3, 1)) {
      BigInteger fee = BigInteger.ONE;
      Wallet token1 = Wallet.fromSeed(TestNode.seed(1), 4, TestNode.ROLLUP, 1);
      // A mixed list: ETH, ETH, token 1, ETH: three batches, of fee tokens 0, 1, 0, all proven.
      SubmitTransactionsResponse accepted =
          t.stub().submitTransactions(
              SubmitTransactionsRequest.newBuilder()
                  .addTransactions(t.wallets.get(1).transfer(2, BigInteger.valueOf(300), fee, 0))
                  .addTransactions(t.wallets.get(2).transfer(3, BigInteger.valueOf(50), fee, 0))
                  .addTransactions(token1.transfer(5, BigInteger.valueOf(700), BigInteger.TWO, 0))
                  .addTransactions(t.wallets.get(3).withdrawal(L1Address.fromHex("0x00000000000000000000000000000000000a11ce"), BigInteger.valueOf(123_456), fee, 0))
                  .build());
      var done =
          t.await(s -> s.getSealedBatches() > 9 && s.getProvenBatches() == s.getSealedBatches() && s.getBuiltBatches() == s.getSealedBatches(),
              Duration.ofMinutes(5));
      for (var a : accepted.getAcceptedList()) {
        var status = t.stub().getTransactionStatus(GetTransactionStatusRequest.newBuilder().setTxHash(a.getTxHash()).build());
        assertThat(status.getStage()).isEqualTo(TransactionStage.PROVEN);
      }
      try (GnarkProver verifier = GnarkProver.load(LibZkProver.load(), keys)) {
        StoredBatch previous = null;
        for (long n = 0; n < done.getProvenBatches(); n++) {
          StoredBatch b = t.node.batch(n).orElseThrow();
          StoredProof p = t.node.proof(n).orElseThrow();
          assertThat(p.system()).isEqualTo("groth16");
          assertThat(verifier.verify(new BatchProof(ProofSystem.GROTH16, p.proof(), b.publicInputs()))).isTrue();
          PublicInputs other = new PublicInputs(b.oldRoot(), b.oldRoot(), n, b.publicInputs().pubdataHash());
          assertThat(verifier.verify(new BatchProof(ProofSystem.GROTH16, p.proof(), other))).isFalse();
          if (previous != null) {
            assertThat(b.oldRoot()).isEqualTo(previous.newRoot());
          }
          previous = b;
        }
        assertThat(previous.newRoot().toBytes()).isEqualTo(done.getStateRoot().toByteArray());
      }
      assertThat(t.stub().getAccount(GetAccountRequest.newBuilder().setIndex(6).build()).getSealed().getBalance()).as("the token-1 fee").isEqualTo("2");
      assertThat(t.stub().getAccount(GetAccountRequest.newBuilder().setIndex(0).build()).getSealed().getBalance()).as("3 ETH fees").isEqualTo("3");
    }
  }
}
