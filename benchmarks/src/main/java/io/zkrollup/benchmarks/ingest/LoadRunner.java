package io.zkrollup.benchmarks.ingest;

import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.zkrollup.aggregator.grpc.TxStatusCodes;
import io.zkrollup.api.v1.RollupServiceGrpc;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.api.v1.SubmitTransactionsRequest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;

/**
 * Submits pre-signed transfers over gRPC with async stubs, from one sender thread; responses are
 * handled on the channel's I/O thread (direct executor), where they only count and time.
 *
 * <ul>
 *   <li>{@link #closedLoop}: as fast as the node answers, with at most {@code concurrency} calls in
 *       flight; each call one transfer ({@code SubmitTransaction}) or an atomic list of {@code L}
 *       ({@code SubmitTransactions}).
 *   <li>{@link #openLoop}: one transfer per call at a fixed rate, whatever the answers do; latency
 *       counted from the moment a call was due, so that a stalled sender cannot hide latency
 *       (coordinated omission), and also from the moment it was actually sent.
 * </ul>
 *
 * <p>Transfers are taken from the pool in order, never twice. A call refused with {@code BUSY}
 * (RESOURCE_EXHAUSTED: ingestion ring full) is counted and sent again, since the account's later
 * nonces depend on it; any other refusal is counted and dropped.
 */
public final class LoadRunner {

  /** A closed-loop mode: list size 1 means {@code SubmitTransaction}, more means {@code SubmitTransactions}. */
  public record Mode(int listSize, int concurrency) {
    /** Parses {@code single@C} or {@code listL@C}. */
    public static Mode parse(String s) {
      String[] p = s.trim().split("@");
      if (p.length != 2) {
        throw new IllegalArgumentException("a mode is single@CONCURRENCY or listSIZE@CONCURRENCY, got " + s);
      }
      int c = Integer.parseInt(p[1]);
      if (p[0].equals("single")) {
        return new Mode(1, c);
      }
      if (p[0].startsWith("list")) {
        return new Mode(Integer.parseInt(p[0].substring(4)), c);
      }
      throw new IllegalArgumentException("a mode is single@CONCURRENCY or listSIZE@CONCURRENCY, got " + s);
    }

    /** How it was written. */
    public String label() {
      return (listSize == 1 ? "single" : "list" + listSize) + "@" + concurrency;
    }

    /** The RPC it uses. */
    public String rpc() {
      return listSize == 1 ? "SubmitTransaction" : "SubmitTransactions (" + listSize + " per call)";
    }
  }

  /** What is sampled at the start and the end of a measured window (CPU, node status). */
  public interface Probe {
    /** Takes a sample now. */
    Sample sample();
  }

  /** One probe sample. */
  public record Sample(Instant wall, CpuSnapshot cpu, NodeStatus status) {}

  /** The node's counters, from GetNodeStatus (all −1 if the call failed). */
  public record NodeStatus(long journalEntries, long sealedBatches, long builtBatches) {
    public static final NodeStatus UNKNOWN = new NodeStatus(-1, -1, -1);
  }

  /** The outcome of one measured window. */
  public record Result(
      String label,
      String rpc,
      double windowSeconds,
      long acceptedTx,
      long acceptedCalls,
      Map<String, Long> rejectedCalls,
      Map<String, Long> rejectedCallsAllPhases,
      Latencies.Summary latency,
      Latencies.Summary latencyFromSend,
      boolean poolExhausted,
      long senderLateCalls,
      Sample start,
      Sample end) {

    /** Accepted transfers per second in the window. */
    public double txPerSecond() {
      return acceptedTx / windowSeconds;
    }
  }

  private final List<RollupServiceGrpc.RollupServiceStub> stubs;
  private final SignedTransaction[] pool;
  private final long deadlineMillis;
  private final Consumer<String> log;
  private final Supplier<NodeStatus> nodeStatus;
  private int next;
  private int stubTurn;

