package io.zkrollup.aggregator.coordinator;

import java.util.Objects;

/**
 * A batch out on lease to one worker.
 *
 * @param leaseId the lease's random id
 * @param batchNumber the leased batch
 * @param workerId the worker holding it
 * @param attempt which attempt at the batch this is (1 for the first lease)
 * @param deadlineNanos when it expires unless renewed ({@link System#nanoTime()} scale)
 */
public record JobLease(String leaseId, long batchNumber, String workerId, int attempt, long deadlineNanos) {

  /** Checks for nulls. */
  public JobLease {
    Objects.requireNonNull(leaseId, "leaseId");
    Objects.requireNonNull(workerId, "workerId");
  }

  /** This lease renewed until {@code deadline}. */
  JobLease renewedUntil(long deadline) {
    return new JobLease(leaseId, batchNumber, workerId, attempt, deadline);
  }
}
