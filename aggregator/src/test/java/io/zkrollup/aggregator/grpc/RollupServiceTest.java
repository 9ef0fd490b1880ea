package io.zkrollup.aggregator.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.BatchEvent;
import io.zkrollup.api.v1.BatchStage;
import io.zkrollup.api.v1.GetAccountRequest;
import io.zkrollup.api.v1.GetAccountResponse;
import io.zkrollup.api.v1.GetTransactionStatusRequest;
import io.zkrollup.api.v1.RollupServiceGrpc;
import io.zkrollup.api.v1.StreamBatchEventsRequest;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.api.v1.SubmitTransactionResponse;
import io.zkrollup.api.v1.TransactionStage;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RollupService over a real gRPC channel: the accept path, restart, events, health and reflection. */
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
      assertThat(a1.getPending().getOwner().toByteArray()).as("the v2 leaf's owner").isEqualTo(TestNode.OWNER.toBytes());
      assertThat(a1.getPending().getToken()).isZero();
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

  @Test
  void aRestartedNodeContinuesWhereItStopped() throws Exception {
    try (TestNode t = TestNode.start(dir, TestNode.Options.defaults())) {
      for (long nonce = 0; nonce < 5; nonce++) {
        t.stub().submitTransaction(
            SubmitTransactionRequest.newBuilder().setTransaction(t.wallets.get(3).transfer(4, BigInteger.TEN, BigInteger.ONE, nonce)).build());
      }
      GetAccountResponse before = t.stub().getAccount(GetAccountRequest.newBuilder().setIndex(3).build());
      long journal = t.status().getJournalEntries();
      t.stop();
      t.open();
      GetAccountResponse after = t.stub().getAccount(GetAccountRequest.newBuilder().setIndex(3).build());
      assertThat(after.getPending()).isEqualTo(before.getPending());
      assertThat(t.status().getJournalEntries()).isGreaterThanOrEqualTo(journal);
      // The next nonce is accepted, a replay of an old one is not.
      t.stub().submitTransaction(
          SubmitTransactionRequest.newBuilder().setTransaction(t.wallets.get(3).transfer(4, BigInteger.TEN, BigInteger.ONE, 5)).build());
      StatusRuntimeException replay =
          catchThrowableOfType(
              StatusRuntimeException.class,
              () -> t.stub().submitTransaction(
                  SubmitTransactionRequest.newBuilder().setTransaction(t.wallets.get(3).transfer(4, BigInteger.TEN, BigInteger.ONE, 2)).build()));
      assertThat(replay.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      GetAccountResponse sealed = t.stub().getAccount(GetAccountRequest.newBuilder().setIndex(3).build());
      while (sealed.getSealed().getNonce() < 6 && System.nanoTime() < deadline) {
        Thread.sleep(20);
        sealed = t.stub().getAccount(GetAccountRequest.newBuilder().setIndex(3).build());
      }
      assertThat(sealed.getSealed()).isEqualTo(sealed.getPending());
      assertThat(sealed.getSealed().getNonce()).isEqualTo(6);
    }
  }

  @Test
  void healthAndReflectionAnswerForStandardTools() throws Exception {
    try (TestNode t = TestNode.start(dir, TestNode.Options.defaults())) {
      HealthCheckResponse health =
          HealthGrpc.newBlockingStub(t.channel).check(HealthCheckRequest.newBuilder().setService(RollupServiceGrpc.SERVICE_NAME).build());
      assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

      List<String> services = new ArrayList<>();
      CountDownLatch done = new CountDownLatch(1);
      StreamObserver<ServerReflectionRequest> requests =
          ServerReflectionGrpc.newStub(t.channel)
              .serverReflectionInfo(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                      r.getListServicesResponse().getServiceList().forEach(x -> services.add(x.getName()));
                    }

                    @Override
                    public void onError(Throwable e) {
                      done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                      done.countDown();
                    }
                  });
      requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
      requests.onCompleted();
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(services).contains(RollupServiceGrpc.SERVICE_NAME, "zkrollup.v1.NodeInfo", "grpc.health.v1.Health");
    }
  }

  @Test
  void batchEventsStreamHistoryThenLiveBatches() throws Exception {
    try (TestNode t = TestNode.start(dir, TestNode.Options.defaults())) {
      // Genesis fills batches 0..7; the timer seals batch 8 with the last deposit.
      t.await(s -> s.getBuiltBatches() >= 9, Duration.ofSeconds(20));
      Iterator<BatchEvent> events =
          RollupServiceGrpc.newBlockingStub(t.channel).withDeadlineAfter(30, TimeUnit.SECONDS)
              .streamBatchEvents(StreamBatchEventsRequest.newBuilder().setFromBatch(2).build());
      BatchEvent first = events.next();
      assertThat(first.getBatchNumber()).isEqualTo(2);
      assertThat(first.getStage()).isEqualTo(BatchStage.BATCH_SEALED);
      assertThat(first.getSlots()).isEqualTo(8);
      ByteString root = first.getNewRoot();
      // History then live: consecutive batches, each chaining the previous root, past what was built when asking.
      t.stub().submitTransaction(
          SubmitTransactionRequest.newBuilder().setTransaction(t.wallets.get(5).transfer(6, BigInteger.TEN, BigInteger.ONE, 0)).build());
      for (long n = 3; n <= 9; n++) {
        BatchEvent e = events.next();
        assertThat(e.getBatchNumber()).isEqualTo(n);
        assertThat(e.getOldRoot()).isEqualTo(root);
        root = e.getNewRoot();
      }
    }
  }
}
