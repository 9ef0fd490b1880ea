package io.zkrollup.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.zkrollup.api.v1.BatchStage;
import io.zkrollup.api.v1.FindAccountsRequest;
import io.zkrollup.api.v1.FindAccountsResponse;
import io.zkrollup.api.v1.FoundAccount;
import io.zkrollup.api.v1.GetNodeStatusRequest;
import io.zkrollup.api.v1.GetNodeStatusResponse;
import io.zkrollup.api.v1.GetTransactionStatusRequest;
import io.zkrollup.api.v1.GetTransactionStatusResponse;
import io.zkrollup.api.v1.RollupServiceGrpc;
import io.zkrollup.api.v1.StreamBatchEventsRequest;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.api.v1.SubmitTransactionResponse;
import io.zkrollup.api.v1.SubmitTransactionsRequest;
import io.zkrollup.api.v1.SubmitTransactionsResponse;
import io.zkrollup.api.v1.TransactionStage;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a scripted RollupService in process: how each status the node answers becomes
 * a typed exception, deadlines, paging of FindAccounts, and the event stream. The client against a
 * real node is the aggregator's SdkIT.
 */
class RollupClientTest {

  private final Scripted service = new Scripted();
  private Server server;
  private ManagedChannel channel;
  private RollupClient client;
  private final Wallet alice = Wallet.fromSeed(KeysTest.seed(1), 1, 7);

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(service).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
    client = RollupClient.builder().channel(channel).deadline(Duration.ofMillis(500)).build();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** What the node answers a refusal with: a status, a message and an ErrorInfo (as TxStatusCodes builds it). */
  static StatusRuntimeException refusal(Status.Code code, String reason, int index, String message) {
    ErrorInfo info = ErrorInfo.newBuilder().setDomain("zkrollup.io").setReason(reason).putMetadata("index", Integer.toString(index)).build();
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder().setCode(code.value()).setMessage(message).addDetails(Any.pack(info)).build());
  }

  @Test
  void aRefusedListIsATransactionRejectionWithItsReasonAndIndex() {
    service.error = refusal(Status.Code.FAILED_PRECONDITION, "NONCE_GAP", 3, "transaction 3: nonce 9 is above account 1's next nonce 5");
    var tx = alice.transfer(2, BigInteger.TEN, BigInteger.ONE, 9);
    TransactionRejectedException e = catchThrowableOfType(TransactionRejectedException.class, () -> client.submitAll(List.of(tx, tx, tx, tx)));
    assertThat(e.reason()).isEqualTo(RejectionReason.NONCE_GAP);
    assertThat(e.index()).isEqualTo(3);
    assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.getMessage()).isEqualTo("transaction 3: nonce 9 is above account 1's next nonce 5");

    service.error = refusal(Status.Code.FAILED_PRECONDITION, "A_REASON_FROM_A_NEWER_NODE", 0, "new");
    assertThat(catchThrowableOfType(TransactionRejectedException.class, () -> client.submit(tx)).reason()).isEqualTo(RejectionReason.UNKNOWN);
  }

  @Test
  void everyReasonOfTheNodeHasItsNameInTheSdk() {
    for (String reason : List.of("MALFORMED", "BAD_SIGNATURE", "WRONG_KEY", "NONCE_REPLAYED", "NONCE_GAP", "INSUFFICIENT_BALANCE", "AMOUNT_OVERFLOW", "UNKNOWN_ACCOUNT", "FEE_TOO_LOW", "LIST_TOO_LONG")) {
      service.error = refusal(Status.Code.INVALID_ARGUMENT, reason, 0, reason);
      assertThat(catchThrowableOfType(TransactionRejectedException.class, () -> client.submit(alice.transfer(2, BigInteger.TEN, BigInteger.ONE, 0))).reason().name()).isEqualTo(reason);
    }
  }

  @Test
  void busyHaltedUnavailableAndDeadlinesHaveTheirOwnExceptions() {
    var tx = alice.transfer(2, BigInteger.TEN, BigInteger.ONE, 0);
    service.error = refusal(Status.Code.RESOURCE_EXHAUSTED, "BUSY", 0, "the ingestion ring is full");
    assertThat(catchThrowableOfType(ResourceExhaustedException.class, () -> client.submit(tx)).busy()).isTrue();
    service.error = Status.RESOURCE_EXHAUSTED.withDescription("message too large").asRuntimeException();
    assertThat(catchThrowableOfType(ResourceExhaustedException.class, () -> client.submit(tx)).busy()).isFalse();
    service.error = refusal(Status.Code.UNAVAILABLE, "NODE_HALTED", 0, "L1 is in exodus");
    assertThat(catchThrowableOfType(NodeUnavailableException.class, () -> client.submit(tx)).halted()).isTrue();
    service.error = Status.UNAVAILABLE.withDescription("connection refused").asRuntimeException();
    assertThat(catchThrowableOfType(NodeUnavailableException.class, () -> client.nodeStatus()).halted()).isFalse();
    service.error = Status.INTERNAL.withDescription("boom").asRuntimeException();
    RollupException other = catchThrowableOfType(RollupException.class, () -> client.submit(tx));
    assertThat(other).isExactlyInstanceOf(RollupException.class);
    assertThat(other.code()).isEqualTo(Status.Code.INTERNAL);

    service.error = null;
    service.hang = true;
    long start = System.nanoTime();
    DeadlineExceededException late = catchThrowableOfType(DeadlineExceededException.class, () -> client.submit(tx));
    assertThat(late.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void answersBecomeTheSdksValues() throws Exception {
    Fr hash = Fr.of(12345);
    SubmitTransactionResponse ack = SubmitTransactionResponse.newBuilder().setTxHash(ByteString.copyFrom(hash.toBytes())).setJournalIndex(42).build();
    service.accepted = ack;
    assertThat(client.submit(alice.transfer(2, BigInteger.TEN, BigInteger.ONE, 0))).isEqualTo(new Accepted(hash, 42));
    assertThat(client.submitAll(List.of(alice.transfer(2, BigInteger.TEN, BigInteger.ONE, 0)))).containsExactly(new Accepted(hash, 42));

    assertThat(client.status(Fr.of(1))).isEmpty();
    service.stages.add(GetTransactionStatusResponse.newBuilder().setStage(TransactionStage.PENDING).setJournalIndex(42).build());
    service.stages.add(GetTransactionStatusResponse.newBuilder().setStage(TransactionStage.PENDING).setJournalIndex(42).build());
    service.stages.add(GetTransactionStatusResponse.newBuilder().setStage(TransactionStage.PROVEN).setJournalIndex(42).setBatchNumber(3).build());
    List<TransactionStatus> seen = new ArrayList<>();
    TransactionStatus done = client.awaitStage(hash, io.zkrollup.sdk.TransactionStage.SEALED, Duration.ofSeconds(10), seen::add);
    assertThat(done.stage()).isEqualTo(io.zkrollup.sdk.TransactionStage.PROVEN);
    assertThat(done.batch()).hasValue(3);
    assertThat(seen).extracting(TransactionStatus::stage).containsExactly(io.zkrollup.sdk.TransactionStage.PENDING, io.zkrollup.sdk.TransactionStage.PROVEN);

    NodeStatus status = client.nodeStatus();
    assertThat(status.rollupId()).isEqualTo(7);
    assertThat(status.fee()).isEqualTo(BigInteger.TWO);
    assertThat(status.proving()).isFalse();
  }

  @Test
  void findAccountsFollowsEveryPage() {
    service.pageSize = 2;
    for (int i = 0; i < 5; i++) {
      service.accountIndices.add(10 + 3 * i);
    }
    List<Account> found = client.findAccounts(alice.keyHash());
    assertThat(found).extracting(Account::index).containsExactly(10L, 13L, 16L, 19L, 22L);
    assertThat(found.get(0).state().balance()).isEqualTo(BigInteger.valueOf(10));
    assertThat(found.get(0).state().keyHash()).isEqualTo(alice.keyHash());
    assertThat(service.requests).hasSize(3);
    assertThat(service.requests.get(1).getFromIndex()).isEqualTo(14);
    service.accountIndices.clear();
    assertThat(client.findAccounts(alice.publicKey())).isEmpty();
    assertThat(service.requests.get(3).getKeyCase()).isEqualTo(FindAccountsRequest.KeyCase.PUBLIC_KEY);
  }

  @Test
  void batchEventsArriveInOrderUntilTheSubscriptionCloses() throws Exception {
    LinkedBlockingQueue<BatchEvent> events = new LinkedBlockingQueue<>();
    CountDownLatch cancelled = service.cancelled;
    Subscription s =
        client.batchEvents(
            1,
            new BatchEventListener() {
              @Override
              public void onEvent(BatchEvent event) {
                events.add(event);
              }

              @Override
              public void onError(RollupException error) {
                throw new AssertionError("no error expected", error);
              }
            });
    BatchEvent first = events.poll(5, TimeUnit.SECONDS);
    assertThat(first).isNotNull();
    assertThat(first.batchNumber()).isEqualTo(1);
    assertThat(first.stage()).isEqualTo(io.zkrollup.sdk.BatchStage.SEALED);
    assertThat(events.poll(5, TimeUnit.SECONDS).stage()).isEqualTo(io.zkrollup.sdk.BatchStage.PROVEN);
    s.close();
    s.close();
    assertThat(cancelled.await(5, TimeUnit.SECONDS)).as("the node sees the cancel").isTrue();
  }

  /** A RollupService whose answers each test sets. */
  static final class Scripted extends RollupServiceGrpc.RollupServiceImplBase {
    volatile StatusRuntimeException error;
    volatile boolean hang;
    volatile SubmitTransactionResponse accepted = SubmitTransactionResponse.getDefaultInstance();
    final LinkedBlockingQueue<GetTransactionStatusResponse> stages = new LinkedBlockingQueue<>();
    final List<Integer> accountIndices = new ArrayList<>();
    final List<FindAccountsRequest> requests = new ArrayList<>();
    volatile int pageSize = 256;
    final CountDownLatch cancelled = new CountDownLatch(1);

    private <T> boolean failed(StreamObserver<T> out) {
      if (hang) {
        return true; // never answers: the client's deadline ends the call
      }
      if (error != null) {
        out.onError(error);
        return true;
      }
      return false;
    }

    @Override
    public void submitTransaction(SubmitTransactionRequest request, StreamObserver<SubmitTransactionResponse> out) {
      if (!failed(out)) {
        out.onNext(accepted);
        out.onCompleted();
      }
    }

    @Override
    public void submitTransactions(SubmitTransactionsRequest request, StreamObserver<SubmitTransactionsResponse> out) {
      if (!failed(out)) {
        SubmitTransactionsResponse.Builder b = SubmitTransactionsResponse.newBuilder();
        request.getTransactionsList().forEach(t -> b.addAccepted(accepted));
        out.onNext(b.build());
        out.onCompleted();
      }
    }

    @Override
    public void getTransactionStatus(GetTransactionStatusRequest request, StreamObserver<GetTransactionStatusResponse> out) {
      if (failed(out)) {
        return;
      }
      GetTransactionStatusResponse next = stages.poll();
      if (next == null) {
        out.onError(Status.NOT_FOUND.withDescription("no accepted transaction has this hash").asRuntimeException());
      } else {
        out.onNext(next);
        out.onCompleted();
      }
    }

    @Override
    public void getNodeStatus(GetNodeStatusRequest request, StreamObserver<GetNodeStatusResponse> out) {
      if (!failed(out)) {
        out.onNext(GetNodeStatusResponse.newBuilder().setRollupId(7).setFee("2").setSlots(8).setDepth(8).setMaxListSize(16).setStateRoot(ByteString.copyFrom(new byte[32])).build());
        out.onCompleted();
      }
    }

    @Override
    public void findAccounts(FindAccountsRequest request, StreamObserver<FindAccountsResponse> out) {
      if (failed(out)) {
        return;
      }
      synchronized (requests) {
        requests.add(request);
      }
      FindAccountsResponse.Builder b = FindAccountsResponse.newBuilder();
      for (int index : accountIndices) {
        if (index < Integer.toUnsignedLong(request.getFromIndex())) {
          continue;
        }
        if (b.getAccountsCount() == pageSize) {
          b.setTruncated(true);
          break;
        }
        b.addAccounts(
            FoundAccount.newBuilder()
                .setIndex(index)
                .setAccount(
                    io.zkrollup.api.v1.AccountState.newBuilder()
                        .setKeyHash(request.hasKeyHash() ? request.getKeyHash() : ByteString.copyFrom(new byte[32]))
                        .setBalance(Integer.toString(index))
                        .setOwner(ByteString.copyFrom(new byte[20]))));
      }
      out.onNext(b.build());
      out.onCompleted();
    }

    @Override
    public void streamBatchEvents(StreamBatchEventsRequest request, StreamObserver<io.zkrollup.api.v1.BatchEvent> out) {
      ((ServerCallStreamObserver<io.zkrollup.api.v1.BatchEvent>) out).setOnCancelHandler(cancelled::countDown);
      ByteString zero = ByteString.copyFrom(new byte[32]);
      io.zkrollup.api.v1.BatchEvent.Builder e = io.zkrollup.api.v1.BatchEvent.newBuilder().setBatchNumber(request.getFromBatch()).setOldRoot(zero).setNewRoot(zero).setPubdataHash(zero);
      out.onNext(e.setStage(BatchStage.BATCH_SEALED).build());
      out.onNext(e.setStage(BatchStage.BATCH_PROVEN).build());
      // and then live: the stream stays open until the client cancels
    }
  }
}
