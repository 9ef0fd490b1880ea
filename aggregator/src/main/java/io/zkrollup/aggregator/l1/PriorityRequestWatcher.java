package io.zkrollup.aggregator.l1;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.logging.Logger;

/**
 * Feeds L1 priority requests (deposits and forced withdrawals) into the node strictly in queue
 * order, one at a time: each is durable in the journal before the next is placed (the node picks a
 * deposit's account index when it is fed). On every poll it also watches the deadline of the oldest
 * request L1 has not consumed yet (docs/decisions.md, "Priority deadline"): once that request has
 * waited a quarter of {@code priorityDeadline} blocks, the node seals its open batch at once rather
 * than at its timer; at half the deadline it warns, since proving or publishing is then what
 * delays it. Once L1 reports exodus, it tells the node and stops.
 *
 * <p>Requests are fed only once they have the configured confirmations. If L1 still reorganises
 * under one that was fed (deeper than the confirmations), the contract's queue hash after the fed
 * requests no longer matches theirs: the watcher then stops the node with {@link
 * L1ReorganisedException} rather than let it build and commit batches L1 must refuse. It also
 * tells the node, on every idle poll, what L1 has verified with the confirmations ({@link
 * Node#l1Verified}): the node's state tree pins it, and a commit L1 takes back below it stops the
 * node the same way.
 */
public final class PriorityRequestWatcher implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PriorityRequestWatcher.class.getName());
  private static final int PAGE = 64;
  private static final long UNAVAILABLE_PAUSE_MILLIS = 5_000;

  /** What the watcher asks of the node. */
  public interface Node {
    /** Journals one request; the future completes once it is durable. */
    CompletableFuture<?> feed(PriorityRequest request);

    /** Seals the open batch now if it has ops: a request it holds is getting old. */
    void sealNow();

    /** L1 is in exodus: the node must stop sequencing for good. Called once. */
    void exodus(L1State state);

    /** A request was refused, or feeding failed: feeding stops (the queue must stay in order). */
    void failed(Throwable cause);

    /**
     * L1's state at the newest block with the node's confirmations, once per idle poll: the node
     * follows what L1 verified ({@code BatchSealer.followL1}).
     *
     * @throws L1ReorganisedException if L1 no longer holds what it had verified (the watcher stops
     *     and tells {@link #failed})
     */
    default void l1Verified(L1State confirmed) {}
  }

  /** When the oldest unconsumed request has waited this fraction of the deadline, the open batch is sealed. */
  static final int SEAL_AT_DEADLINE_DIVISOR = 4;

  /** When it has waited this fraction, the watcher warns (the delay is proving or publishing). */
  static final int WARN_AT_DEADLINE_DIVISOR = 2;

  private final RollupContract l1;
  private final Node node;
  private final long pollMillis;
  private final Thread thread;
  private volatile boolean stopping;
  private volatile long next;
  /** The queue hash after the requests fed in this run (null before the first): what L1 must still hold. */
  private byte[] fedHash;
  /** The last request the watcher sealed early for or warned about, so each gets one of each. */
  private long sealedFor = -1;
  private long warnedFor = -1;

  /**
   * @param l1 where requests are queued
   * @param node what the watcher feeds and tells
   * @param fedAlready how many queue entries the node has journaled (it goes on from there)
   * @param pollMillis how often to look for new requests
   */
  public PriorityRequestWatcher(RollupContract l1, Node node, long fedAlready, long pollMillis) {
    this.l1 = Objects.requireNonNull(l1, "l1");
    this.node = Objects.requireNonNull(node, "node");
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

  /**
   * What the deadline asks of the node for a request that has waited {@code age} blocks, with
   * {@code deadline} blocks allowed: seal a quarter in, so that a slow seal timer never eats the
   * time that proving and publishing need.
   */
  static boolean sealDue(long age, long deadline) {
    return age * SEAL_AT_DEADLINE_DIVISOR >= deadline;
  }

  private void run() {
    try {
      while (!stopping) {
        List<PriorityRequest> page;
        L1State state;
        try {
          state = l1.state();
          if (state.exodus()) {
            node.exodus(state);
            return;
          }
          page = l1.requests(next, PAGE);
        } catch (L1UnavailableException e) {
          // An outage of the L1 node is no reason to stop the rollup: requests wait.
          if (!stopping) {
            LOG.warning(() -> "L1 unreachable, priority requests wait: " + e.getMessage());
            Thread.sleep(Math.max(pollMillis, UNAVAILABLE_PAUSE_MILLIS));
          }
          continue;
        }
        if (!page.isEmpty() && fedHash == null) {
          fedHash = l1.queueHash(page.get(0).index()); // the page was checked against this hash
        }
        for (PriorityRequest r : page) {
          node.feed(r).get();
          fedHash = PriorityQueue.next(fedHash, r);
          next = r.index() + 1;
        }
        if (page.isEmpty()) {
          checkNotReorganised();
          followVerified();
          watchDeadline(state);
          Thread.sleep(pollMillis);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RuntimeException e) {
      if (!stopping) {
        LOG.severe(() -> e instanceof L1ReorganisedException ? e.getMessage() : "L1 priority request " + next + " was refused; feeding stops here: " + e);
        node.failed(e instanceof ExecutionException ? e.getCause() : e);
      }
    }
  }

  /** Stops the node if L1 no longer holds the requests it fed (a reorganisation deeper than the confirmations). */
  private void checkNotReorganised() {
    if (fedHash == null) {
      return;
    }
    byte[] onL1;
    try {
      onL1 = l1.queueHash(next);
    } catch (L1UnavailableException e) {
      return; // the next poll looks again
    }
    if (!Arrays.equals(onL1, fedHash)) {
      throw new L1ReorganisedException(
          "L1 reorganised under priority requests the node journaled (up to request " + (next - 1) + "): the contract's queue hash after them is now "
              + HexFormat.of().formatHex(onL1) + ", not " + HexFormat.of().formatHex(fedHash)
              + "; the node stops. This is deeper than --l1-confirmations: raise it, and see docs/operations.md, \"Recovery\"");
    }
  }

  /** Tells the node what L1 verified with the confirmations; it throws if L1 took a verified commit back. */
  private void followVerified() {
    L1State confirmed;
    try {
      confirmed = l1.confirmedState();
    } catch (L1UnavailableException e) {
      return; // the next poll looks again
    }
    node.l1Verified(confirmed);
  }

  /** Seals early, or warns, for the oldest request L1 has not consumed if the node has fed it. */
  private void watchDeadline(L1State state) {
    long oldest = state.requestsConsumed();
    if (oldest >= state.requestCount() || oldest >= next) {
      return; // nothing waits on L1, or the oldest is not fed yet (the next page feeds it)
    }
    long deadline = l1.priorityDeadline();
    long age;
    try {
      age = l1.blockNumber() - l1.requestBlock(oldest);
    } catch (L1UnavailableException e) {
      return; // the next poll looks again
    }
    if (sealDue(age, deadline) && sealedFor != oldest) {
      sealedFor = oldest;
      LOG.info(() -> "L1 priority request " + oldest + " has waited " + age + " of " + deadline + " blocks: sealing the open batch now");
      node.sealNow();
    }
    if (age * WARN_AT_DEADLINE_DIVISOR >= deadline && warnedFor != oldest) {
      warnedFor = oldest;
      String when = age < deadline ? "after " + (deadline - age) + " more blocks anyone may start exodus" : "anyone may start exodus now";
      LOG.warning(
          () -> "L1 priority request " + oldest + " has waited " + age + " of its " + deadline + " blocks and is still not on L1: " + when
              + "; check the provers and the L1 publisher");
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
