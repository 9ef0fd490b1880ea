package io.zkrollup.benchmarks.ingest;

import java.util.Arrays;

/** A growable list of latencies in nanoseconds, and its percentiles. Thread-safe for adding. */
public final class Latencies {

  private long[] values = new long[1 << 16];
  private int size;

  /** Adds one latency. */
  public synchronized void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  /** Percentiles in milliseconds (nearest rank); count 0 when empty. */
  public synchronized Summary summary() {
    long[] v = Arrays.copyOf(values, size);
    Arrays.sort(v);
    if (v.length == 0) {
      return new Summary(0, 0, 0, 0, 0, 0, 0, 0);
    }
    double sum = 0;
    for (long x : v) {
      sum += x;
    }
    return new Summary(v.length, ms(v[0]), ms(rank(v, 50)), ms(rank(v, 90)), ms(rank(v, 99)), ms(rank(v, 99.9)), ms(v[v.length - 1]), sum / v.length / 1e6);
  }

  private static long rank(long[] sorted, double p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** Latency percentiles in milliseconds. */
  public record Summary(long count, double min, double p50, double p90, double p99, double p999, double max, double mean) {
    @Override
    public String toString() {
      return count == 0
          ? "no samples"
          : String.format("p50 %.2f ms, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f (mean %.2f, %,d samples)", p50, p90, p99, p999, max, mean, count);
    }
  }
}