  /**
   * @param stubs one stub per channel, used in turn
   * @param pool the pre-signed transfers, used in order
   * @param deadlineMillis the deadline of each call
   * @param nodeStatus for the progress lines
   * @param log where progress lines go
   */
  public LoadRunner(List<RollupServiceGrpc.RollupServiceStub> stubs, SignedTransaction[] pool, long deadlineMillis, Supplier<NodeStatus> nodeStatus, Consumer<String> log) {
    this.stubs = List.copyOf(stubs);
    this.pool = pool;
    this.deadlineMillis = deadlineMillis;
    this.nodeStatus = nodeStatus;
    this.log = log;
  }

  /** Transfers used so far. */
  public int used() {
    return next;
  }

  /** Transfers left in the pool. */
  public int left() {
    return pool.length - next;
  }

  // ------------------------------------------------------------------ accounting

  /** Counters of one run; updated from the I/O threads. */
  private static final class Tally {
    final long start;
    final long windowStart;
    final long windowEnd;
    final boolean windowByIntent;
    final LongAdder acceptedTx = new LongAdder();
    final LongAdder acceptedTxInWindow = new LongAdder();
    final LongAdder acceptedCallsInWindow = new LongAdder();
    final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
    final Map<String, LongAdder> rejectedInWindow = new ConcurrentHashMap<>();
    final Latencies latency = new Latencies();
    final Latencies latencyFromSend = new Latencies();
    final AtomicLong inflight = new AtomicLong();

    Tally(long start, long windowStart, long windowEnd, boolean windowByIntent) {
      this.start = start;
      this.windowStart = windowStart;
      this.windowEnd = windowEnd;
      this.windowByIntent = windowByIntent;
    }

    boolean inWindow(long intended, long done) {
      long t = windowByIntent ? intended : done;
      return t >= windowStart && t < windowEnd;
    }

    static Map<String, Long> freeze(Map<String, LongAdder> m) {
      Map<String, Long> out = new TreeMap<>();
      m.forEach((k, v) -> out.put(k, v.sum()));
      return out;
    }
  }

  /** One call's observer: counts the answer, frees the permit, queues a BUSY refusal again. */
  private final class Call<T> implements StreamObserver<T> {
    final Tally tally;
    final int first;
    final int count;
    final long intended;
    final long sent;
    final Semaphore permits;
    final ConcurrentLinkedQueue<int[]> retries;

    Call(Tally tally, int first, int count, long intended, long sent, Semaphore permits, ConcurrentLinkedQueue<int[]> retries) {
      this.tally = tally;
      this.first = first;
      this.count = count;
      this.intended = intended;
      this.sent = sent;
      this.permits = permits;
      this.retries = retries;
    }

    @Override
    public void onNext(T value) {}

    @Override
    public void onCompleted() {
      long done = System.nanoTime();
      tally.acceptedTx.add(count);
      if (tally.inWindow(intended, done)) {
        tally.acceptedTxInWindow.add(count);
        tally.acceptedCallsInWindow.increment();
        tally.latency.add(done - intended);
        tally.latencyFromSend.add(done - sent);
      }
      tally.inflight.decrementAndGet();
      permits.release();
    }

    @Override
    public void onError(Throwable t) {
      long done = System.nanoTime();
      ErrorInfo info = TxStatusCodes.errorInfo(t);
      Status.Code code = Status.fromThrowable(t).getCode();
      String key = info.getReason().isEmpty() ? code.name() : info.getReason() + " (" + code.name() + ")";
      tally.rejected.computeIfAbsent(key, k -> new LongAdder()).increment();
      if (tally.inWindow(intended, done)) {
        tally.rejectedInWindow.computeIfAbsent(key, k -> new LongAdder()).increment();
      }
      if ("BUSY".equals(info.getReason()) && retries != null) {
        retries.add(new int[] {first, count});
      }
      tally.inflight.decrementAndGet();
      permits.release();
    }
  }

