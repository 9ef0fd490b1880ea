package io.zkrollup.benchmarks.prove;

import java.util.Arrays;
import java.util.List;

/**
 * Timings of repeated runs, in milliseconds, with the statistics the report gives.
 *
 * @param millis every measured run, in the order run
 */
public record Samples(List<Double> millis) {

  /** Copies the list; there must be at least one run. */
  public Samples {
    millis = List.copyOf(millis);
    if (millis.isEmpty()) {
      throw new IllegalArgumentException("no runs");
    }
  }

  private double[] sorted() {
    double[] s = millis.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(s);
    return s;
  }

  /** The median (the mean of the middle two for an even count). */
  public double median() {
    double[] s = sorted();
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /** The 95th percentile, nearest rank: with fewer than 20 runs, the slowest. */
  public double p95() {
    double[] s = sorted();
    int rank = (int) Math.ceil(0.95 * s.length);
    return s[Math.max(0, rank - 1)];
  }
}
