package io.zkrollup.aggregator.l1;

import io.zkrollup.aggregator.batch.BatchEvents;
import io.zkrollup.aggregator.batch.BatchStore;
import io.zkrollup.aggregator.batch.BatchUpdate;
import io.zkrollup.aggregator.batch.StoredBatch;
import io.zkrollup.aggregator.fault.CrashPoint;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Publishes proven batches to L1 in batch order. L1's own batch count says where to go on, so a
 * restart neither skips a batch nor publishes one twice. A batch L1 refuses stops publishing: the
 * later batches build on it, and the operator has to look. An L1 that cannot be reached ({@link
 * L1UnavailableException}) only pauses it.
 *
 * <p>A commit counts for good only once L1 holds it with the node's confirmations (the node's
 * {@code verified} count, which the state tree pins). Until then the publisher reads L1's count on
 * every poll: a reorganisation shallower than the confirmations that drops a commit it saw mined
 * makes it send that batch again. One that drops a commit below {@code verified} is deeper than the
 * confirmations: the publisher sends nothing then, and the request watcher stops the node.
 */
public final class L1Publisher implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(L1Publisher.class.getName());
  private static final long UNAVAILABLE_PAUSE_MILLIS = 5_000;

  private final RollupContract l1;
  private final BatchStore store;
  private final BatchEvents events;
  private final LongSupplier proven;
  private final LongSupplier verified;
  private final Consumer<Throwable> onFailure;
  private final CrashPoint crashPoint;
  private final Semaphore wake = new Semaphore(0);
  private final AutoCloseable subscription;
  private final Thread thread;
  private volatile boolean stopping;
  /** L1's batch count as last read or raised by a commit: status queries must not each ask L1. */
  private volatile long published;

  /**
   * @param l1 where batches go
   * @param store proven batches and their proofs
   * @param events PROVEN updates wake the publisher; PUBLISHED updates go out here
   * @param proven how many batches from 0 on are proven (announced in order)
   * @param verified how many batches L1 holds with the node's confirmations, as the node last saw
   * @param onFailure told if L1 refuses a batch (publishing stops)
   * @param crashPoint where a crash test stops the publisher for its SIGKILL ({@link
   *     CrashPoint#COMMIT_MINED}; {@link CrashPoint#NONE} outside crash tests)
   */
  public L1Publisher(
      RollupContract l1, BatchStore store, BatchEvents events, LongSupplier proven, LongSupplier verified, Consumer<Throwable> onFailure, CrashPoint crashPoint) {
    this.l1 = Objects.requireNonNull(l1, "l1");
    this.store = Objects.requireNonNull(store, "store");
    this.events = Objects.requireNonNull(events, "events");
    this.proven = Objects.requireNonNull(proven, "proven");
    this.verified = Objects.requireNonNull(verified, "verified");
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    this.crashPoint = Objects.requireNonNull(crashPoint, "crashPoint");
    this.subscription =
        events.subscribe(
            u -> {
              if (u.stage() == BatchUpdate.Stage.PROVEN) {
                wake.release();
              }
            });
    this.published = l1.batchCount();
    this.thread = new Thread(this::run, "l1-publisher");
    this.thread.setDaemon(true);
  }

  /** Starts publishing, beginning with what was proven before a restart. */
  public void start() {
    thread.start();
  }

  /**
   * How many batches from 0 on L1 has accepted, as last seen (read at start, before each commit,
   * and raised by each commit): cheap, so that transaction status queries can use it.
   */
  public long published() {
    return published;
  }

  private void run() {
    try {
      while (!stopping) {
        try {
          // L1 is asked only when there is something to publish, or a commit to see confirmed: an
          // RPC endpoint is not polled for nothing (the count only moves when this publisher commits).
          if (published < proven.getAsLong() || published > verified.getAsLong()) {
            long n = l1.batchCount();
            if (n < published) {
              final long was = published;
              LOG.warning(() -> "L1 holds " + n + " batches, no longer the " + was + " it had (a reorganisation dropped a commit)" + (n < verified.getAsLong() ? "" : ": sending again"));
            }
            published = n;
            // Below what L1 had verified, the reorganisation is deeper than the confirmations:
            // nothing is sent on it, and the request watcher stops the node.
            if (n >= verified.getAsLong() && n < proven.getAsLong()) {
              StoredBatch batch = store.batch(n).orElseThrow();
              byte[] proof = store.proof(n).orElseThrow().proof();
              l1.commitBatch(batch.l1Data(), batch.newRoot(), proof);
              crashPoint.reach(CrashPoint.COMMIT_MINED);
              published = n + 1;
              events.publish(new BatchUpdate(batch, BatchUpdate.Stage.PUBLISHED, 0));
              continue;
            }
          }
        } catch (L1UnavailableException e) {
          // L1 did not answer (after the contract client's own retries): try again later, from
          // L1's count, which tells whether the last commit got through.
          if (stopping) {
            return;
          }
          LOG.warning(() -> "L1 unreachable, publishing waits: " + e.getMessage());
          Thread.sleep(UNAVAILABLE_PAUSE_MILLIS);
          continue;
        }
        // Polling as well as waking: a PROVEN update can come between the check and the wait.
        wake.tryAcquire(200, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!stopping) {
        LOG.severe(() -> "L1 refused batch " + published + "; publishing stops: " + e.getMessage());
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
      LOG.warning("unsubscribing: " + e);
    }
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
