package io.zkrollup.prover.worker;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;

/**
 * Exponential backoff with jitter for the worker's retry loops: Resilience4j's exponential random
 * backoff (the same function the node's L1 client retries with), each delay doubling up to the
 * maximum and drawn from 50..150 % of itself so that many workers reconnecting to a restarted
 * coordinator do not call in lockstep. The loops pause on their own terms (close cuts a pause
 * short), so this only counts failures and says how long to wait. Not thread-safe; each retrying
 * thread has its own.
 */
final class Backoff {

  /** Beyond this many failures the delay is at its maximum anyway; the count stops growing. */
  private static final int MAX_COUNTED = 64;

  private final IntervalFunction delays;
  private int failures;

  Backoff(Duration min, Duration max) {
    long first = Math.max(1, min.toMillis());
    this.delays = IntervalFunction.ofExponentialRandomBackoff(first, 2.0, 0.5, Math.max(first, max.toMillis()));
  }

  /** The delay before the next retry. */
  Duration next() {
    failures = Math.min(failures + 1, MAX_COUNTED);
    return Duration.ofMillis(delays.apply(failures));
  }

  /** Starts over from the minimum, after a call that got an answer. */
  void reset() {
    failures = 0;
  }
}
