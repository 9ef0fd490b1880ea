package io.zkrollup.aggregator.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.rpc.ErrorInfo;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.BatchEvent;
import io.zkrollup.api.v1.GetAccountRequest;
import io.zkrollup.api.v1.GetAccountResponse;
import io.zkrollup.api.v1.GetBatchDataRequest;
import io.zkrollup.api.v1.GetTransactionStatusRequest;
import io.zkrollup.api.v1.RollupServiceGrpc;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.api.v1.StreamBatchEventsRequest;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.api.v1.SubmitTransactionsRequest;
import io.zkrollup.api.v1.SubmitTransactionsResponse;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.sdk.Wallet;
import io.zkrollup.prover.nativebridge.LibZkProver;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an independent client found by feeding the node values at the edges of the API (issue 21,
 * "Abusive clients"), over a real gRPC channel: each gets a defined answer and the node goes on
 * serving everyone else.
 */
class HostileClientTest {

  @TempDir static Path dir;
  static TestNode t;

  @BeforeAll
  static void start() throws InterruptedException {
    // The production default list size: a full list must fit the message limit this sets.
    t = TestNode.start(dir, TestNode.Options.defaults().withMaxList(1024));
    // Genesis fills the first batches; wait until one is built so a stream from 0 has history.
    t.await(s -> s.getBuiltBatches() >= 1, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    t.close();
  }

  @Test
  void aFromBatchOf2To63OrMoreWaitsForBatchesThatNeverComeInsteadOfFailing() {
    // from_batch is a uint64; Java reads 2^63 … 2^64 − 1 as negative longs. Before, the stream
    // answered UNKNOWN and the node logged NoSuchElementException.
    for (long fromBatch : new long[] {Long.MIN_VALUE, -1L}) {
      Iterator<BatchEvent> events =
          RollupServiceGrpc.newBlockingStub(t.channel)
              .withDeadlineAfter(1, TimeUnit.SECONDS)
              .streamBatchEvents(StreamBatchEventsRequest.newBuilder().setFromBatch(fromBatch).build());
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, events::hasNext);
      assertThat(e.getStatus().getCode()).as(Long.toUnsignedString(fromBatch)).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }
    // The node still streams for everyone else.
    Iterator<BatchEvent> fromZero =
        RollupServiceGrpc.newBlockingStub(t.channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .streamBatchEvents(StreamBatchEventsRequest.newBuilder().setFromBatch(0).build());
    assertThat(fromZero.next().getBatchNumber()).isZero();
  }

  @Test
  void aFloodOfConcurrentCallsNeitherGrowsThreadsNorFailsOtherwiseThanBusy() throws Exception {
    // 10,000 concurrent GetAccount calls once grew a node from 35 to 2,413 threads (grpc-java's
    // default executor is a cached pool). Now a fixed pool runs the calls, and calls beyond the
    // bound are refused as BUSY.
    // The client runs its callbacks on the calling thread, so any thread the flood adds is the node's.
    ManagedChannel client = NettyChannelBuilder.forAddress("127.0.0.1", t.runtime.apiPort()).usePlaintext().directExecutor().build();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int before = threads.getThreadCount();
    threads.resetPeakThreadCount();
    var stub = RollupServiceGrpc.newFutureStub(client).withDeadlineAfter(60, TimeUnit.SECONDS);
    List<ListenableFuture<GetAccountResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      calls.add(stub.getAccount(GetAccountRequest.newBuilder().setIndex(i % 8).build()));
    }
    int ok = 0;
    int busy = 0;
    for (ListenableFuture<GetAccountResponse> call : calls) {
      try {
        call.get();
        ok++;
      } catch (ExecutionException e) {
        StatusRuntimeException refused = (StatusRuntimeException) e.getCause();
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(TxStatusCodes.errorInfo(refused).getReason()).isEqualTo("BUSY");
        busy++;
      }
    }
    client.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    assertThat(ok + busy).isEqualTo(10_000);
    assertThat(ok).isPositive();
    assertThat(threads.getPeakThreadCount() - before).as("threads the flood added").isLessThan(20);
  }

