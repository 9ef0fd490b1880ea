package io.zkrollup.aggregator.l1;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Feeds L1 priority requests (deposits and forced withdrawals) into the node strictly in queue
 * order, one at a time: each is durable in the journal before the next is placed (the node picks a
 * deposit's account index when it is fed).
 */
public final class PriorityRequestWatcher implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PriorityRequestWatcher.class.getName());
  private static final int PAGE = 64;
  private static final long UNAVAILABLE_PAUSE_MILLIS = 5_000;

  private final RollupContract l1;
  private final Function<PriorityRequest, CompletableFuture<?>> node;
  private final Consumer<Throwable> onFailure;
  private final long pollMillis;
  private final Thread thread;
  private volatile boolean stopping;
  private volatile long next;

  /**
   * @param l1 where requests are queued
   * @param node journals one request; its future completes once the request is durable
   * @param fedAlready how many queue entries the node has journaled (it goes on from there)
   * @param pollMillis how often to look for new requests
   * @param onFailure told if a request is refused (feeding stops: the queue must stay in order)
   */
  public PriorityRequestWatcher(RollupContract l1, Function<PriorityRequest, CompletableFuture<?>> node, long fedAlready, long pollMillis, Consumer<Throwable> onFailure) {
    this.l1 = Objects.requireNonNull(l1, "l1");
    this.node = Objects.requireNonNull(node, "node");
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    this.next = fedAlready;
    this.pollMillis = pollMillis;
    this.thread = new Thread(this::run, "l1-request-watcher");
    this.thread.setDaemon(true);
  }

  /** Starts watching. */
  public void start() {
    thread.start();
  }

  /** The queue index of the next request to feed. */
  public long next() {
    return next;
  }

  private void run() {
    try {
      while (!stopping) {
        List<PriorityRequest> page;
        try {
          page = l1.requests(next, PAGE);
        } catch (L1UnavailableException e) {
          // An outage of the L1 node is no reason to stop the rollup: requests wait.
          if (!stopping) {
            LOG.warning(() -> "L1 unreachable, priority requests wait: " + e.getMessage());
            Thread.sleep(Math.max(pollMillis, UNAVAILABLE_PAUSE_MILLIS));
          }
          continue;
        }
        for (PriorityRequest r : page) {
          node.apply(r).get();
          next = r.index() + 1;
        }
        if (page.isEmpty()) {
          Thread.sleep(pollMillis);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RuntimeException e) {
      if (!stopping) {
        LOG.severe(() -> "L1 priority request " + next + " was refused; feeding stops here: " + e);
        onFailure.accept(e instanceof ExecutionException ? e.getCause() : e);
      }
    }
  }

  @Override
  public void close() {
    stopping = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
