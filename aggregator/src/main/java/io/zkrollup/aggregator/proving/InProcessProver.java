package io.zkrollup.aggregator.proving;

import io.zkrollup.aggregator.batch.BatchEvents;
import io.zkrollup.aggregator.batch.BatchStore;
import io.zkrollup.aggregator.batch.BatchUpdate;
import io.zkrollup.aggregator.batch.StoredBatch;
import io.zkrollup.aggregator.batch.StoredProof;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.Prover;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Proves built batches in order on one thread of the node itself, until the prover cluster takes
 * the queue over: each proof is verified before it is stored and announced as {@link
 * BatchUpdate.Stage#PROVEN}.
 */
public final class InProcessProver implements AutoCloseable {

  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(InProcessProver.class.getName());

  private final Prover prover;
  private final BatchStore store;
  private final BatchEvents events;
  private final Consumer<Throwable> onFailure;
  private final LinkedBlockingQueue<StoredBatch> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final AutoCloseable subscription;
  private volatile boolean stopping;
  private volatile long provenCount;

  /**
   * Queues every built batch not yet proven, and every batch built from now on.
   *
   * @param prover keys for the node's B and D; this object closes it
   * @param store the batch store
   * @param events where SEALED updates come from and PROVEN updates go
   * @param onFailure told if a batch cannot be proven (proving stops; the node goes on accepting)
   */
  public InProcessProver(Prover prover, BatchStore store, BatchEvents events, Consumer<Throwable> onFailure) {
    this.prover = Objects.requireNonNull(prover, "prover");
    this.store = Objects.requireNonNull(store, "store");
    this.events = Objects.requireNonNull(events, "events");
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    this.provenCount = store.provenPrefix();
    long built = store.builtCount();
    for (long n = provenCount; n < built; n++) {
      queue.add(store.batch(n).orElseThrow());
    }
    this.subscription =
        events.subscribe(
            u -> {
              if (u.stage() == BatchUpdate.Stage.SEALED && u.batch().number() >= provenCount && !queue.contains(u.batch())) {
                queue.add(u.batch());
              }
            });
    this.thread = new Thread(this::run, "in-process-prover");
    this.thread.setDaemon(true);
  }

  /** Starts proving. */
  public void start() {
    thread.start();
  }

  /** How many batches from 0 on are proven. */
  public long provenCount() {
    return provenCount;
  }

  private void run() {
    try {
      while (!stopping) {
        StoredBatch batch = queue.take();
        if (batch.number() < provenCount) {
          continue;
        }
        long start = System.nanoTime();
        BatchProof proof = prover.prove(batch.witness(), batch.publicInputs());
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (!prover.verify(proof)) {
          throw new IllegalStateException("the proof of batch " + batch.number() + " does not verify");
        }
        store.storeProof(batch.number(), new StoredProof(proof.system().label(), proof.proof(), millis));
        provenCount = batch.number() + 1;
        events.publish(new BatchUpdate(batch, BatchUpdate.Stage.PROVEN, millis));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!stopping) {
        onFailure.accept(e);
      }
    }
  }

  @Override
  public void close() {
    stopping = true;
    try {
      subscription.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    thread.interrupt();
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      // Still inside a native prove: releasing its keys now would pull them from under it.
      LOG.warning("a proof is still running; its keys are left to the process exit");
      return;
    }
    prover.close();
  }
}
