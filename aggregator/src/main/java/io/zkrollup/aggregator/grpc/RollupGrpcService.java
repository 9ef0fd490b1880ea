package io.zkrollup.aggregator.grpc;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.zkrollup.aggregator.batch.BatchSealer;
import io.zkrollup.aggregator.batch.StoredBatch;
import io.zkrollup.aggregator.ingest.SubmissionCallback;
import io.zkrollup.aggregator.ledger.RejectReason;
import io.zkrollup.aggregator.ledger.RejectedException;
import io.zkrollup.aggregator.ledger.Rejection;
import io.zkrollup.aggregator.service.NodeApi;
import io.zkrollup.aggregator.service.NodeParameters;
import io.zkrollup.aggregator.service.NodeProgress;
import io.zkrollup.aggregator.service.TxStatus;
import io.zkrollup.api.v1.AccountState;
import io.zkrollup.api.v1.BatchEvent;
import io.zkrollup.api.v1.DataAvailabilityMode;
import io.zkrollup.api.v1.FailedBatch;
import io.zkrollup.api.v1.FindAccountsRequest;
import io.zkrollup.api.v1.FindAccountsResponse;
import io.zkrollup.api.v1.FoundAccount;
import io.zkrollup.api.v1.GetAccountRequest;
import io.zkrollup.api.v1.GetAccountResponse;
import io.zkrollup.api.v1.GetBatchDataRequest;
import io.zkrollup.api.v1.GetBatchDataResponse;
import io.zkrollup.api.v1.GetNodeStatusRequest;
import io.zkrollup.api.v1.GetNodeStatusResponse;
import io.zkrollup.api.v1.GetTransactionStatusRequest;
import io.zkrollup.api.v1.GetTransactionStatusResponse;
import io.zkrollup.api.v1.ProverQueue;
import io.zkrollup.api.v1.RollupServiceGrpc;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.api.v1.StreamBatchEventsRequest;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.api.v1.SubmitTransactionResponse;
import io.zkrollup.api.v1.SubmitTransactionsRequest;
import io.zkrollup.api.v1.SubmitTransactionsResponse;
import io.zkrollup.api.v1.TokenFee;
import io.zkrollup.api.v1.TransactionStage;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.batch.L1Data;
import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** Answers {@code zkrollup.v1.RollupService} for a node's {@link NodeApi}. */
public final class RollupGrpcService extends RollupServiceGrpc.RollupServiceImplBase {

  /**
   * The most accounts one {@code FindAccounts} answer lists (rollup.proto): a key with more is
   * answered in pages, so that one call's work and message stay bounded.
   */
  public static final int MAX_FOUND_ACCOUNTS = 256;

  private final NodeApi node;
  private final Poseidon2 poseidon2 = new Poseidon2();
  private final TransactionDecoder decoder = new TransactionDecoder(1 << 16);

  /** The service of a node's {@code api}. */
  public RollupGrpcService(NodeApi api) {
    this.node = Objects.requireNonNull(api, "api");
  }

  @Override
  public void submitTransaction(SubmitTransactionRequest request, StreamObserver<SubmitTransactionResponse> response) {
    ignoreCancel(response);
    if (!request.hasTransaction()) {
      response.onError(TxStatusCodes.toException(new Rejection(RejectReason.MALFORMED, 0, "the request has no transaction"), false));
      return;
    }
    submit(List.of(request.getTransaction()), false, response, (hashes, indices) -> accepted(hashes[0], indices[0]));
  }

  @Override
  public void submitTransactions(SubmitTransactionsRequest request, StreamObserver<SubmitTransactionsResponse> response) {
    ignoreCancel(response);
    int max = node.parameters().maxListSize();
    if (request.getTransactionsCount() > max) {
      response.onError(
          TxStatusCodes.toException(
              new Rejection(RejectReason.LIST_TOO_LONG, max, "a list holds at most " + max + " transactions, got " + request.getTransactionsCount()), false));
      return;
    }
    if (request.getTransactionsCount() == 0) {
      response.onError(TxStatusCodes.toException(new Rejection(RejectReason.MALFORMED, 0, "the list is empty"), false));
      return;
    }
    submit(
        request.getTransactionsList(),
        true,
        response,
        (hashes, indices) -> {
          SubmitTransactionsResponse.Builder b = SubmitTransactionsResponse.newBuilder();
          for (int i = 0; i < hashes.length; i++) {
            b.addAccepted(accepted(hashes[i], indices[i]));
          }
          return b.build();
        });
  }

  private interface Answer<T> {
    T of(Fr[] hashes, long[] indices);
  }

