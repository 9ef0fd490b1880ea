package io.zkrollup.sdk;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.zkrollup.api.v1.FindAccountsRequest;
import io.zkrollup.api.v1.FindAccountsResponse;
import io.zkrollup.api.v1.FoundAccount;
import io.zkrollup.api.v1.GetAccountRequest;
import io.zkrollup.api.v1.GetNodeStatusRequest;
import io.zkrollup.api.v1.GetTransactionStatusRequest;
import io.zkrollup.api.v1.RollupServiceGrpc;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.api.v1.StreamBatchEventsRequest;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.api.v1.SubmitTransactionResponse;
import io.zkrollup.api.v1.SubmitTransactionsRequest;
import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.statetree.field.Fr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A client of one node's {@code RollupService} (prover-api, {@code zkrollup/v1/rollup.proto}): what
 * an exchange or a wallet does with the rollup, with the node's refusals as typed exceptions.
 *
 * <pre>{@code
 * try (RollupClient node = RollupClient.connect("127.0.0.1:50051")) {
 *   NodeStatus status = node.nodeStatus();
 *   AccountKey key = KeyFile.read(Path.of("alice.key"));
 *   Account account = node.findAccounts(key.keyHash()).get(0);
 *   Wallet alice = new Wallet(key, account.index(), status.rollupId());
 *   Accepted accepted = node.submit(alice.transfer(2, amount, status.fee(), account.state().nonce()));
 *   node.awaitStage(accepted.txHash(), TransactionStage.SEALED, Duration.ofMinutes(1), s -> {});
 * } catch (TransactionRejectedException e) {
 *   // e.reason(), e.index(), e.getMessage()
 * }
 * }</pre>
 *
 * <p>Every unary call carries a grpc-java deadline ({@link Builder#deadline}, 30 s unless set);
 * only {@link #batchEvents}, which follows live events, has none. Every failure is a {@link
 * RollupException}: {@link TransactionRejectedException}, {@link NodeUnavailableException}, {@link
 * DeadlineExceededException}, {@link ResourceExhaustedException}, or the base class for the rest.
 * Thread-safe: share one client (its channel multiplexes calls).
 */
public final class RollupClient implements AutoCloseable {

  /** The deadline of each call unless the builder sets another. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

  /** How often {@link #awaitStage} asks for the transaction's status. */
  private static final Duration POLL = Duration.ofMillis(200);

  private final RollupServiceGrpc.RollupServiceBlockingStub blocking;
  private final RollupServiceGrpc.RollupServiceStub async;
  private final ManagedChannel owned;
  private final Duration deadline;

  private RollupClient(Channel channel, ManagedChannel owned, Duration deadline) {
    this.blocking = RollupServiceGrpc.newBlockingStub(channel);
    this.async = RollupServiceGrpc.newStub(channel);
    this.owned = owned;
    this.deadline = deadline;
  }

  /** A client of the node at {@code target} ({@code host:port}), plaintext, with the default deadline. */
  public static RollupClient connect(String target) {
    return builder().target(target).build();
  }

  /** A builder: a target or a channel, and a deadline. */
  public static Builder builder() {
    return new Builder();
  }

  /** How to reach the node, and the deadline of each call. */
  public static final class Builder {
    private String target;
    private Channel channel;
    private Duration deadline = DEFAULT_DEADLINE;

    private Builder() {}

    /** The node's {@code host:port}: the client opens a plaintext channel and closes it on {@link #close()}. */
    public Builder target(String hostPort) {
      this.target = Objects.requireNonNull(hostPort, "hostPort");
      this.channel = null;
      return this;
    }

    /**
     * A channel the caller made (TLS, a load balancer, an in-process channel for tests) and keeps
     * owning: {@link #close()} leaves it open.
     */
    public Builder channel(Channel c) {
      this.channel = Objects.requireNonNull(c, "channel");
      this.target = null;
      return this;
    }

    /** The deadline of each unary call (default {@link #DEFAULT_DEADLINE}). */
    public Builder deadline(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("the deadline must be positive, got " + d);
      }
      this.deadline = d;
      return this;
    }

    /** The client. */
    public RollupClient build() {
      if (channel != null) {
        return new RollupClient(channel, null, deadline);
      }
      if (target == null) {
        throw new IllegalStateException("give a target or a channel");
      }
      ManagedChannel c = NettyChannelBuilder.forTarget(target).usePlaintext().build();
      return new RollupClient(c, c, deadline);
    }
  }

  private RollupServiceGrpc.RollupServiceBlockingStub stub() {
    return blocking.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Submits one signed transaction (from {@link Wallet}). Returns once the node has journaled and
   * fsynced it: it will be in exactly one batch.
   *
   * @throws TransactionRejectedException if the node refused it (nothing changed)
   * @throws RollupException for any other failure (see the class comment)
   */
  public Accepted submit(SignedTransaction tx) {
    Objects.requireNonNull(tx, "tx");
    try {
      return accepted(stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(tx).build()));
    } catch (StatusRuntimeException e) {
      throw Errors.of(e, true);
    }
  }

  /**
   * Submits a list of signed transactions atomically, in order: the node accepts all of them or
   * none (an exchange's payouts). At most {@link NodeStatus#maxListSize()} transactions.
   *
   * @return one acknowledgement per transaction, in list order
   * @throws TransactionRejectedException if the node refused the list: {@link
   *     TransactionRejectedException#index()} is the offending transaction's position, and nothing
   *     of the list was accepted
   * @throws RollupException for any other failure (see the class comment)
   */
  public List<Accepted> submitAll(List<SignedTransaction> txs) {
    SubmitTransactionsRequest request = SubmitTransactionsRequest.newBuilder().addAllTransactions(txs).build();
    try {
      List<Accepted> out = new ArrayList<>(txs.size());
      for (SubmitTransactionResponse r : stub().submitTransactions(request).getAcceptedList()) {
        out.add(accepted(r));
      }
      return List.copyOf(out);
    } catch (StatusRuntimeException e) {
      throw Errors.of(e, true);
    }
  }

  /** Where the transaction with hash {@code txHash} is; empty if the node has not accepted one with it. */
  public Optional<TransactionStatus> status(Fr txHash) {
    try {
      return Optional.of(Messages.status(stub().getTransactionStatus(GetTransactionStatusRequest.newBuilder().setTxHash(bytes(txHash)).build())));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw Errors.of(e, false);
    }
  }

  /**
   * Polls the transaction's status until it reaches {@code stage}, telling {@code onChange} each
   * new status (the first one included).
   *
   * @return the first status at {@code stage} or later
   * @throws RollupException if the node does not know the transaction (NOT_FOUND), or for any
   *     other failure of a call
   * @throws DeadlineExceededException if it has not reached {@code stage} within {@code timeout}
   * @throws InterruptedException if interrupted while waiting
   */
  public TransactionStatus awaitStage(Fr txHash, TransactionStage stage, Duration timeout, Consumer<TransactionStatus> onChange) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    TransactionStatus last = null;
    while (true) {
      TransactionStatus now =
          status(txHash).orElseThrow(() -> new RollupException(Status.Code.NOT_FOUND, "the node has accepted no transaction with hash " + txHash, null));
      if (!now.equals(last)) {
        last = now;
        onChange.accept(now);
      }
      if (now.stage().isAtLeast(stage)) {
        return now;
      }
      if (System.nanoTime() - end > 0) {
        throw new DeadlineExceededException("transaction " + txHash + " did not reach " + stage + " within " + timeout + "; it is " + now.stage(), null);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /**
   * The account at {@code index}: after every acknowledged transaction, and in the last built
   * batch's tree with its Merkle proof; empty if no account is there.
   *
   * @throws IllegalArgumentException if {@code index} is not a 32-bit unsigned value
   */
  public Optional<AccountView> account(long index) {
    if (index < 0 || index > 0xffff_ffffL) {
      throw new IllegalArgumentException("an account index is 0 to 2^32 - 1, got " + index);
    }
    try {
      return Optional.of(Messages.accountView(stub().getAccount(GetAccountRequest.newBuilder().setIndex((int) index).build())));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw Errors.of(e, false);
    }
  }

  /**
   * Every account of the key with hash {@code keyHash}, by index, after every acknowledged
   * transaction; empty if it holds none. In protocol v2 an account is (key, L1 owner, token), so a
   * key can hold several (one per owner that deposited to it). The node answers in pages of at most
   * 256 accounts; this follows them all.
   */
  public List<Account> findAccounts(Fr keyHash) {
    return find(FindAccountsRequest.newBuilder().setKeyHash(bytes(keyHash)));
  }

  /** Every account of {@code publicKey}: as {@link #findAccounts(Fr)} with its key hash. */
  public List<Account> findAccounts(EdDsaPublicKey publicKey) {
    return find(FindAccountsRequest.newBuilder().setPublicKey(ByteString.copyFrom(publicKey.toBytes())));
  }

  private List<Account> find(FindAccountsRequest.Builder request) {
    List<Account> out = new ArrayList<>();
    try {
      while (true) {
        FindAccountsResponse page = stub().findAccounts(request.build());
        for (FoundAccount a : page.getAccountsList()) {
          out.add(new Account(Integer.toUnsignedLong(a.getIndex()), Messages.state(a.getAccount())));
        }
        if (!page.getTruncated() || page.getAccountsCount() == 0) {
          return List.copyOf(out);
        }
        long next = out.get(out.size() - 1).index() + 1;
        if (next > 0xffff_ffffL) {
          return List.copyOf(out);
        }
        request.setFromIndex((int) next);
      }
    } catch (StatusRuntimeException e) {
      throw Errors.of(e, false);
    }
  }

  /** The node's parameters and progress. */
  public NodeStatus nodeStatus() {
    try {
      return Messages.nodeStatus(stub().getNodeStatus(GetNodeStatusRequest.getDefaultInstance()));
    } catch (StatusRuntimeException e) {
      throw Errors.of(e, false);
    }
  }

  /**
   * Follows the batches: {@code listener} gets the stored history from batch {@code fromBatch},
   * then every batch as it is sealed, proven and published, each (batch, stage) once and in order,
   * until {@link Subscription#close()}, the node ends the stream, or an error. The stream has no
   * deadline (it follows live events); returns at once.
   */
  public Subscription batchEvents(long fromBatch, BatchEventListener listener) {
    Objects.requireNonNull(listener, "listener");
    EventObserver observer = new EventObserver(listener);
    async.streamBatchEvents(StreamBatchEventsRequest.newBuilder().setFromBatch(fromBatch).build(), observer);
    return observer;
  }

  /** One batch event stream: passes events on, and cancels the call when closed. */
  private static final class EventObserver implements ClientResponseObserver<StreamBatchEventsRequest, io.zkrollup.api.v1.BatchEvent>, Subscription {
    private final BatchEventListener listener;
    private volatile ClientCallStreamObserver<StreamBatchEventsRequest> call;
    private volatile boolean closed;

    EventObserver(BatchEventListener listener) {
      this.listener = listener;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<StreamBatchEventsRequest> requestStream) {
      this.call = requestStream;
    }

    @Override
    public void onNext(io.zkrollup.api.v1.BatchEvent value) {
      if (!closed) {
        listener.onEvent(Messages.batchEvent(value));
      }
    }

    @Override
    public void onError(Throwable t) {
      if (closed) {
        return; // the CANCELLED of our own close()
      }
      listener.onError(
          t instanceof StatusRuntimeException e ? Errors.of(e, false) : new RollupException(Status.Code.UNKNOWN, String.valueOf(t.getMessage()), t));
    }

    @Override
    public void onCompleted() {
      if (!closed) {
        listener.onCompleted();
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        ClientCallStreamObserver<StreamBatchEventsRequest> c = call;
        if (c != null) {
          c.cancel("the client closed the subscription", null);
        }
      }
    }
  }

  /** Closes the channel the client opened ({@link Builder#target}); a caller's channel stays open. */
  @Override
  public void close() {
    if (owned != null) {
      owned.shutdownNow();
      try {
        owned.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Accepted accepted(SubmitTransactionResponse r) {
    return new Accepted(Fr.fromBytes(r.getTxHash().toByteArray()), r.getJournalIndex());
  }

  private static ByteString bytes(Fr f) {
    return ByteString.copyFrom(f.toBytes());
  }
}
