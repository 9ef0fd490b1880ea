package io.zkrollup.prover.worker;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: each delay doubles up to the maximum, and is drawn from its upper
 * half so that many workers reconnecting to a restarted coordinator do not call in lockstep. Not
 * thread-safe; each retrying thread has its own.
 */
final class Backoff {
  private final long minNanos;
  private final long maxNanos;
  private long nextNanos;

  Backoff(Duration min, Duration max) {
    this.minNanos = min.toNanos();
    this.maxNanos = max.toNanos();
    this.nextNanos = minNanos;
  }

  /** The delay before the next retry. */
  Duration next() {
    long ceiling = nextNanos;
    nextNanos = Math.min(maxNanos, nextNanos * 2);
    return Duration.ofNanos(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
  }

  /** Starts over from the minimum, after a call that got an answer. */
  void reset() {
    nextNanos = minNanos;
  }
}