  private <T> void submit(List<SignedTransaction> txs, boolean inList, StreamObserver<T> response, Answer<T> answer) {
    List<SignedOp> ops = new ArrayList<>(txs.size());
    try {
      for (int i = 0; i < txs.size(); i++) {
        ops.add(decoder.decode(txs.get(i), i));
      }
    } catch (RejectedException e) {
      response.onError(TxStatusCodes.toException(e.rejection(), inList));
      return;
    }
    node.submissions().submit(
        ops,
        new SubmissionCallback() {
          @Override
          public void accepted(Fr[] txHashes, long[] journalIndices) {
            response.onNext(answer.of(txHashes, journalIndices));
            response.onCompleted();
          }

          @Override
          public void rejected(Rejection rejection) {
            response.onError(TxStatusCodes.toException(rejection, inList));
          }
        });
  }

  private static SubmitTransactionResponse accepted(Fr hash, long index) {
    return SubmitTransactionResponse.newBuilder().setTxHash(ByteString.copyFrom(hash.toBytes())).setJournalIndex(index).build();
  }

  @Override
  public void getAccount(GetAccountRequest request, StreamObserver<GetAccountResponse> response) {
    long index = Integer.toUnsignedLong(request.getIndex());
    if (!request.getKeyHash().isEmpty()) {
      Fr keyHash;
      try {
        keyHash = Fr.fromBytes(request.getKeyHash().toByteArray());
      } catch (IllegalArgumentException e) {
        response.onError(TxStatusCodes.malformedQuery("key_hash: " + e.getMessage()));
        return;
      }
      Optional<Long> found = node.accounts().indexOf(keyHash);
      if (found.isEmpty()) {
        response.onError(TxStatusCodes.refusal(RejectReason.UNKNOWN_ACCOUNT, "no account holds key hash " + keyHash));
        return;
      }
      index = found.get();
    }
    int depth = node.parameters().depth();
    if (depth < 63 && (index >>> depth) != 0) {
      // No account is there, as for a submission naming it (UNKNOWN_ACCOUNT): the index is merely one no leaf can have.
      response.onError(TxStatusCodes.refusal(RejectReason.UNKNOWN_ACCOUNT, "account " + index + " does not exist: it is outside the tree of depth " + depth));
      return;
    }
    Optional<AccountLeaf> pending = node.accounts().pendingAccount(index);
    BatchSealer.TreeView view = node.accounts().treeView(index);
    Optional<AccountLeaf> sealed = view.account();
    if (pending.isEmpty() && sealed.isEmpty()) {
      response.onError(TxStatusCodes.refusal(RejectReason.UNKNOWN_ACCOUNT, "account " + index + " does not exist"));
      return;
    }
    GetAccountResponse.Builder b =
        GetAccountResponse.newBuilder().setIndex((int) index).setSealedBatches(view.version()).setStateRoot(bytes(view.root()));
    pending.ifPresent(a -> b.setPending(state(a)));
    sealed.ifPresent(a -> b.setSealed(state(a)));
    for (Fr s : view.proof().siblings()) {
      b.addMerkleSiblings(bytes(s));
    }
    response.onNext(b.build());
    response.onCompleted();
  }

  @Override
  public void findAccounts(FindAccountsRequest request, StreamObserver<FindAccountsResponse> response) {
    Fr keyHash;
    try {
      keyHash =
          switch (request.getKeyCase()) {
            case KEY_HASH -> Fr.fromBytes(request.getKeyHash().toByteArray());
            case PUBLIC_KEY -> {
              EdDsaPublicKey key = EdDsaPublicKey.fromBytes(request.getPublicKey().toByteArray());
              yield AccountLeaf.keyHash(poseidon2, key.point().x(), key.point().y());
            }
            case KEY_NOT_SET -> throw new IllegalArgumentException("give key_hash or public_key");
          };
    } catch (IllegalArgumentException e) {
      String field =
          switch (request.getKeyCase()) {
            case KEY_HASH -> "key_hash: ";
            case PUBLIC_KEY -> "public_key: ";
            case KEY_NOT_SET -> "";
          };
      response.onError(TxStatusCodes.malformedQuery(field + e.getMessage()));
      return;
    }
    // One more than a page: whether the page is the last one.
    long[] indices = node.accounts().indicesOf(keyHash, Integer.toUnsignedLong(request.getFromIndex()), MAX_FOUND_ACCOUNTS + 1);
    FindAccountsResponse.Builder b = FindAccountsResponse.newBuilder().setTruncated(indices.length > MAX_FOUND_ACCOUNTS);
    for (int i = 0; i < Math.min(indices.length, MAX_FOUND_ACCOUNTS); i++) {
      long index = indices[i];
      node.accounts().pendingAccount(index).ifPresent(a -> b.addAccounts(FoundAccount.newBuilder().setIndex((int) index).setAccount(state(a))));
    }
    response.onNext(b.build());
    response.onCompleted();
  }

