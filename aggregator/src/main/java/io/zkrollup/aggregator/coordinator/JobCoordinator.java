package io.zkrollup.aggregator.coordinator;

import io.zkrollup.aggregator.batch.BatchEvents;
import io.zkrollup.aggregator.batch.BatchStore;
import io.zkrollup.aggregator.batch.BatchUpdate;
import io.zkrollup.aggregator.batch.StoredBatch;
import io.zkrollup.aggregator.batch.StoredProof;
import io.zkrollup.aggregator.fault.CrashPoint;
import io.zkrollup.api.v1.CoordinatorError;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.Verifier;
import io.zkrollup.prover.cluster.CircuitIdentity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands built batches to prover workers and takes their proofs back.
 *
 * <ul>
 *   <li>The queue is the batch store itself: every built batch without a proof is a job, oldest
 *       first. Leases are written to disk before a worker sees them and survive a restart.
 *   <li>A lease not renewed within the lease TTL expires; the batch is queued again. A failed,
 *       rejected or expired lease is an attempt of its worker; a batch failed by {@code
 *       maxAttempts} different workers is marked failed for the operator (logged, in {@link
 *       #snapshot()} and the metrics) and handed out again after a pause. A worker is not given a
 *       batch it failed with a report or a proof that does not verify while the batch waits for
 *       others; a lease that expired does not bar its worker, so that a worker that crashed and
 *       came back goes on with the oldest batch at once (in a one-worker cluster, the only one
 *       that can), and the failures-in-a-row quarantine bounds a worker that lets leases expire.
 *   <li>One worker identity holds at most {@link WorkerLimits#maxLeasesPerWorker} leases, and
 *       one that fails {@link WorkerLimits#failuresToQuarantine} leases in a row without a proof
 *       is quarantined: its lease calls are refused with WORKER_QUARANTINED for a while. So a
 *       worker that only reports failures can neither spend a batch's attempts nor stall the
 *       queue (review S13).
 *   <li>Every submitted proof is verified against the batch's public inputs before it is stored;
 *       one that does not verify ends the lease as a failed attempt.
 *   <li>Proofs may arrive in any order; {@link BatchUpdate.Stage#PROVEN} is announced strictly in
 *       batch order, which is the order L1 needs.
 * </ul>
 *
 * Thread-safe: the gRPC service calls it from many threads. One lock guards the queue and leases;
 * proof verification runs outside it.
 */
public final class JobCoordinator implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(JobCoordinator.class.getName());

  /**
   * How leases behave.
   *
   * @param leaseTtlMillis a lease ends this long after its last renewal
   * @param heartbeatMillis how often workers are asked to renew (well below the TTL)
   * @param maxAttempts different workers that may fail a batch before it is marked failed
   * @param maxLeaseWaitMillis the longest a LeaseJob call waits for a job
   * @param workers what one worker identity may do
   */
  public record Settings(long leaseTtlMillis, long heartbeatMillis, int maxAttempts, long maxLeaseWaitMillis, WorkerLimits workers) {

    /** With {@link WorkerLimits#defaults()}. */
    public Settings(long leaseTtlMillis, long heartbeatMillis, int maxAttempts, long maxLeaseWaitMillis) {
      this(leaseTtlMillis, heartbeatMillis, maxAttempts, maxLeaseWaitMillis, WorkerLimits.defaults());
    }

    /** Checks the values. */
    public Settings {
      if (heartbeatMillis < 1 || leaseTtlMillis < 2 * heartbeatMillis) {
        throw new IllegalArgumentException(
            "the lease TTL must be at least twice the heartbeat interval (≥ 1 ms), got TTL " + leaseTtlMillis + " ms, heartbeat " + heartbeatMillis + " ms");
      }
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("max attempts must be ≥ 1, got " + maxAttempts);
      }
      if (maxLeaseWaitMillis < 0) {
        throw new IllegalArgumentException("max lease wait must be ≥ 0, got " + maxLeaseWaitMillis);
      }
      Objects.requireNonNull(workers, "workers");
    }

    /** The same with other worker limits. */
    public Settings withWorkerLimits(WorkerLimits limits) {
      return new Settings(leaseTtlMillis, heartbeatMillis, maxAttempts, maxLeaseWaitMillis, limits);
    }

    /** Production defaults: 30 s TTL, 5 s heartbeats, 3 attempts, 20 s long polls. */
    public static Settings defaults() {
      return new Settings(30_000, 5_000, 3, 20_000);
    }
  }

  /**
   * What one worker identity (its {@code worker_id}; with mutual TLS, only holders of a client
   * certificate get this far) may do.
   *
   * @param maxLeasesPerWorker leases one worker may hold at once, whatever capacity it claims
   * @param failuresToQuarantine failed, rejected or expired leases in a row, without an accepted
   *     proof between them, that quarantine a worker
   * @param quarantineMillis how long a quarantined worker gets no leases
   * @param retryFailedAfterMillis how long a failed batch waits before it is handed out again
   */
  public record WorkerLimits(int maxLeasesPerWorker, int failuresToQuarantine, long quarantineMillis, long retryFailedAfterMillis) {

    /** Checks the values. */
    public WorkerLimits {
      if (maxLeasesPerWorker < 1 || failuresToQuarantine < 1 || quarantineMillis < 0 || retryFailedAfterMillis < 0) {
        throw new IllegalArgumentException(
            "worker limits must be ≥ 1 lease, ≥ 1 failure and ≥ 0 ms, got " + maxLeasesPerWorker + ", " + failuresToQuarantine + ", " + quarantineMillis + " ms, " + retryFailedAfterMillis + " ms");
      }
    }

    /** 4 leases per worker; 3 failures in a row quarantine it for 10 minutes; a failed batch is retried after a minute. */
    public static WorkerLimits defaults() {
      return new WorkerLimits(4, 3, 600_000, 60_000);
    }
  }

  /**
   * The queue at one moment.
   *
   * @param queued batches waiting for a worker
   * @param leased batches out on lease
   * @param failed batches whose attempts are used up, with the last reason
   * @param provenAhead batches proven while an earlier one is not
   * @param announced batches proven from 0 on without a gap
   */
  public record Snapshot(int queued, int leased, Map<Long, String> failed, int provenAhead, long announced) {}

  /** What a submission did. */
  public enum Submission {
    /** The proof verified and is stored. */
    ACCEPTED,
    /** The batch had a verified proof already; nothing changed. */
    ALREADY_PROVEN
  }

  private final CircuitIdentity circuit;
  private final Verifier verifier;
  private final BatchStore store;
  private final JobStore leaseStore;
  private final BatchEvents events;
  private final CoordinatorMetrics metrics;
  private final Settings settings;
  private final CrashPoint crashPoint;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition jobQueued = lock.newCondition();
  private final TreeSet<Long> queued = new TreeSet<>();
  private final Map<String, JobLease> leases = new HashMap<>();
  private final Map<Long, Integer> attempts = new HashMap<>();
  /** The workers whose lease of a batch failed, by batch: a batch fails once enough different ones did. */
  private final Map<Long, Set<String>> failedBy = new HashMap<>();
  /**
   * The workers that reported a failure of a batch or sent a proof of it that does not verify, by
   * batch: work they did went nowhere, so the batch waits for other workers first. An expired lease
   * (a worker that crashed, or lost the network) does not bar its worker.
   */
  private final Map<Long, Set<String>> barredFrom = new HashMap<>();
  private final TreeMap<Long, String> failed = new TreeMap<>();
  private final Map<Long, Long> failedAtNanos = new HashMap<>();
  private final Map<Long, Long> lastFailureNanos = new HashMap<>();
  private final WorkerStanding standing;
  private final TreeSet<Long> provenAhead = new TreeSet<>();
  private long announced;
  private boolean closed;

  private final ScheduledExecutorService reaper;
  private final AutoCloseable subscription;

  /**
   * Restores the queue from {@code store} (built batches without a proof; leases as they were,
   * renewed from now) and follows new batches on {@code events}.
   *
   * @param circuit the circuit of the node's keys; workers must hold the same
   * @param verifier verifies proofs with the node's keys (not closed by this object)
   * @param store built batches and proofs
   * @param leaseStore where leases are kept
   * @param events SEALED updates come from here, PROVEN updates go here
   * @param metrics where counts go
   * @param settings lease TTL, heartbeats, attempts
   * @param crashPoint where a crash test stops the coordinator for its SIGKILL ({@link
   *     CrashPoint#PROOF_STORED}; {@link CrashPoint#NONE} outside crash tests)
   */
  public JobCoordinator(
      CircuitIdentity circuit,
      Verifier verifier,
      BatchStore store,
      JobStore leaseStore,
      BatchEvents events,
      CoordinatorMetrics metrics,
      Settings settings,
      CrashPoint crashPoint) {
    this.circuit = Objects.requireNonNull(circuit, "circuit");
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.store = Objects.requireNonNull(store, "store");
    this.leaseStore = Objects.requireNonNull(leaseStore, "leaseStore");
    this.events = Objects.requireNonNull(events, "events");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.crashPoint = Objects.requireNonNull(crashPoint, "crashPoint");
    this.standing = new WorkerStanding(settings.workers().failuresToQuarantine(), TimeUnit.MILLISECONDS.toNanos(settings.workers().quarantineMillis()));
    // Subscribe first: a batch built while the store is read is then seen at least once.
    this.subscription =
        events.subscribe(
            u -> {
              if (u.stage() == BatchUpdate.Stage.SEALED) {
                enqueue(u.batch().number());
              }
            });
    restore();
    metrics.watch(this::snapshot);
    this.reaper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lease-reaper");
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(1, Math.min(250, settings.heartbeatMillis() / 2));
    reaper.scheduleWithFixedDelay(this::expireLeases, period, period, TimeUnit.MILLISECONDS);
  }

  private void restore() {
    lock.lock();
    try {
      announced = store.provenPrefix();
      long built = store.builtCount();
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.leaseTtlMillis());
      Map<Long, JobLease> stored = new HashMap<>();
      for (JobLease l : leaseStore.all(deadline)) {
        stored.put(l.batchNumber(), l);
      }
      for (long n = announced; n < built; n++) {
        if (store.proof(n).isPresent()) {
          provenAhead.add(n);
        } else if (stored.containsKey(n)) {
          JobLease l = stored.get(n);
          leases.put(l.leaseId(), l);
          attempts.put(n, l.attempt());
        } else {
          queued.add(n);
        }
      }
      for (Long n : stored.keySet()) {
        if (n < announced || provenAhead.contains(n) || n >= built) {
          leaseStore.remove(n);
        }
      }
      LOG.info(() -> "prover queue: " + announced + " batches proven, " + queued.size() + " queued, " + leases.size() + " on lease (restored)");
      announceInOrder();
    } finally {
      lock.unlock();
    }
  }

  /** The circuit workers must prove. */
  public CircuitIdentity circuit() {
    return circuit;
  }

  /** The lease settings. */
  public Settings settings() {
    return settings;
  }

  private void enqueue(long batch) {
    lock.lock();
    try {
      if (batch >= announced && !provenAhead.contains(batch) && !failed.containsKey(batch) && leaseOf(batch).isEmpty() && queued.add(batch)) {
        jobQueued.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Leases the oldest queued batch to a worker that holds keys for {@code circuits}, waiting up to
   * {@code waitMillis} (capped by the settings) for one.
   *
   * @param cancelled checked while waiting; a caller that gave up gets nothing
   * @return the lease, or empty if no job came in time, the worker has no capacity (or holds
   *     {@link WorkerLimits#maxLeasesPerWorker} leases), or it gave up
   * @throws CoordinatorException CIRCUIT_MISMATCH if the worker holds no keys for the node's
   *     circuit; WORKER_QUARANTINED if it failed too many leases in a row; COORDINATOR_CLOSED once
   *     closed
   */
  public Optional<JobLease> lease(String workerId, List<CircuitIdentity> circuits, int capacity, long waitMillis, BooleanSupplier cancelled)
      throws InterruptedException {
    if (!circuits.contains(circuit)) {
      throw new CoordinatorException(CoordinatorError.CIRCUIT_MISMATCH, "this node proves " + circuit + "; the worker has keys for " + circuits);
    }
    if (capacity < 1) {
      return Optional.empty();
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(waitMillis, settings.maxLeaseWaitMillis()));
    JobLease lease;
    lock.lock();
    try {
      while (true) {
        if (closed) {
          throw new CoordinatorException(CoordinatorError.COORDINATOR_CLOSED, "the node is stopping");
        }
        if (cancelled.getAsBoolean()) {
          return Optional.empty();
        }
        OptionalLong quarantined = standing.quarantinedFor(workerId, System.nanoTime());
        if (quarantined.isPresent()) {
          throw new CoordinatorException(
              CoordinatorError.WORKER_QUARANTINED,
              "worker " + workerId + " failed " + settings.workers().failuresToQuarantine() + " leases in a row and gets no jobs for "
                  + TimeUnit.NANOSECONDS.toSeconds(quarantined.getAsLong() + 999_999_999) + " s");
        }
        if (held(workerId) >= settings.workers().maxLeasesPerWorker()) {
          return Optional.empty();
        }
        if (firstJobFor(workerId) != null) {
          break;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        // Short slices, so a caller that went away is noticed before a job is handed to it.
        jobQueued.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
      }
      long batch = firstJobFor(workerId);
      queued.remove(batch);
      int attempt = attempts.merge(batch, 1, Integer::sum);
      lease =
          new JobLease(
              UUID.randomUUID().toString(), batch, workerId, attempt, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.leaseTtlMillis()));
      leaseStore.put(lease);
      leases.put(lease.leaseId(), lease);
    } finally {
      lock.unlock();
    }
    metrics.leased();
    LOG.fine(() -> "batch " + lease.batchNumber() + " leased to " + workerId + " (attempt " + lease.attempt() + ")");
    return Optional.of(lease);
  }

  /** The built batch a lease is for (its witness goes to the worker). */
  public StoredBatch batch(JobLease lease) {
    return store.batch(lease.batchNumber()).orElseThrow(() -> new IllegalStateException("leased batch " + lease.batchNumber() + " is not stored"));
  }

  /**
   * Gives a lease back without counting it as an attempt: its caller went away before it could
   * see it.
   */
  public void unlease(JobLease lease) {
    end(lease.leaseId(), lease.workerId(), Outcome.RELEASED, "the lease call was cancelled");
  }

  /**
   * Renews a lease.
   *
   * @return the TTL from now, in milliseconds
   * @throws CoordinatorException LEASE_NOT_FOUND if it ended; NOT_LEASE_HOLDER if another worker
   *     holds it
   */
  public long heartbeat(String workerId, String leaseId) {
    lock.lock();
    try {
      JobLease lease = held(workerId, leaseId);
      leases.put(leaseId, lease.renewedUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.leaseTtlMillis())));
      return settings.leaseTtlMillis();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes a worker's proof of its leased batch: verifies it against the batch's public inputs,
   * stores it, and announces every batch now proven in order.
   *
   * @throws CoordinatorException WRONG_BATCH or PROOF_REJECTED (the lease ends as a failed
   *     attempt); LEASE_NOT_FOUND or NOT_LEASE_HOLDER (nothing changes)
   */
  public Submission submit(String workerId, String leaseId, long batchNumber, byte[] proof, long proveMillis) {
    JobLease lease;
    lock.lock();
    try {
      if (!leases.containsKey(leaseId) && (batchNumber < announced || provenAhead.contains(batchNumber))) {
        return Submission.ALREADY_PROVEN; // a resent submission whose lease ended when it was accepted
      }
      lease = held(workerId, leaseId);
      if (lease.batchNumber() != batchNumber) {
        endLocked(lease, Outcome.WRONG_BATCH, "a proof for batch " + batchNumber + " under the lease of batch " + lease.batchNumber());
        throw new CoordinatorException(CoordinatorError.WRONG_BATCH, "the lease is for batch " + lease.batchNumber() + ", not " + batchNumber);
      }
    } finally {
      lock.unlock();
    }
    StoredBatch batch = batch(lease);
    long start = System.nanoTime();
    boolean valid;
    try {
      valid = verifier.verify(new BatchProof(circuit.system(), proof, batch.publicInputs()));
    } catch (RuntimeException e) {
      valid = false; // bytes the verifier cannot even parse
    }
    long verifyNanos = System.nanoTime() - start;
    if (!valid) {
      end(leaseId, workerId, Outcome.REJECTED, "the proof does not verify");
      throw new CoordinatorException(CoordinatorError.PROOF_REJECTED, "the proof does not verify for batch " + batchNumber + " (" + batch.publicInputs() + ")");
    }
    lock.lock();
    try {
      if (batchNumber < announced || provenAhead.contains(batchNumber)) {
        return Submission.ALREADY_PROVEN;
      }
      store.storeProof(batchNumber, new StoredProof(circuit.system().label(), proof, Math.max(0, proveMillis)));
      crashPoint.reach(CrashPoint.PROOF_STORED);
      leaseStore.remove(batchNumber);
      leases.values().removeIf(l -> l.batchNumber() == batchNumber);
      queued.remove(batchNumber);
      attempts.remove(batchNumber);
      failedBy.remove(batchNumber);
      barredFrom.remove(batchNumber);
      lastFailureNanos.remove(batchNumber);
      failed.remove(batchNumber);
      failedAtNanos.remove(batchNumber);
      standing.proved(workerId);
      provenAhead.add(batchNumber);
      metrics.proven(workerId, Math.max(0, proveMillis), verifyNanos);
      announceInOrder();
    } finally {
      lock.unlock();
    }
    return Submission.ACCEPTED;
  }

  /**
   * Ends a lease on the worker's word: released (shutting down; not an attempt) or failed.
   *
   * @throws CoordinatorException LEASE_NOT_FOUND or NOT_LEASE_HOLDER
   */
  public void reportFailure(String workerId, String leaseId, boolean released, String reason) {
    end(leaseId, workerId, released ? Outcome.RELEASED : Outcome.REPORTED, reason);
  }

  /**
   * Gives back every lease {@code workerId} holds, as a stopping worker asks: not attempts.
   *
   * @return how many there were
   */
  public int releaseAll(String workerId) {
    lock.lock();
    try {
      List<JobLease> held = leases.values().stream().filter(l -> l.workerId().equals(workerId)).toList();
      for (JobLease l : held) {
        endLocked(l, Outcome.RELEASED, "worker " + workerId + " is stopping");
      }
      return held.size();
    } finally {
      lock.unlock();
    }
  }

  /** The queue now. */
  public Snapshot snapshot() {
    lock.lock();
    try {
      return new Snapshot(queued.size(), leases.size(), Map.copyOf(failed), provenAhead.size(), announced);
    } finally {
      lock.unlock();
    }
  }

  private enum Outcome {
    EXPIRED("expired"),
    REJECTED("rejected"),
    WRONG_BATCH("wrong_batch"),
    REPORTED("reported"),
    RELEASED("released");

    final String label;

    Outcome(String label) {
      this.label = label;
    }
  }

  private void end(String leaseId, String workerId, Outcome outcome, String why) {
    lock.lock();
    try {
      endLocked(held(workerId, leaseId), outcome, why);
    } finally {
      lock.unlock();
    }
  }

  private void endLocked(JobLease lease, Outcome outcome, String why) {
    long batch = lease.batchNumber();
    leases.remove(lease.leaseId());
    leaseStore.remove(batch);
    if (outcome == Outcome.RELEASED) {
      attempts.merge(batch, -1, Integer::sum);
      metrics.released();
    } else {
      metrics.failed(outcome.label);
      LOG.warning(() -> "batch " + batch + ", attempt " + lease.attempt() + " by " + lease.workerId() + ": " + outcome.label + " (" + why + ")");
      failedBy.computeIfAbsent(batch, b -> new HashSet<>()).add(lease.workerId());
      if (outcome != Outcome.EXPIRED) {
        barredFrom.computeIfAbsent(batch, b -> new HashSet<>()).add(lease.workerId());
        lastFailureNanos.put(batch, System.nanoTime());
      }
      if (standing.failed(lease.workerId(), System.nanoTime())) {
        LOG.warning(() -> "worker " + lease.workerId() + " failed " + settings.workers().failuresToQuarantine() + " leases in a row: quarantined for " + settings.workers().quarantineMillis() + " ms");
      }
    }
    if (outcome != Outcome.RELEASED && failedBy.get(batch).size() >= settings.maxAttempts()) {
      failed.put(batch, outcome.label + ": " + why);
      failedAtNanos.put(batch, System.nanoTime());
      metrics.givenUp();
      LOG.severe(
          () ->
              "batch "
                  + batch
                  + " failed on "
                  + settings.maxAttempts()
                  + " different workers; later batches cannot be announced until it is proven. It is handed out again in "
                  + settings.workers().retryFailedAfterMillis()
                  + " ms. Last: "
                  + outcome.label
                  + " ("
                  + why
                  + ")");
    } else {
      queued.add(batch);
      jobQueued.signalAll();
    }
  }

  private JobLease held(String workerId, String leaseId) {
    JobLease lease = leases.get(leaseId);
    if (lease == null) {
      throw new CoordinatorException(CoordinatorError.LEASE_NOT_FOUND, "no lease " + leaseId + " (it ended or expired)");
    }
    if (!lease.workerId().equals(workerId)) {
      throw new CoordinatorException(CoordinatorError.NOT_LEASE_HOLDER, "lease " + leaseId + " is held by another worker");
    }
    return lease;
  }

  /**
   * The oldest queued batch {@code workerId} may have: one it failed with a report or a bad proof
   * goes to other workers for {@link WorkerLimits#retryFailedAfterMillis} (so that a one-worker
   * cluster still retries it), one whose lease merely expired goes to it again at once; or null.
   */
  private Long firstJobFor(String workerId) {
    long now = System.nanoTime();
    long pause = TimeUnit.MILLISECONDS.toNanos(settings.workers().retryFailedAfterMillis());
    for (long batch : queued) {
      Set<String> barred = barredFrom.get(batch);
      if (barred == null || !barred.contains(workerId) || now - lastFailureNanos.get(batch) >= pause) {
        return batch;
      }
    }
    return null;
  }

  private int held(String workerId) {
    int n = 0;
    for (JobLease l : leases.values()) {
      if (l.workerId().equals(workerId)) {
        n++;
      }
    }
    return n;
  }

  /** Hands failed batches out again once they have waited {@link WorkerLimits#retryFailedAfterMillis}, to every worker. */
  private void retryFailed(long now) {
    long pause = TimeUnit.MILLISECONDS.toNanos(settings.workers().retryFailedAfterMillis());
    List<Long> due = new ArrayList<>();
    for (Map.Entry<Long, Long> e : failedAtNanos.entrySet()) {
      if (now - e.getValue() >= pause) {
        due.add(e.getKey());
      }
    }
    for (long batch : due) {
      failedAtNanos.remove(batch);
      failed.remove(batch);
      failedBy.remove(batch);
      barredFrom.remove(batch);
      lastFailureNanos.remove(batch);
      LOG.warning(() -> "batch " + batch + " is handed out again after failing");
      queued.add(batch);
      jobQueued.signalAll();
    }
  }

  private Optional<JobLease> leaseOf(long batch) {
    return leases.values().stream().filter(l -> l.batchNumber() == batch).findFirst();
  }

  private void expireLeases() {
    try {
      lock.lock();
      try {
        long now = System.nanoTime();
        List<JobLease> due = new ArrayList<>();
        for (JobLease l : leases.values()) {
          if (now - l.deadlineNanos() > 0) {
            due.add(l);
          }
        }
        for (JobLease l : due) {
          endLocked(l, Outcome.EXPIRED, "no heartbeat from " + l.workerId() + " within " + settings.leaseTtlMillis() + " ms");
        }
        retryFailed(now);
      } finally {
        lock.unlock();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "expiring leases failed; retrying", e);
    }
  }

  /** Announces PROVEN for every batch proven from {@link #announced} on without a gap. */
  private void announceInOrder() {
    while (provenAhead.remove(announced)) {
      long n = announced++;
      StoredBatch batch = store.batch(n).orElseThrow();
      long millis = store.proof(n).map(StoredProof::proveMillis).orElse(0L);
      events.publish(new BatchUpdate(batch, BatchUpdate.Stage.PROVEN, millis));
    }
  }

  /** The leases out now, oldest batch first. */
  public List<JobLease> leases() {
    lock.lock();
    try {
      List<JobLease> out = new ArrayList<>(leases.values());
      out.sort(java.util.Comparator.comparingLong(JobLease::batchNumber));
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** How many batches from 0 on are proven and announced. */
  public long provenCount() {
    lock.lock();
    try {
      return announced;
    } finally {
      lock.unlock();
    }
  }

  /** Stops handing out jobs; waiting lease calls end with COORDINATOR_CLOSED. Leases stay on disk. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      jobQueued.signalAll();
    } finally {
      lock.unlock();
    }
    reaper.shutdownNow();
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "unsubscribing", e);
    }
  }
}
