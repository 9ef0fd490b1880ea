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
import java.math.BigInteger;
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
    try (TestNode t = TestNode.start(dir.resolve("node"), o)) {
      BigInteger fee = BigInteger.ONE;
      SubmitTransactionsResponse accepted =
          t.stub().submitTransactions(
              SubmitTransactionsRequest.newBuilder()
                  .addTransactions(t.wallets.get(1).transfer(2, BigInteger.valueOf(300), fee, 0))
                  .addTransactions(t.wallets.get(2).transfer(3, BigInteger.valueOf(50), fee, 0))
                  .addTransactions(t.wallets.get(3).withdrawal(L1Address.of(new byte[20]), BigInteger.valueOf(123_456), fee, 0))
                  .build());
      var done =
          t.await(s -> s.getSealedBatches() > 4 && s.getProvenBatches() == s.getSealedBatches() && s.getBuiltBatches() == s.getSealedBatches(),
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
    }
  }
}