  @Override
  public void getTransactionStatus(GetTransactionStatusRequest request, StreamObserver<GetTransactionStatusResponse> response) {
    Fr hash;
    try {
      hash = Fr.fromBytes(request.getTxHash().toByteArray());
    } catch (IllegalArgumentException e) {
      response.onError(TxStatusCodes.malformedQuery("tx_hash: " + e.getMessage()));
      return;
    }
    Optional<TxStatus> status = node.batches().status(hash);
    if (status.isEmpty()) {
      response.onError(TxStatusCodes.refusal(RejectReason.UNKNOWN_TRANSACTION, "no accepted transaction has hash " + hash));
      return;
    }
    TxStatus s = status.get();
    GetTransactionStatusResponse.Builder b =
        GetTransactionStatusResponse.newBuilder().setStage(TransactionStage.forNumber(s.stage().ordinal() + 1)).setJournalIndex(s.journalIndex());
    if (s.batch() >= 0) {
      b.setBatchNumber(s.batch());
    }
    response.onNext(b.build());
    response.onCompleted();
  }

  @Override
  public void streamBatchEvents(StreamBatchEventsRequest request, StreamObserver<BatchEvent> response) {
    BatchEventStream.start(node.batches(), node.parameters().slots(), request.getFromBatch(), (ServerCallStreamObserver<BatchEvent>) response);
  }

  @Override
  public void getNodeStatus(GetNodeStatusRequest request, StreamObserver<GetNodeStatusResponse> response) {
    NodeParameters c = node.parameters();
    NodeProgress p = node.status().progress();
    GetNodeStatusResponse.Builder status =
        GetNodeStatusResponse.newBuilder()
            .setRollupId(c.rollupId())
            .setSlots(c.slots())
            .setDepth(c.depth())
            .setFee(c.fee().toString())
            .setOperator((int) c.operator())
            .setMaxListSize(c.maxListSize())
            .setJournalEntries(p.journalEntries())
            .setSealedBatches(p.sealedBatches())
            .setBuiltBatches(p.builtBatches())
            .setProvenBatches(p.provenBatches())
            .setStateRoot(bytes(p.stateRoot()))
            .setMode(mode(c.dataAvailability()))
            .setL1Exodus(node.status().l1Exodus())
            .setL1VerifiedBatches(node.status().l1VerifiedBatches())
            .setHalted(node.status().halted().orElse(""));
    node.status().servedFees().forEach((token, fee) -> status.addFees(TokenFee.newBuilder().setToken(token).setFee(fee.toString())));
    node.status()
        .proverQueue()
        .ifPresent(
            q -> {
              ProverQueue.Builder b = ProverQueue.newBuilder().setQueued(q.queued()).setLeased(q.leased()).setProvenAhead(q.provenAhead());
              new TreeMap<>(q.failed()).forEach((n, why) -> b.addFailed(FailedBatch.newBuilder().setBatchNumber(n).setLastError(why)));
              status.setProverQueue(b);
            });
    response.onNext(status.build());
    response.onCompleted();
  }

  @Override
  public void getBatchData(GetBatchDataRequest request, StreamObserver<GetBatchDataResponse> response) {
    long n = request.getBatchNumber();
    Optional<StoredBatch> stored = n < 0 ? Optional.empty() : node.batches().batch(n);
    if (stored.isEmpty()) {
      response.onError(TxStatusCodes.refusal(RejectReason.UNKNOWN_BATCH, "batch " + Long.toUnsignedString(n) + " is not built"));
      return;
    }
    StoredBatch b = stored.get();
    DataAvailability mode = node.parameters().dataAvailability();
    GetBatchDataResponse.Builder out =
        GetBatchDataResponse.newBuilder()
            .setBatchNumber(n)
            .setMode(mode(mode))
            .setPublicData(ByteString.copyFrom(b.publicData()))
            .setL1Data(ByteString.copyFrom(b.l1Data()))
            .setPubdataHash(bytes(b.publicInputs().pubdataHash()))
            .setOldRoot(bytes(b.oldRoot()))
            .setNewRoot(bytes(b.newRoot()));
    if (mode == DataAvailability.VALIDIUM) {
      byte[] l1 = b.l1Data();
      out.setTxHash(ByteString.copyFrom(l1, l1.length - L1Data.TX_HASH_BYTES, L1Data.TX_HASH_BYTES));
    }
    response.onNext(out.build());
    response.onCompleted();
  }

  private static DataAvailabilityMode mode(DataAvailability mode) {
    return mode == DataAvailability.VALIDIUM ? DataAvailabilityMode.DATA_AVAILABILITY_VALIDIUM : DataAvailabilityMode.DATA_AVAILABILITY_ROLLUP;
  }

  static ByteString bytes(Fr f) {
    return ByteString.copyFrom(f.toBytes());
  }

  private static AccountState state(AccountLeaf a) {
    return AccountState.newBuilder()
        .setKeyHash(bytes(a.keyHash()))
        .setBalance(a.balance().toString())
        .setNonce(a.nonce())
        .setOwner(ByteString.copyFrom(a.owner().toBytes()))
        .setToken((int) a.token())
        .build();
  }

  private static void ignoreCancel(StreamObserver<?> response) {
    // Answering a call the client cancelled is then a no-op instead of an exception.
    ((ServerCallStreamObserver<?>) response).setOnCancelHandler(() -> {});
  }
}
