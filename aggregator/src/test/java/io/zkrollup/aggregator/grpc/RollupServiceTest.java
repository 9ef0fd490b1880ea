package io.zkrollup.aggregator.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.node.TestNode;
import io.zkrollup.api.v1.GetAccountRequest;
import io.zkrollup.api.v1.GetAccountResponse;
import io.zkrollup.api.v1.GetTransactionStatusRequest;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.api.v1.SubmitTransactionResponse;
import io.zkrollup.api.v1.TransactionStage;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RollupService over a real gRPC channel: the accept path. */
class RollupServiceTest {

  @TempDir Path dir;

  @Test
  void acceptsATransferJournalsItAndSealsItsBatch() throws Exception {
    try (TestNode t = TestNode.start(dir, TestNode.Options.defaults())) {
      SubmitTransactionResponse r =
          t.stub().submitTransaction(
              SubmitTransactionRequest.newBuilder().setTransaction(t.wallets.get(1).transfer(2, BigInteger.valueOf(100), BigInteger.ONE, 0)).build());
      assertThat(r.getTxHash().size()).isEqualTo(32);
      GetAccountResponse a1 = t.stub().getAccount(GetAccountRequest.newBuilder().setIndex(1).build());
      assertThat(a1.getPending().getBalance()).isEqualTo("999899");
      assertThat(a1.getPending().getNonce()).isEqualTo(1);
      GetTransactionStatusRequest ask = GetTransactionStatusRequest.newBuilder().setTxHash(r.getTxHash()).build();
      assertThat(t.stub().getTransactionStatus(ask).getJournalIndex()).isEqualTo(r.getJournalIndex());
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (t.stub().getTransactionStatus(ask).getStage() == TransactionStage.PENDING && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(t.stub().getTransactionStatus(ask).getStage()).isEqualTo(TransactionStage.SEALED);
      GetAccountResponse sealed = t.stub().getAccount(GetAccountRequest.newBuilder().setIndex(2).build());
      assertThat(sealed.getSealed().getBalance()).isEqualTo("1000100");
      assertThat(sealed.getMerkleSiblingsCount()).isEqualTo(8);
    }
  }
}