  private void send(Tally tally, int first, int count, long intended, Semaphore permits, ConcurrentLinkedQueue<int[]> retries) {
    RollupServiceGrpc.RollupServiceStub stub = stubs.get(stubTurn++ % stubs.size()).withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
    tally.inflight.incrementAndGet();
    long sent = System.nanoTime();
    if (count == 1) {
      stub.submitTransaction(
          SubmitTransactionRequest.newBuilder().setTransaction(pool[first]).build(), new Call<>(tally, first, 1, intended, sent, permits, retries));
    } else {
      stub.submitTransactions(
          SubmitTransactionsRequest.newBuilder().addAllTransactions(Arrays.asList(pool).subList(first, first + count)).build(),
          new Call<>(tally, first, count, intended, sent, permits, retries));
    }
  }

  // ------------------------------------------------------------------ the two loops

  /**
   * One loop's run: warm-up from {@code start}, then the measured window; the node is sampled at the
   * window's edges, and a progress line ticks. Closing it stops the timers.
   */
  private final class Window implements AutoCloseable {
    final long start;
    final long wStart;
    final long wEnd;
    final Tally tally;
    private final Probe probe;
    private final Sample[] samples = new Sample[2];
    private final ScheduledExecutorService timer = timer();
    private final ScheduledExecutorService ticker = timer();
    private final ScheduledFuture<?> s0;
    private final ScheduledFuture<?> s1;
    private final ScheduledFuture<?> prog;
    private boolean exhausted;
    private long exhaustedAt = Long.MAX_VALUE;

    Window(long start, double warmupSeconds, double measureSeconds, boolean openLoop, String label, Probe probe) {
      this.start = start;
      this.wStart = start + (long) (warmupSeconds * 1e9);
      this.wEnd = wStart + (long) (measureSeconds * 1e9);
      this.tally = new Tally(start, wStart, wEnd, openLoop);
      this.probe = probe;
      s0 = timer.schedule(() -> samples[0] = probe.sample(), wStart - System.nanoTime(), TimeUnit.NANOSECONDS);
      s1 = timer.schedule(() -> samples[1] = probe.sample(), wEnd - System.nanoTime(), TimeUnit.NANOSECONDS);
      prog = progress(ticker, label, tally, wStart, wEnd);
    }

    /** The transfer pool ran out at {@code at}: the window ends there. */
    void exhausted(long at) {
      exhausted = true;
      exhaustedAt = at;
    }

    /**
     * Waits for every answer and the window's samples, and returns the figures.
     *
     * @param late open loop: sends that waited for a free slot (0 for the closed loop)
     */
    Result finish(Semaphore permits, int all, ConcurrentLinkedQueue<int[]> retries, String label, String rpc, long late) throws InterruptedException {
      try {
        drain(permits, all, tally, retries);
        s0.get();
        if (!exhausted) {
          s1.get();
        }
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("probe failed", e.getCause());
      } finally {
        close();
      }
      if (exhausted) {
        s1.cancel(false);
        samples[1] = probe.sample();
      }
      double window = (Math.min(wEnd, exhaustedAt) - wStart) / 1e9;
      if (exhausted) {
        log.accept(String.format("  the pool ran out %.1f s into the window: raise --transfers", Math.max(0, window)));
      }
      return new Result(
          label, rpc, window, tally.acceptedTxInWindow.sum(), tally.acceptedCallsInWindow.sum(), Tally.freeze(tally.rejectedInWindow),
          Tally.freeze(tally.rejected), tally.latency.summary(), tally.latencyFromSend.summary(), exhausted, late, samples[0], samples[1]);
    }

    @Override
    public void close() {
      prog.cancel(false);
      ticker.shutdownNow();
      timer.shutdownNow();
    }
  }

  /** Closed loop: warm-up, then the measured window; waits for every call to be answered. */
  public Result closedLoop(Mode mode, double warmupSeconds, double measureSeconds, Probe probe) throws InterruptedException {
    Semaphore permits = new Semaphore(mode.concurrency());
    ConcurrentLinkedQueue<int[]> retries = new ConcurrentLinkedQueue<>();
    try (Window w = new Window(System.nanoTime(), warmupSeconds, measureSeconds, false, mode.label(), probe)) {
      while (System.nanoTime() < w.wEnd) {
        if (!permits.tryAcquire(10, TimeUnit.MILLISECONDS)) {
          continue;
        }
        int[] retry = retries.poll();
        if (retry != null) {
          send(w.tally, retry[0], retry[1], System.nanoTime(), permits, retries);
          continue;
        }
        if (next + mode.listSize() > pool.length) {
          permits.release();
          w.exhausted(System.nanoTime());
          break;
        }
        int first = next;
        next += mode.listSize();
        send(w.tally, first, mode.listSize(), System.nanoTime(), permits, retries);
      }
      return w.finish(permits, mode.concurrency(), retries, mode.label(), mode.rpc(), 0);
    }
  }

