package io.zkrollup.aggregator.l1;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Bounded retries of L1 calls: {@code attempts} tries in all, waiting {@code first}, then twice as
 * long each time up to {@code max}, each wait drawn from 50..150 % of itself so that several nodes
 * do not retry in step (Resilience4j's exponential random backoff).
 *
 * @param attempts tries in all, the first one included (≥ 1)
 * @param first the wait after the first failure
 * @param max the longest wait
 */
public record L1Retries(int attempts, Duration first, Duration max) {

  /** How far each wait is drawn around its exponential value: 50..150 %. */
  static final double JITTER = 0.5;

  /** 8 tries, 250 ms doubling up to 15 s (about a minute in all). */
  public static L1Retries defaults() {
    return new L1Retries(8, Duration.ofMillis(250), Duration.ofSeconds(15));
  }

  /** Checks the values. */
  public L1Retries {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(max, "max");
    if (attempts < 1 || first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("retries need ≥ 1 attempt and 0 < first ≤ max, got " + attempts + ", " + first + ", " + max);
    }
  }

  /** The wait before try {@code attempt + 1}, after {@code attempt} failures (≥ 1). */
  IntervalFunction backoff() {
    return IntervalFunction.ofExponentialRandomBackoff(first, 2.0, JITTER, max);
  }

  /** A Resilience4j retry named {@code name} that retries the failures {@code retryable} accepts. */
  Retry retry(String name, Predicate<Throwable> retryable) {
    return Retry.of(name, RetryConfig.custom().maxAttempts(attempts).intervalFunction(backoff()).retryOnException(retryable).build());
  }
}