  @Test
  void streamsBeyondTheBoundAreRefusedAsBusyAndAClosedOneFreesItsPlace() throws Exception {
    try (NodeServer small = NodeServer.start(t.node.api(), "127.0.0.1", 0, "test", LibZkProver.load().versions(), new CallLimits(2, 64, 2))) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", small.port()).usePlaintext().build();
      try {
        List<ClientCallStreamObserver<StreamBatchEventsRequest>> open = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          open.add(openStream(channel, new CompletableFuture<StatusRuntimeException>()));
        }
        // Let the two streams reach the server before the third asks.
        Thread.sleep(500);
        CompletableFuture<StatusRuntimeException> third = new CompletableFuture<>();
        openStream(channel, third);
        StatusRuntimeException refused = third.get(10, TimeUnit.SECONDS);
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(TxStatusCodes.errorInfo(refused).getReason()).isEqualTo("BUSY");

        open.get(0).cancel("done", null);
        // The server frees the place when it sees the cancellation; a new stream then stays open.
        Status.Code next = Status.Code.RESOURCE_EXHAUSTED;
        for (int attempt = 0; attempt < 50 && next == Status.Code.RESOURCE_EXHAUSTED; attempt++) {
          CompletableFuture<StatusRuntimeException> ended = new CompletableFuture<>();
          ClientCallStreamObserver<StreamBatchEventsRequest> s = openStream(channel, ended);
          try {
            next = ended.get(300, TimeUnit.MILLISECONDS).getStatus().getCode();
          } catch (java.util.concurrent.TimeoutException stillOpen) {
            next = Status.Code.OK;
            s.cancel("done", null);
          }
        }
        assertThat(next).as("a stream after one closed").isEqualTo(Status.Code.OK);
        open.get(1).cancel("done", null);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /** Opens a stream from a batch that never comes; {@code ended} gets its status if the server ends it. */
  private static ClientCallStreamObserver<StreamBatchEventsRequest> openStream(ManagedChannel channel, CompletableFuture<StatusRuntimeException> ended) {
    CompletableFuture<ClientCallStreamObserver<StreamBatchEventsRequest>> call = new CompletableFuture<>();
    RollupServiceGrpc.newStub(channel)
        .streamBatchEvents(
            StreamBatchEventsRequest.newBuilder().setFromBatch(1_000_000).build(),
            new ClientResponseObserver<StreamBatchEventsRequest, BatchEvent>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<StreamBatchEventsRequest> requests) {
                call.complete(requests);
              }

              @Override
              public void onNext(BatchEvent value) {}

              @Override
              public void onError(Throwable t) {
                ended.complete(Status.fromThrowable(t).asRuntimeException(Status.trailersFromThrowable(t)));
              }

              @Override
              public void onCompleted() {
                ended.complete(Status.OK.asRuntimeException());
              }
            });
    return call.join();
  }

  @Test
  void unparseableRequestsLogOneShortLineNotAStackTraceEach() throws Exception {
    java.util.logging.Logger grpcLog = java.util.logging.Logger.getLogger(ClientErrorLogFilter.GRPC_EXECUTOR_LOGGER);
    List<java.util.logging.LogRecord> records = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.logging.Handler capture =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            records.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    grpcLog.addHandler(capture);
    try {
      io.grpc.MethodDescriptor<byte[], byte[]> raw =
          RollupServiceGrpc.getSubmitTransactionMethod().toBuilder(new SubmissionRejectionTest.RawBytes(), new SubmissionRejectionTest.RawBytes()).build();
      byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02, 0x03, 0x04, 0x05};
      for (int i = 0; i < 20; i++) {
        StatusRuntimeException e =
            catchThrowableOfType(
                StatusRuntimeException.class,
                () -> io.grpc.stub.ClientCalls.blockingUnaryCall(t.channel, raw, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), garbage));
        assertThat(e).isNotNull();
      }
      Thread.sleep(200); // grpc-java logs after answering
    } finally {
      grpcLog.removeHandler(capture);
    }
    // Twenty bad requests, one line (the interval is 10 s), no stack trace, not SEVERE.
    assertThat(records).hasSize(1);
    assertThat(records.get(0).getThrown()).isNull();
    assertThat(records.get(0).getLevel()).isEqualTo(java.util.logging.Level.WARNING);
    assertThat(records.get(0).getMessage()).contains("a client's error").hasSizeLessThan(200);
  }

  @Test
  void refusedQueriesCarryTheNodesErrorInfo() {
    // Before, these answered a bare status: a program could not tell which rule refused it.
    var stub = t.stub();
    assertRefusal(() -> stub.getTransactionStatus(GetTransactionStatusRequest.newBuilder().setTxHash(ByteString.copyFrom(new byte[31])).build()),
        Status.Code.INVALID_ARGUMENT, "MALFORMED", "tx_hash");
    byte[] notAFieldElement = new byte[32];
    java.util.Arrays.fill(notAFieldElement, (byte) 0xff);
    assertRefusal(() -> stub.getTransactionStatus(GetTransactionStatusRequest.newBuilder().setTxHash(ByteString.copyFrom(notAFieldElement)).build()),
        Status.Code.INVALID_ARGUMENT, "MALFORMED", "tx_hash");
    assertRefusal(() -> stub.getTransactionStatus(GetTransactionStatusRequest.newBuilder().setTxHash(ByteString.copyFrom(new byte[32])).build()),
        Status.Code.NOT_FOUND, "UNKNOWN_TRANSACTION", "no accepted transaction");
    // Depth 8: index 200 is inside the tree but empty; 2^20 is outside it, and just as unknown.
    assertRefusal(() -> stub.getAccount(GetAccountRequest.newBuilder().setIndex(200).build()), Status.Code.NOT_FOUND, "UNKNOWN_ACCOUNT", "account 200");
    assertRefusal(() -> stub.getAccount(GetAccountRequest.newBuilder().setIndex(1 << 20).build()), Status.Code.NOT_FOUND, "UNKNOWN_ACCOUNT", "outside the tree");
    assertRefusal(() -> stub.getAccount(GetAccountRequest.newBuilder().setKeyHash(ByteString.copyFrom(new byte[32])).build()),
        Status.Code.NOT_FOUND, "UNKNOWN_ACCOUNT", "key hash");
    assertRefusal(() -> stub.getAccount(GetAccountRequest.newBuilder().setKeyHash(ByteString.copyFrom(new byte[5])).build()),
        Status.Code.INVALID_ARGUMENT, "MALFORMED", "key_hash");
    for (long batch : new long[] {1_000_000, -1L}) {
      assertRefusal(() -> stub.getBatchData(GetBatchDataRequest.newBuilder().setBatchNumber(batch).build()),
          Status.Code.NOT_FOUND, "UNKNOWN_BATCH", "batch " + Long.toUnsignedString(batch));
    }
  }

  @Test
  void reflectionServesTheErrorInfoProtoSoToolsCanDecodeRefusals() throws Exception {
    // grpcurl decodes a status's details by asking reflection for their type.
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(t.channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse r) {
                    answer.complete(r);
                  }

                  @Override
                  public void onError(Throwable e) {
                    answer.completeExceptionally(e);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setFileContainingSymbol(ErrorInfo.getDescriptor().getFullName()).build());
    ServerReflectionResponse r = answer.get(10, TimeUnit.SECONDS);
    requests.onCompleted();
    assertThat(r.hasErrorResponse()).as("error response %s", r.getErrorResponse()).isFalse();
    List<String> files = new ArrayList<>();
    for (ByteString file : r.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      FileDescriptorProto proto = FileDescriptorProto.parseFrom(file);
      files.add(proto.getName());
      if (proto.getName().equals("google/rpc/error_details.proto")) {
        assertThat(proto.getMessageTypeList()).anyMatch(m -> m.getName().equals("ErrorInfo"));
      }
    }
    assertThat(files).contains("google/rpc/error_details.proto");
  }

  @Test
  void amountsWithLeadingZerosAreMalformedAndAFullListOfValidWithdrawalsIsAccepted() throws Exception {
    // An independent client wrote the amounts of 1,024 valid withdrawals with leading zeros, which
    // the node took; padded to 64 characters, the list exceeded the message limit, which the docs
    // say fits any full list. Amounts are now canonical decimals, so a valid transaction has a
    // longest form and a full list of them fits (see the next test). A padded amount is MALFORMED
    // (here in a full list short enough for gRPC to pass on), and the canonical list is accepted.
    int max = t.config.maxListSize();
    assertThat(max).isEqualTo(1024);
    Wallet payer = t.wallets.get(2);
    long nonce = t.stub().getAccount(GetAccountRequest.newBuilder().setIndex(2).build()).getPending().getNonce();
    SubmitTransactionsRequest.Builder canonical = SubmitTransactionsRequest.newBuilder();
    SubmitTransactionsRequest.Builder padded = SubmitTransactionsRequest.newBuilder();
    for (int i = 0; i < max; i++) {
      SignedTransaction w = payer.withdrawal(l1(i + 1), BigInteger.valueOf(100), BigInteger.ONE, nonce + i);
      canonical.addTransactions(w);
      padded.addTransactions(w.toBuilder().setWithdrawal(w.getWithdrawal().toBuilder().setAmount("0100")).build());
    }
    long journal = t.status().getJournalEntries();
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> t.stub().submitTransactions(padded.build()));
    assertThat(e).as("a padded list must be refused").isNotNull();
    assertThat(e.getStatus().getCode()).as("status %s", e.getStatus()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(TxStatusCodes.errorInfo(e).getReason()).isEqualTo("MALFORMED");
    assertThat(TxStatusCodes.errorInfo(e).getMetadataMap()).containsEntry("index", "0");
    assertThat(e.getStatus().getDescription()).contains("leading zeros");
    assertThat(t.status().getJournalEntries()).as("nothing journaled").isEqualTo(journal);

    SubmitTransactionsResponse ok = t.stub().submitTransactions(canonical.build());
    assertThat(ok.getAcceptedCount()).isEqualTo(max);
  }

  @Test
  void theMessageLimitFitsAFullListOfTheLongestTransactionsTheNodeReads() {
    // Every field as long as the decoder reads it: a 32-bit index, amounts of 39 digits (2^128 − 1,
    // the longest canonical decimal it parses), the largest nonce and token. A withdrawal is the
    // longest transaction. The node must see a full list of them and answer it with its own
    // refusal (the amount is too large to withdraw), not gRPC's size limit.
    Wallet w = t.wallets.get(3);
    SignedTransaction signed = w.withdrawal(l1(7), BigInteger.ONE, BigInteger.ONE, 0);
    String longestAmount = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE).toString();
    assertThat(longestAmount).hasSize(TransactionDecoder.MAX_AMOUNT_DIGITS);
    SignedTransaction longest =
        signed.toBuilder()
            .setWithdrawal(
                signed.getWithdrawal().toBuilder()
                    .setFrom(-1)
                    .setAmount(longestAmount)
                    .setMaxFee(longestAmount)
                    .setNonce(Long.MAX_VALUE)
                    .setToken(0xffff))
            .build();
    // Its size as an entry of the list, tag and length included.
    assertThat(com.google.protobuf.CodedOutputStream.computeMessageSize(1, longest)).isLessThanOrEqualTo(NodeServer.BYTES_PER_TRANSACTION);
    SubmitTransactionsRequest.Builder list = SubmitTransactionsRequest.newBuilder();
    for (int i = 0; i < t.config.maxListSize(); i++) {
      list.addTransactions(longest);
    }
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> t.stub().submitTransactions(list.build()));
    assertThat(e).isNotNull();
    assertThat(e.getStatus().getCode()).as("status %s", e.getStatus()).isEqualTo(Status.Code.OUT_OF_RANGE);
    assertThat(TxStatusCodes.errorInfo(e).getReason()).isEqualTo("AMOUNT_OVERFLOW");
  }

  @Test
  void aGzipRequestThatInflatesPastTheLimitIsResourceExhaustedAndLogsNothing() throws Exception {
    // 1 MiB of zeros compresses to about a kilobyte: the limit applies to the inflated message.
    SignedTransaction tx = t.wallets.get(4).transfer(5, BigInteger.ONE, BigInteger.ONE, 0);
    SubmitTransactionRequest huge =
        SubmitTransactionRequest.newBuilder().setTransaction(tx.toBuilder().setPublicKey(ByteString.copyFrom(new byte[1 << 20]))).build();
    List<java.util.logging.LogRecord> records = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.logging.Handler capture = capture(records);
    java.util.logging.Logger grpcLog = java.util.logging.Logger.getLogger(ClientErrorLogFilter.GRPC_EXECUTOR_LOGGER);
    grpcLog.addHandler(capture);
    long journal = t.status().getJournalEntries();
    try {
      StatusRuntimeException e =
          catchThrowableOfType(StatusRuntimeException.class, () -> t.stub().withCompression("gzip").submitTransaction(huge));
      assertThat(e).isNotNull();
      assertThat(e.getStatus().getCode()).as("status %s", e.getStatus()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(e.getStatus().getDescription()).contains("exceeds");
      Thread.sleep(200); // grpc-java logs after answering
    } finally {
      grpcLog.removeHandler(capture);
    }
    assertThat(records).as("log records").isEmpty();
    assertThat(t.status().getJournalEntries()).isEqualTo(journal);
    // A compressed request within the limit is served as before.
    assertThat(t.stub().withCompression("gzip").getAccount(GetAccountRequest.newBuilder().setIndex(1).build()).getIndex()).isEqualTo(1);
  }

  private static java.util.logging.Handler capture(List<java.util.logging.LogRecord> into) {
    return new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        into.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  /** A nonzero L1 address ending in {@code n}. */
  private static L1Address l1(int n) {
    return L1Address.of(java.nio.ByteBuffer.allocate(L1Address.BYTES).putInt(16, n).array());
  }

  private static void assertRefusal(Supplier<?> call, Status.Code code, String reason, String words) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::get);
    assertThat(e).as("the call must fail").isNotNull();
    assertThat(e.getStatus().getCode()).as("status %s", e.getStatus()).isEqualTo(code);
    assertThat(e.getStatus().getDescription()).contains(words);
    ErrorInfo info = TxStatusCodes.errorInfo(e);
    assertThat(info.getDomain()).as("ErrorInfo of %s", e.getStatus()).isEqualTo(TxStatusCodes.DOMAIN);
    assertThat(info.getReason()).isEqualTo(reason);
  }
}
