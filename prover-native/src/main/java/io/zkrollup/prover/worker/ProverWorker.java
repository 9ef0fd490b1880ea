package io.zkrollup.prover.worker;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.zkrollup.api.v1.HeartbeatRequest;
import io.zkrollup.api.v1.Job;
import io.zkrollup.api.v1.LeaseJobRequest;
import io.zkrollup.api.v1.LeaseJobResponse;
import io.zkrollup.api.v1.ProverCoordinatorGrpc;
import io.zkrollup.api.v1.ReportFailureRequest;
import io.zkrollup.api.v1.SubmitProofRequest;
import io.zkrollup.api.v1.SubmitProofResponse;
import io.zkrollup.api.v1.WorkerCapabilities;
import io.zkrollup.circuits.batch.PublicInputs;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.Prover;
import io.zkrollup.prover.ProvingException;
import io.zkrollup.prover.cluster.CircuitIdentity;
import io.zkrollup.prover.cluster.PublicInputsMessages;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A prover worker: pulls batches from a node's {@code ProverCoordinator} and proves them, one at a
 * time, with a {@link Prover} it shares but does not own.
 *
 * <p><b>Loop.</b> {@link #start()} runs a loop on its own thread: LeaseJob (a long poll of {@link
 * WorkerSettings#leaseWait()}, capacity 1, the worker's one {@link CircuitIdentity}); for a job, it
 * checks that the job's circuit is its own (else it reports the job failed), renews the lease with
 * Heartbeat every {@code heartbeat_ms} from a separate thread while it proves and submits, proves,
 * and submits the proof. A witness the prover refuses ({@link ProvingException}, or any other error
 * of the prover) is reported with ReportFailure(released=false) and the prover's message.
 *
 * <p><b>Retries.</b> UNAVAILABLE, DEADLINE_EXCEEDED and RESOURCE_EXHAUSTED are transient: every call
 * is retried after an exponential backoff with jitter ({@link WorkerSettings#backoffMin()} doubling
 * to {@link WorkerSettings#backoffMax()}), and the gRPC channel reconnects by itself, so the worker
 * outlives a coordinator restart. A proof is resubmitted while the coordinator is unreachable (it
 * persists leases) for the larger of {@link WorkerSettings#submitRetryLimit()} and four lease TTLs,
 * then dropped. Heartbeat answered NOT_FOUND or PERMISSION_DENIED means the lease ended: the running
 * prove is finished (native code cannot be interrupted) and its proof dropped, never submitted.
 * SubmitProof answered INVALID_ARGUMENT (the proof was refused), NOT_FOUND or PERMISSION_DENIED is
 * logged and counted, and the worker leases the next job. Any other error in the loop is logged and
 * the loop goes on after a backoff; it ends only on {@link #close()}.
 *
 * <p><b>Shutdown.</b> {@link #close()}, what a SIGTERM hook calls, stops leasing (a pending long poll
 * is cancelled) and returns at once if the worker is idle. If a job is held it waits up to {@link
 * WorkerSettings#drainTimeout()} for it to be proven and submitted; if that does not happen in time
 * it gives the lease back with ReportFailure(released=true), which does not count as an attempt, and
 * returns while the prove may still run: the process's exit ends it.
 *
 * <p>Outcomes, prove times and failed calls are counted in {@link WorkerMetrics}.
 */
public final class ProverWorker implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ProverWorker.class.getName());

  /** The longest lease TTL taken from a job, so that the retry limits computed from it stay sane. */
  private static final long MAX_TTL_MILLIS = TimeUnit.DAYS.toMillis(1);

  /** How many lease TTLs a proof is resubmitted for at least. */
  private static final int SUBMIT_RETRY_TTLS = 4;

  /** The protocol's limit on a failure reason. */
  private static final int MAX_REASON = 1_000;

  private final ProverCoordinatorGrpc.ProverCoordinatorBlockingStub stub;
  private final Prover prover;
  private final CircuitIdentity circuit;
  private final WorkerSettings settings;
  private final WorkerMetrics metrics;
  private final LeaseJobRequest leaseRequest;
  private final Thread loop;
  private final ScheduledExecutorService heartbeats;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Counted down by close: the loop's backoff pauses wait on it so that close cuts them short. */
  private final CountDownLatch closing = new CountDownLatch(1);
  /** The LeaseJob call in flight, cancelled by close. */
  private volatile Context.CancellableContext pendingLease;
  /** The job being proven or submitted; null while idle. */
  private volatile HeldJob held;

  /**
   * A worker that has not started yet.
   *
   * @param channel the channel to the coordinator (owned by the caller, who shuts it down after
   *     {@link #close()})
   * @param prover proves the jobs; shared, not closed by this worker
   * @param circuit the identity of {@code prover}'s keys, as {@link CircuitIdentity#of} computes it
   * @param settings timeouts, backoff and the worker's id
   * @param metrics where the worker counts what it does
   * @throws IllegalArgumentException if {@code circuit} is not {@code prover}'s system, B and D
   */
  public ProverWorker(Channel channel, Prover prover, CircuitIdentity circuit, WorkerSettings settings, WorkerMetrics metrics) {
    this.stub = ProverCoordinatorGrpc.newBlockingStub(Objects.requireNonNull(channel, "channel"));
    this.prover = Objects.requireNonNull(prover, "prover");
    this.circuit = Objects.requireNonNull(circuit, "circuit");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    if (prover.system() != circuit.system() || prover.slots() != circuit.slots() || prover.depth() != circuit.depth()) {
      throw new IllegalArgumentException(
          "the prover is " + prover.system().label() + " B=" + prover.slots() + " D=" + prover.depth() + ", the identity says " + circuit);
    }
    this.leaseRequest =
        LeaseJobRequest.newBuilder()
            .setWorkerId(settings.workerId())
            .setCapabilities(WorkerCapabilities.newBuilder().addCircuits(circuit.toProto()).setCapacity(1).setGpu(settings.gpu()))
            .setWaitMs((int) settings.leaseWait().toMillis())
            .build();
    this.loop = new Thread(this::run, "prover-worker");
    // Daemon threads: after a drain timeout the prove still runs, and must not keep the JVM alive.
    this.loop.setDaemon(true);
    this.heartbeats =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "prover-worker-heartbeat");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts the loop.
   *
   * @throws IllegalStateException if it was started or closed before
   */
  public void start() {
    if (closed.get() || !started.compareAndSet(false, true)) {
      throw new IllegalStateException("the worker was started or closed already");
    }
    LOG.info(() -> "worker " + settings.workerId() + " leasing jobs for " + circuit);
    loop.start();
  }

  /** Whether a job is held now (being proven or submitted). */
  public boolean busy() {
    return held != null;
  }

  /**
   * Stops leasing and drains: returns at once when idle, else after the held job is submitted or
   * {@link WorkerSettings#drainTimeout()} has passed, in which case its lease is given back. Safe to
   * call more than once and from any thread (a shutdown hook).
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closing.countDown();
    Context.CancellableContext lease = pendingLease;
    if (lease != null) {
      lease.cancel(null);
    }
    long drainMillis = settings.drainTimeout().toMillis();
    if (started.get() && drainMillis > 0) {
      // Idle, the loop ends as soon as its cancelled LeaseJob returns; busy, once the job is submitted.
      try {
        loop.join(drainMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    HeldJob h = held;
    if (h != null && h.settled.compareAndSet(false, true)) {
      h.released.set(true);
      LOG.warning(() -> "batch " + h.job.getBatchNumber() + " not proven within the drain timeout of " + settings.drainTimeout() + "; giving the lease back");
      reportReleased(h);
      metrics.jobEnded(JobOutcome.RELEASED);
    }
    if (started.get()) {
      releaseEverything();
    }
    heartbeats.shutdownNow();
  }

  private boolean isClosing() {
    return closing.getCount() == 0;
  }

  private void run() {
    Backoff backoff = new Backoff(settings.backoffMin(), settings.backoffMax());
    boolean reachable = true;
    while (!isClosing()) {
      try {
        Optional<Job> job = lease();
        backoff.reset();
        if (!reachable) {
          LOG.info("coordinator reachable again");
          reachable = true;
        }
        if (job.isPresent()) {
          work(job.get());
        }
      } catch (StatusRuntimeException e) {
        if (isClosing()) {
          break; // close cancelled the long poll
        }
        Status.Code code = e.getStatus().getCode();
        metrics.callFailed("lease_job", code);
        Duration pause = backoff.next();
        if (!isTransient(code)) {
          LOG.warning(() -> "LeaseJob refused: " + describe(e) + "; retrying in " + pause.toMillis() + " ms");
        } else if (reachable) {
          LOG.warning(() -> "coordinator unreachable: " + describe(e) + "; retrying with backoff");
        } else {
          LOG.fine(() -> "LeaseJob: " + describe(e) + "; retrying in " + pause.toMillis() + " ms");
        }
        reachable = false;
        pause(pause);
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "unexpected error in the worker loop; going on", e);
        pause(backoff.next());
      }
    }
    LOG.info(() -> "worker " + settings.workerId() + " stopped leasing");
  }

  /** One long poll; empty if no job came in time or the worker is closing. */
  private Optional<Job> lease() {
    Context.CancellableContext ctx = Context.current().withCancellation();
    pendingLease = ctx;
    Context previous = ctx.attach();
    try {
      // Checked after publishing ctx, so either close sees ctx and cancels it, or this sees close.
      if (isClosing()) {
        return Optional.empty();
      }
      LeaseJobResponse r =
          stub.withDeadlineAfter(settings.leaseWait().plus(settings.callTimeout()).toMillis(), TimeUnit.MILLISECONDS).leaseJob(leaseRequest);
      return r.hasJob() ? Optional.of(r.getJob()) : Optional.empty();
    } finally {
      ctx.detach(previous);
      pendingLease = null;
      ctx.cancel(null);
    }
  }

  private void work(Job job) {
    HeldJob h = new HeldJob(job);
    held = h;
    metrics.busy(true);
    try {
      LOG.info(() -> "leased batch " + job.getBatchNumber() + " (lease " + job.getLeaseId() + ", attempt " + job.getAttempt() + ")");
      if (isClosing()) {
        // Leased while close cancelled the poll: give it back now rather than let it expire.
        if (settle(h, JobOutcome.RELEASED)) {
          h.released.set(true);
          reportReleased(h);
        }
        return;
      }
      CircuitIdentity wanted;
      PublicInputs inputs;
      try {
        wanted = CircuitIdentity.fromProto(job.getCircuit());
        inputs = PublicInputsMessages.fromProto(job.getPublicInputs());
      } catch (IllegalArgumentException e) {
        reportFailed(h, "malformed job: " + e.getMessage());
        return;
      }
      if (!wanted.equals(circuit)) {
        reportFailed(h, "worker " + settings.workerId() + " proves " + circuit + ", the job is for " + wanted);
        return;
      }
      startHeartbeats(h);
      long t0 = System.nanoTime();
      BatchProof proof;
      try {
        proof = prover.prove(job.getWitness().toByteArray(), inputs);
      } catch (ProvingException e) {
        reportFailed(h, e.getMessage());
        return;
      } catch (RuntimeException e) {
        // The prover's other refusals (wrong public inputs, other B or D) fail the batch all the same.
        reportFailed(h, "the prover failed: " + e);
        return;
      }
      long nanos = System.nanoTime() - t0;
      metrics.proved(nanos);
      if (h.released.get()) {
        LOG.info(() -> "batch " + job.getBatchNumber() + " proven after its lease was given back; dropping the proof");
        return;
      }
      if (h.lost.get()) {
        LOG.warning(() -> "batch " + job.getBatchNumber() + " proven after its lease " + job.getLeaseId() + " ended; dropping the proof");
        settle(h, JobOutcome.LEASE_LOST);
        return;
      }
      submit(h, proof, nanos);
    } finally {
      ScheduledFuture<?> beat = h.heartbeat;
      if (beat != null) {
        beat.cancel(false);
      }
      held = null;
      metrics.busy(false);
    }
  }

  private void submit(HeldJob h, BatchProof proof, long nanos) {
    Job job = h.job;
    SubmitProofRequest request =
        SubmitProofRequest.newBuilder()
            .setWorkerId(settings.workerId())
            .setLeaseId(job.getLeaseId())
            .setBatchNumber(job.getBatchNumber())
            .setProof(ByteString.copyFrom(proof.proof()))
            .setProveMs(TimeUnit.NANOSECONDS.toMillis(nanos))
            .build();
    Duration limit = max(settings.submitRetryLimit(), ttl(job).multipliedBy(SUBMIT_RETRY_TTLS));
    Optional<SubmitProofResponse> answer;
    try {
      answer = retrying("submit_proof", h, limit, () -> stub.withDeadlineAfter(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS).submitProof(request));
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      JobOutcome outcome =
          code == Status.Code.INVALID_ARGUMENT
              ? JobOutcome.REJECTED
              : code == Status.Code.NOT_FOUND || code == Status.Code.PERMISSION_DENIED ? JobOutcome.LEASE_LOST : JobOutcome.DROPPED;
      LOG.warning(() -> "proof of batch " + job.getBatchNumber() + " not accepted (" + outcome.label() + "): " + describe(e));
      settle(h, outcome);
      return;
    }
    if (answer.isPresent()) {
      boolean already = answer.get().getAlreadyProven();
      LOG.info(() -> "batch " + job.getBatchNumber() + " proven in " + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms and submitted" + (already ? " (it was proven already)" : ""));
      settle(h, JobOutcome.PROVEN);
    } else if (h.lost.get()) {
      LOG.warning(() -> "lease of batch " + job.getBatchNumber() + " ended before its proof got through; dropping it");
      settle(h, JobOutcome.LEASE_LOST);
    } else if (!h.released.get()) {
      LOG.warning(() -> "coordinator unreachable for " + limit + "; dropping the proof of batch " + job.getBatchNumber());
      settle(h, JobOutcome.DROPPED);
    }
  }

  /**
   * Records how the job ended, unless close has already given it back (or the other way round): a
   * job is counted once.
   */
  private boolean settle(HeldJob h, JobOutcome outcome) {
    if (!h.settled.compareAndSet(false, true)) {
      return false;
    }
    metrics.jobEnded(outcome);
    return true;
  }

  /** ReportFailure(released=false): the job failed here; it counts as an attempt. */
  private void reportFailed(HeldJob h, String reason) {
    Job job = h.job;
    LOG.warning(() -> "batch " + job.getBatchNumber() + " failed: " + reason);
    ReportFailureRequest request = failure(job, false, reason);
    Duration limit = max(settings.callTimeout(), ttl(job));
    JobOutcome outcome = JobOutcome.FAILED;
    try {
      retrying("report_failure", h, limit, () -> stub.withDeadlineAfter(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS).reportFailure(request));
    } catch (StatusRuntimeException e) {
      LOG.warning(() -> "failure of batch " + job.getBatchNumber() + " not reported: " + describe(e));
      Status.Code code = e.getStatus().getCode();
      if (code == Status.Code.NOT_FOUND || code == Status.Code.PERMISSION_DENIED) {
        outcome = JobOutcome.LEASE_LOST;
      }
    }
    settle(h, outcome);
  }

  /** ReportFailure(released=true), one try: the worker is stopping, the lease expires anyway. */
  private void reportReleased(HeldJob h) {
    try {
      stub.withDeadlineAfter(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .reportFailure(failure(h.job, true, "worker " + settings.workerId() + " is stopping"));
      LOG.info(() -> "gave back the lease of batch " + h.job.getBatchNumber());
    } catch (StatusRuntimeException e) {
      metrics.callFailed("report_failure", e.getStatus().getCode());
      LOG.warning(() -> "could not give back the lease of batch " + h.job.getBatchNumber() + " (it will expire): " + describe(e));
    }
  }

  /**
   * ReportFailure(released=true) without a lease id, one try: the answer to the long poll that close
   * cancelled may have been a lease on its way here, which only the coordinator still knows of.
   */
  private void releaseEverything() {
    try {
      stub.withDeadlineAfter(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .reportFailure(ReportFailureRequest.newBuilder().setWorkerId(settings.workerId()).setReleased(true).setReason("worker " + settings.workerId() + " is stopping").build());
    } catch (StatusRuntimeException e) {
      metrics.callFailed("report_failure", e.getStatus().getCode());
      LOG.fine(() -> "could not give back leases on stopping (they will expire): " + describe(e));
    }
  }

  private ReportFailureRequest failure(Job job, boolean released, String reason) {
    String r = reason == null ? "" : reason;
    return ReportFailureRequest.newBuilder()
        .setWorkerId(settings.workerId())
        .setLeaseId(job.getLeaseId())
        .setReleased(released)
        .setReason(r.length() > MAX_REASON ? r.substring(0, MAX_REASON) : r)
        .build();
  }

  private void startHeartbeats(HeldJob h) {
    Job job = h.job;
    long every = job.getHeartbeatMs() > 0 ? job.getHeartbeatMs() : job.getLeaseTtlMs() > 0 ? Math.max(1, job.getLeaseTtlMs() / 3) : 1_000;
    HeartbeatRequest request = HeartbeatRequest.newBuilder().setWorkerId(settings.workerId()).setLeaseId(job.getLeaseId()).build();
    try {
      h.heartbeat = heartbeats.scheduleWithFixedDelay(() -> heartbeat(h, request), every, every, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // close shut the heartbeats down while this job was starting; close releases the lease.
    }
  }

  private void heartbeat(HeldJob h, HeartbeatRequest request) {
    if (h.lost.get() || h.released.get()) {
      return;
    }
    try {
      stub.withDeadlineAfter(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS).heartbeat(request);
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      metrics.callFailed("heartbeat", code);
      if (code == Status.Code.NOT_FOUND || code == Status.Code.PERMISSION_DENIED) {
        if (h.lost.compareAndSet(false, true)) {
          LOG.warning(() -> "lease " + request.getLeaseId() + " of batch " + h.job.getBatchNumber() + " ended: " + describe(e) + "; its proof will not be submitted");
        }
        ScheduledFuture<?> beat = h.heartbeat;
        if (beat != null) {
          beat.cancel(false);
        }
      } else {
        LOG.fine(() -> "Heartbeat: " + describe(e) + "; trying again at the next beat");
      }
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: keep the heartbeats going.
      LOG.log(Level.WARNING, "unexpected error sending a heartbeat", e);
    }
  }

  /**
   * Runs {@code attempt} until it answers, retrying transient errors with backoff for up to {@code
   * limit}. Empty if the limit passed, or the lease was lost or given back meanwhile.
   *
   * @throws StatusRuntimeException on an error that is not transient
   */
  private <T> Optional<T> retrying(String call, HeldJob h, Duration limit, Supplier<T> attempt) {
    Backoff backoff = new Backoff(settings.backoffMin(), settings.backoffMax());
    long giveUpAt = System.nanoTime() + limit.toNanos();
    while (true) {
      if (h.lost.get() || h.released.get()) {
        return Optional.empty();
      }
      try {
        return Optional.of(attempt.get());
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        metrics.callFailed(call, code);
        if (!isTransient(code)) {
          throw e;
        }
        long left = giveUpAt - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        Duration pause = backoff.next();
        LOG.fine(() -> call + " for batch " + h.job.getBatchNumber() + ": " + describe(e) + "; retrying in " + pause.toMillis() + " ms");
        // Not cut short by close: a draining worker still wants this call through.
        try {
          Thread.sleep(Math.min(pause.toMillis(), TimeUnit.NANOSECONDS.toMillis(left) + 1));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return Optional.empty();
        }
      }
    }
  }

  /** Waits, or less if close begins meanwhile. */
  private void pause(Duration d) {
    try {
      closing.await(d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean isTransient(Status.Code code) {
    return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED || code == Status.Code.RESOURCE_EXHAUSTED;
  }

  private static Duration ttl(Job job) {
    return Duration.ofMillis(Math.min(job.getLeaseTtlMs(), MAX_TTL_MILLIS));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** The status code, its ErrorInfo reason if any, and the description, for the log. */
  static String describe(StatusRuntimeException e) {
    StringBuilder s = new StringBuilder(e.getStatus().getCode().name());
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    if (details != null) {
      for (Any any : details.getDetailsList()) {
        if (any.is(ErrorInfo.class)) {
          try {
            s.append(" (").append(any.unpack(ErrorInfo.class).getReason()).append(')');
          } catch (InvalidProtocolBufferException ignored) {
            // a malformed detail adds nothing to the log line
          }
        }
      }
    }
    if (e.getStatus().getDescription() != null) {
      s.append(": ").append(e.getStatus().getDescription());
    }
    return s.toString();
  }

  /** A leased job and what happened to its lease meanwhile. */
  private static final class HeldJob {
    final Job job;
    /** Heartbeat heard that the lease ended: the proof must not be submitted. */
    final AtomicBoolean lost = new AtomicBoolean();
    /** close gave the lease back (or is about to): nothing more is sent for it. */
    final AtomicBoolean released = new AtomicBoolean();
    /** Its outcome was counted, by the loop or by close; whoever comes first decides. */
    final AtomicBoolean settled = new AtomicBoolean();
    volatile ScheduledFuture<?> heartbeat;

    HeldJob(Job job) {
      this.job = job;
    }
  }
}
