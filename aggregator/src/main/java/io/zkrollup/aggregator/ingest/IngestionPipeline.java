package io.zkrollup.aggregator.ingest;

import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import io.zkrollup.aggregator.fault.CrashPoint;
import io.zkrollup.aggregator.journal.Journal;
import io.zkrollup.aggregator.ledger.RejectReason;
import io.zkrollup.aggregator.ledger.Rejection;
import io.zkrollup.aggregator.sequencer.Sequencer;
import io.zkrollup.circuits.tx.PriorityOp;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.statetree.hash.Poseidon2;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The ingestion ring (LMAX Disruptor): signature verification on {@code verifiers} parallel
 * handlers → sequencer → journal (group commit, fsync) → acknowledgement and hand-off of closed
 * batches to the sealer. Producers never wait: a full ring refuses the submission with {@link
 * RejectReason#BUSY}.
 */
public final class IngestionPipeline implements AutoCloseable {

  /** Yields before a waiting handler parks (Disruptor counts them down from this). */
  private static final int SPINS_BEFORE_PARKING = 100;

  private static final long PARK_NANOS = 100_000;


  /**
   * @param ringSize slots in the ring, a power of two
   * @param verifiers parallel signature handlers
   * @param rollupId the rollup id signed messages name
   * @param tickMillis how often the clock tick lets the sequencer seal a batch that waited long enough
   */
  public record Settings(int ringSize, int verifiers, long rollupId, long tickMillis) {
    /** Validates the values. */
    public Settings {
      if (ringSize < 2 || Integer.bitCount(ringSize) != 1) {
        throw new IllegalArgumentException("ring size must be a power of two ≥ 2, got " + ringSize);
      }
      if (verifiers < 1) {
        throw new IllegalArgumentException("need at least one signature verifier, got " + verifiers);
      }
      if (tickMillis < 1) {
        throw new IllegalArgumentException("tick must be ≥ 1 ms, got " + tickMillis);
      }
    }
  }

  private final Disruptor<IngestEvent> disruptor;
  private final JournalStage journalStage;
  private final ScheduledExecutorService clock;
  private final Settings settings;
  private final Consumer<Throwable> onFailure;
  private RingBuffer<IngestEvent> ring;
  private volatile Throwable failure;
  private volatile boolean closed;

  /**
   * @param settings ring size, verifiers, rollup id, tick
   * @param poseidon2 the hash for messages and key hashes
   * @param sequencer the sequencer, recovered up to the journal's end
   * @param journal the journal
   * @param sealer where closed batches go once durable; may block, which holds the ring up
   * @param crashPoint where a crash test stops the journal for its SIGKILL ({@link
   *     CrashPoint#DEPOSIT_FED}; {@link CrashPoint#NONE} outside crash tests)
   * @param onFailure told once if the journal fails (the pipeline then refuses everything)
   */
  public IngestionPipeline(
      Settings settings, Poseidon2 poseidon2, Sequencer sequencer, Journal journal, SealedBatchSink sealer, CrashPoint crashPoint, Consumer<Throwable> onFailure) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    // Sleeping, not blocking: Disruptor 4's blocking strategy blocks only on the producers and spins
    // while a stage waits for the stage before it, which burned 0.5-1.2 of our 2 cores. 100 yields,
    // then 100 µs parks: p99 at 444/s went from 22 to 5.4 ms (docs/benchmarks.md, ingestion).
    this.disruptor =
        new Disruptor<>(
            IngestEvent::new, settings.ringSize(), DaemonThreadFactory.INSTANCE, ProducerType.MULTI, new SleepingWaitStrategy(SPINS_BEFORE_PARKING, PARK_NANOS));
    this.disruptor.setDefaultExceptionHandler(new FailStop());
    @SuppressWarnings("unchecked")
    EventHandler<IngestEvent>[] verifiers = new EventHandler[settings.verifiers()];
    for (int i = 0; i < verifiers.length; i++) {
      verifiers[i] = new SignatureStage(i, verifiers.length, poseidon2, settings.rollupId());
    }
    this.journalStage = new JournalStage(journal, sequencer.nextIndex(), sequencer.openBatch(), crashPoint, this::fail);
    disruptor
        .handleEventsWith(verifiers)
        .then(new SequencerStage(sequencer, () -> failure != null))
        .then(journalStage)
        .then(new AcknowledgeStage(sealer));
    this.clock = Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, "ingest-clock");
          t.setDaemon(true);
          return t;
        });
  }

  /** Starts the handlers and the clock. */
  public void start() {
    ring = disruptor.start();
    clock.scheduleAtFixedRate(this::tick, settings.tickMillis(), settings.tickMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Submits one transaction or an atomic list; {@code callback} hears the outcome exactly once,
   * immediately if the ring is full or the pipeline stopped.
   */
  public void submit(List<SignedOp> ops, SubmissionCallback callback) {
    Objects.requireNonNull(callback, "callback");
    if (closed || failure != null) {
      callback.rejected(new Rejection(RejectReason.NODE_HALTED, 0, haltedMessage()));
      return;
    }
    long seq;
    try {
      seq = ring.tryNext();
    } catch (InsufficientCapacityException e) {
      callback.rejected(new Rejection(RejectReason.BUSY, 0, "the ingestion queue is full (" + settings.ringSize() + " submissions); retry with backoff"));
      return;
    }
    try {
      ring.get(seq).submission(ops, callback);
    } finally {
      ring.publish(seq);
    }
  }

  /**
   * Submits a request from the L1 priority queue (a deposit or a forced withdrawal); waits for a
   * free slot rather than refusing.
   *
   * @return completes with the request's journal index once it is durable, or exceptionally with a
   *     {@link io.zkrollup.aggregator.ledger.RejectedException}
   */
  public CompletableFuture<Long> priority(PriorityOp op) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    if (closed || failure != null) {
      done.completeExceptionally(new IllegalStateException("the node has stopped accepting transactions"));
      return done;
    }
    long seq = ring.next();
    try {
      ring.get(seq).priority(op, done);
    } finally {
      ring.publish(seq);
    }
    return done;
  }

  /**
   * Seals the open batch now if it has ops, without waiting for its timer (an L1 request in it is
   * getting close to its deadline). Skipped if the ring is full: the batch then fills by itself.
   */
  public void sealNow() {
    clockEvent(IngestEvent::seal);
  }

  private void tick() {
    clockEvent(IngestEvent::tick);
  }

  private void clockEvent(Consumer<IngestEvent> kind) {
    if (failure != null || closed) {
      return;
    }
    try {
      long seq = ring.tryNext();
      try {
        kind.accept(ring.get(seq));
      } finally {
        ring.publish(seq);
      }
    } catch (InsufficientCapacityException e) {
      // A full ring ticks again soon; batches fill up by themselves meanwhile.
    }
  }

  /** Why submissions are refused: the cause, if there is one, tells the sender what to do (exodus: leave on L1). */
  private String haltedMessage() {
    Throwable f = failure;
    return "the node has stopped accepting transactions" + (f != null && f.getMessage() != null ? ": " + f.getMessage() : "");
  }

    /** Journal entries written durably: the next journal index. */
  public long durableEntries() {
    return journalStage.durableEntries();
  }

  /** Batches whose seal entry is durable. */
  public long sealedBatches() {
    return journalStage.sealedBatches();
  }

  /** The failure that stopped the pipeline, or null. */
  public Throwable failure() {
    return failure;
  }

  /** Stops accepting because another part of the node failed; waiting callers get NODE_HALTED. */
  public void halt(Throwable cause) {
    fail(cause);
  }

  private void fail(Throwable t) {
    if (failure == null && !closed) {
      failure = t;
      onFailure.accept(t);
    }
  }

  /** Stops accepting, lets the ring drain, and stops the handlers. */
  @Override
  public void close() {
    closed = true;
    clock.shutdownNow();
    try {
      disruptor.shutdown(10, TimeUnit.SECONDS);
    } catch (com.lmax.disruptor.TimeoutException e) {
      disruptor.halt();
    }
    journalStage.close();
  }

  /** Any exception escaping a handler stops accepting: the pipeline's state is no longer trustworthy. */
  private final class FailStop implements ExceptionHandler<IngestEvent> {
    @Override
    public void handleEventException(Throwable ex, long sequence, IngestEvent event) {
      // Keep the handler running so that every waiting caller is answered (NODE_HALTED).
      fail(ex);
    }

    @Override
    public void handleOnStartException(Throwable ex) {
      fail(ex);
    }

    @Override
    public void handleOnShutdownException(Throwable ex) {}
  }
}