  /**
   * Open loop: one {@code SubmitTransaction} every 1/rate seconds for warm-up plus window, at most
   * {@code maxOutstanding} unanswered (beyond that the sender waits, and the wait shows in the
   * latency from the due time).
   */
  public Result openLoop(double rate, double warmupSeconds, double measureSeconds, int maxOutstanding, Probe probe) throws InterruptedException {
    Semaphore permits = new Semaphore(maxOutstanding);
    ConcurrentLinkedQueue<int[]> retries = new ConcurrentLinkedQueue<>();
    String label = String.format("open %.0f/s", rate);
    double interval = 1e9 / rate;
    long late = 0;
    try (Window w = new Window(System.nanoTime() + 1_000_000, warmupSeconds, measureSeconds, true, label, probe)) {
      for (long k = 0; ; k++) {
        long due = w.start + (long) (k * interval);
        if (due >= w.wEnd) {
          break;
        }
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
          LockSupport.parkNanos(wait);
        }
        if (!permits.tryAcquire()) {
          late++;
          permits.acquire();
        }
        if (next >= pool.length) {
          permits.release();
          w.exhausted(due);
          break;
        }
        send(w.tally, next++, 1, due, permits, null);
      }
      return w.finish(permits, maxOutstanding, retries, label, "SubmitTransaction, open loop", late);
    }
  }

  /** Waits until every call is answered (sending BUSY refusals again meanwhile). */
  private void drain(Semaphore permits, int all, Tally tally, ConcurrentLinkedQueue<int[]> retries) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis + 30_000);
    while (true) {
      int[] retry = retries.poll();
      if (retry != null) {
        permits.acquire();
        send(tally, retry[0], retry[1], System.nanoTime(), permits, retries);
        continue;
      }
      if (permits.tryAcquire(all, 10, TimeUnit.MILLISECONDS)) {
        if (retries.isEmpty()) {
          permits.release(all);
          return;
        }
        permits.release(all);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(tally.inflight.get() + " calls still unanswered after the deadline");
      }
    }
  }

  private static ScheduledExecutorService timer() {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, "bench-timer");
          t.setDaemon(true);
          return t;
        });
  }

  /** A progress line every second. */
  private ScheduledFuture<?> progress(ScheduledExecutorService timer, String label, Tally tally, long wStart, long wEnd) {
    long[] last = {tally.start, 0};
    return timer.scheduleAtFixedRate(
        () -> {
          long now = System.nanoTime();
          long acc = tally.acceptedTx.sum();
          double rate = (acc - last[1]) / ((now - last[0]) / 1e9);
          last[0] = now;
          last[1] = acc;
          String phase = now < wStart ? "warm-up" : now < wEnd ? "measure" : "drain";
          long rej = tally.rejected.values().stream().mapToLong(LongAdder::sum).sum();
          NodeStatus s = nodeStatus.get();
          String node =
              s.equals(NodeStatus.UNKNOWN)
                  ? "node status n/a (GetNodeStatus waits while a batch is built)"
                  : String.format("node: journal %,d, sealed %,d, built %,d", s.journalEntries(), s.sealedBatches(), s.builtBatches());
          log.accept(
              String.format(
                  "  [%s] %-7s %5.1f s  %,8.0f tx/s  in flight %,5d  refused %,d  %s", label, phase, (now - tally.start) / 1e9, rate, tally.inflight.get(), rej, node));
        },
        1,
        1,
        TimeUnit.SECONDS);
  }
}
