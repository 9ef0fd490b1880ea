package io.zkrollup.prover.worker;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ProverWorker} talks to its coordinator.
 *
 * @param workerId the worker's name in every request: stable per process, 1..128 printable ASCII
 * @param gpu whether this worker proves on a GPU (reported to the coordinator and in metrics only)
 * @param leaseWait the longest long poll a LeaseJob asks for (&gt; 0)
 * @param callTimeout the deadline of Heartbeat, SubmitProof and ReportFailure calls, and the margin
 *     a LeaseJob call gets on top of {@code leaseWait}
 * @param drainTimeout how long {@link ProverWorker#close()} waits for a running prove to finish and
 *     be submitted before it gives the lease back
 * @param backoffMin the first delay after a transient error
 * @param backoffMax the longest delay between retries
 * @param submitRetryLimit how long a proof is resubmitted while the coordinator is unreachable
 *     (at least four of the job's lease TTLs), after which it is dropped
 */
public record WorkerSettings(
    String workerId,
    boolean gpu,
    Duration leaseWait,
    Duration callTimeout,
    Duration drainTimeout,
    Duration backoffMin,
    Duration backoffMax,
    Duration submitRetryLimit) {

  /** Checks the values. */
  public WorkerSettings {
    Objects.requireNonNull(workerId, "workerId");
    if (workerId.isEmpty() || workerId.length() > 128 || !workerId.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
      throw new IllegalArgumentException("worker id must be 1..128 printable ASCII characters without spaces: '" + workerId + "'");
    }
    // A zero wait would turn the long poll into a busy loop against the coordinator.
    positive(leaseWait, "leaseWait", false);
    positive(callTimeout, "callTimeout", false);
    positive(drainTimeout, "drainTimeout", true);
    positive(backoffMin, "backoffMin", false);
    positive(backoffMax, "backoffMax", false);
    positive(submitRetryLimit, "submitRetryLimit", true);
    if (backoffMax.compareTo(backoffMin) < 0) {
      throw new IllegalArgumentException("backoffMax " + backoffMax + " is below backoffMin " + backoffMin);
    }
    if (leaseWait.toMillis() > 0xffff_ffffL) {
      throw new IllegalArgumentException("leaseWait is too long: " + leaseWait);
    }
  }

  /**
   * Settings with the defaults: 5 s long polls, 10 s call deadlines, 30 s drain, backoff from 100 ms
   * doubling to 5 s, and 2 minutes of resubmitting.
   */
  public static WorkerSettings defaults(String workerId, boolean gpu) {
    return new WorkerSettings(
        workerId, gpu, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMillis(100),
        Duration.ofSeconds(5), Duration.ofMinutes(2));
  }

  /** These settings with another lease wait. */
  public WorkerSettings withLeaseWait(Duration wait) {
    return new WorkerSettings(workerId, gpu, wait, callTimeout, drainTimeout, backoffMin, backoffMax, submitRetryLimit);
  }

  /** These settings with another drain timeout. */
  public WorkerSettings withDrainTimeout(Duration drain) {
    return new WorkerSettings(workerId, gpu, leaseWait, callTimeout, drain, backoffMin, backoffMax, submitRetryLimit);
  }

  private static void positive(Duration d, String name, boolean zeroAllowed) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || (!zeroAllowed && d.isZero())) {
      throw new IllegalArgumentException(name + " must be " + (zeroAllowed ? "≥ 0" : "> 0") + ", got " + d);
    }
  }
}
