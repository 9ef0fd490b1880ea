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
import io.zkrollup.aggregator.node.NodeConfig;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.BatchEvent;
import io.zkrollup.api.v1.BatchStage;
import io.zkrollup.api.v1.FindAccountsRequest;
import io.zkrollup.api.v1.FindAccountsResponse;
import io.zkrollup.api.v1.GetAccountRequest;
import io.zkrollup.api.v1.GetAccountResponse;
import io.zkrollup.api.v1.GetTransactionStatusRequest;
import io.zkrollup.api.v1.RollupServiceGrpc;
import io.zkrollup.api.v1.StreamBatchEventsRequest;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.api.v1.SubmitTransactionResponse;
import io.zkrollup.api.v1.TransactionStage;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
  void findAccountsListsEveryAccountOfAKeyInPagesAndRefusesWhatIsNotAKey() throws Exception {
    // Wallet 1's key holds account 1 (genesis) and, for 300 other L1 owners, accounts 9..308: more than one page.
    TestNode.Options o = TestNode.Options.defaults().withDepth(10);
    NodeConfig base = TestNode.configFor(dir, o);
    List<Deposit> genesis = new ArrayList<>(base.genesis());
    Fr aliceKey = TestNode.wallet(1).keyHash();
    for (int i = 0; i < 300; i++) {
      genesis.add(new Deposit(9 + i, aliceKey, L1Address.of(java.nio.ByteBuffer.allocate(20).putInt(16, 0x10000 + i).array()), BigInteger.valueOf(i + 1)));
    }
    try (TestNode t = TestNode.start(base.toBuilder().genesis(genesis).build(), 8)) {
      FindAccountsRequest byHash = FindAccountsRequest.newBuilder().setKeyHash(ByteString.copyFrom(aliceKey.toBytes())).build();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      FindAccountsResponse first = t.stub().findAccounts(byHash);
      while (first.getAccountsCount() < RollupGrpcService.MAX_FOUND_ACCOUNTS && System.nanoTime() < deadline) {
        Thread.sleep(20); // the genesis deposits are still being journaled
        first = t.stub().findAccounts(byHash);
      }
      assertThat(first.getAccountsCount()).isEqualTo(RollupGrpcService.MAX_FOUND_ACCOUNTS);
      assertThat(first.getTruncated()).isTrue();
      assertThat(first.getAccounts(0).getIndex()).isEqualTo(1);
      assertThat(first.getAccounts(0).getAccount().getOwner().toByteArray()).isEqualTo(TestNode.OWNER.toBytes());
      assertThat(first.getAccounts(1).getIndex()).isEqualTo(9);
      assertThat(first.getAccounts(1).getAccount().getBalance()).isEqualTo("1");
      assertThat(first.getAccounts(1).getAccount().getKeyHash()).isEqualTo(ByteString.copyFrom(aliceKey.toBytes()));
      int last = first.getAccounts(255).getIndex();
      assertThat(last).isEqualTo(9 + 254);
      FindAccountsResponse second = t.stub().findAccounts(byHash.toBuilder().setFromIndex(last + 1).build());
      assertThat(second.getTruncated()).isFalse();
      assertThat(second.getAccountsList()).extracting(a -> a.getIndex()).startsWith(last + 1).endsWith(308).hasSize(301 - 256);

      // By public key: the same accounts.
      FindAccountsResponse byKey =
          t.stub().findAccounts(FindAccountsRequest.newBuilder().setPublicKey(ByteString.copyFrom(TestNode.wallet(1).publicKey().toBytes())).setFromIndex(300).build());
      assertThat(byKey.getAccountsList()).extracting(a -> a.getIndex()).containsExactly(300, 301, 302, 303, 304, 305, 306, 307, 308);
      assertThat(t.stub().findAccounts(FindAccountsRequest.newBuilder().setPublicKey(ByteString.copyFrom(TestNode.wallet(2).publicKey().toBytes())).build()).getAccountsList())
          .extracting(a -> a.getIndex())
          .containsExactly(2);

      // A key nobody deposited for: an empty list, not an error.
      FindAccountsResponse none = t.stub().findAccounts(FindAccountsRequest.newBuilder().setPublicKey(ByteString.copyFrom(TestNode.wallet(99).publicKey().toBytes())).build());
      assertThat(none.getAccountsList()).isEmpty();
      assertThat(none.getTruncated()).isFalse();

      // What is not a key: INVALID_ARGUMENT with the node's ErrorInfo.
      byte[] notCanonical = new byte[32];
      java.util.Arrays.fill(notCanonical, (byte) 0xff);
      byte[] notAPoint = new byte[32];
      notAPoint[0] = 5;
      for (var bad :
          List.of(
              Map.entry(FindAccountsRequest.newBuilder().setKeyHash(ByteString.copyFrom(new byte[31])).build(), "key_hash"),
              Map.entry(FindAccountsRequest.newBuilder().setKeyHash(ByteString.copyFrom(notCanonical)).build(), "key_hash"),
              Map.entry(FindAccountsRequest.newBuilder().setPublicKey(ByteString.copyFrom(new byte[33])).build(), "public_key"),
              Map.entry(FindAccountsRequest.newBuilder().setPublicKey(ByteString.copyFrom(notAPoint)).build(), "public_key"),
              Map.entry(FindAccountsRequest.getDefaultInstance(), "give key_hash or public_key"))) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> t.stub().findAccounts(bad.getKey()));
        assertThat(e).as("%s", bad.getKey()).isNotNull();
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).startsWith(bad.getValue());
        assertThat(TxStatusCodes.errorInfo(e).getDomain()).isEqualTo(TxStatusCodes.DOMAIN);
        assertThat(TxStatusCodes.errorInfo(e).getReason()).isEqualTo("MALFORMED");
      }
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
