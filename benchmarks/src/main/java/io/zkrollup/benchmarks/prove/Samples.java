package io.zkrollup.benchmarks.prove;

import java.util.ArrayList;
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

  /**
   * Run i of these over run i of {@code denominators}: the ratios of paired runs (two sides of a
   * round, or one proof's CPU and wall time).
   *
   * @throws IllegalArgumentException if the two hold different numbers of runs
   */
  public Samples dividedBy(Samples denominators) {
    if (denominators.millis.size() != millis.size()) {
      throw new IllegalArgumentException(millis.size() + " runs cannot pair with " + denominators.millis.size());
    }
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < millis.size(); i++) {
      ratios.add(millis.get(i) / denominators.millis.get(i));
    }
    return new Samples(ratios);
  }

  /**
   * A distribution-free interval around the median: the runs of rank k and n + 1 − k, which bracket
   * the true median with probability 1 − 2·P(Bin(n, ½) < k), for the widest-k interval that still
   * reaches 95 %. Fewer than 6 runs cannot reach 95 %; then it is the slowest and fastest run, and
   * {@link Interval#confidence()} says how sure that is.
   */
  public Interval medianInterval() {
    double[] s = sorted();
    int n = s.length;
    int k = 1;
    while (k + 1 <= n / 2 && coverage(n, k + 1) >= 0.95) {
      k++;
    }
    return new Interval(s[k - 1], s[n - k], coverage(n, k));
  }

  /** 1 − 2·P(Bin(n, ½) ≤ k − 1). */
  private static double coverage(int n, int k) {
    double tail = 0;
    double choose = 1;
    for (int i = 0; i < k; i++) {
      tail += choose;
      choose = choose * (n - i) / (i + 1);
    }
    return Math.max(0, 1 - 2 * tail / Math.pow(2, n));
  }

  /**
   * An interval that holds the true median with probability {@code confidence}.
   *
   * @param low its lower end
   * @param high its upper end
   * @param confidence the probability, 0 to 1
   */
  public record Interval(double low, double high, double confidence) {}

  /** The 95th percentile, nearest rank: with fewer than 20 runs, the slowest. */
  public double p95() {
    return percentile(0.95);
  }

  /** The 99th percentile, nearest rank: with fewer than 100 runs, the slowest. */
  public double p99() {
    return percentile(0.99);
  }

  /** The slowest. */
  public double max() {
    return percentile(1);
  }

  private double percentile(double q) {
    double[] s = sorted();
    int rank = (int) Math.ceil(q * s.length);
    return s[Math.max(0, rank - 1)];
  }
}
