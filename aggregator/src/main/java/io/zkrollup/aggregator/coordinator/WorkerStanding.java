package io.zkrollup.aggregator.coordinator;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What each worker identity has earned: failures in a row (a failed, rejected or expired lease)
 * without a proof the node accepted, and a quarantine once there are too many. A worker that only
 * reports failures, or leases and goes silent, stops getting leases instead of spending every
 * batch's attempts (review S13). Not thread-safe: the coordinator calls it under its lock.
 */
final class WorkerStanding {

  private record Standing(int failuresInARow, long quarantinedUntilNanos) {}

  /** Identities remembered at most: one that makes up a new id per lease cannot grow this without bound. */
  private static final int MAX_TRACKED = 10_000;

  private final int failuresToQuarantine;
  private final long quarantineNanos;
  private final Map<String, Standing> workers = new HashMap<>();

  /**
   * @param failuresToQuarantine failures in a row that quarantine a worker
   * @param quarantineNanos how long a quarantine lasts
   */
  WorkerStanding(int failuresToQuarantine, long quarantineNanos) {
    this.failuresToQuarantine = failuresToQuarantine;
    this.quarantineNanos = quarantineNanos;
  }

  /** Counts a failure of {@code worker}; true if it is quarantined by it. */
  boolean failed(String worker, long nowNanos) {
    if (workers.size() >= MAX_TRACKED) {
      workers.values().removeIf(s -> s.quarantinedUntilNanos() - nowNanos <= 0);
    }
    Standing s = workers.getOrDefault(worker, new Standing(0, nowNanos));
    int inARow = s.failuresInARow() + 1;
    boolean quarantine = inARow >= failuresToQuarantine;
    workers.put(worker, new Standing(quarantine ? 0 : inARow, quarantine ? nowNanos + quarantineNanos : s.quarantinedUntilNanos()));
    return quarantine;
  }

  /** A proof of {@code worker} was accepted: its failures in a row start again from 0. */
  void proved(String worker) {
    workers.remove(worker);
  }

  /** How long {@code worker} is still quarantined, in nanoseconds; empty if it is not. */
  OptionalLong quarantinedFor(String worker, long nowNanos) {
    Standing s = workers.get(worker);
    if (s == null || s.quarantinedUntilNanos() - nowNanos <= 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(s.quarantinedUntilNanos() - nowNanos);
  }
}
