package io.zkrollup.benchmarks.prove;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the bench command measured for one backend and circuit size.
 *
 * @param backend groth16, plonk or groth16-gpu
 * @param slots B
 * @param depth D
 * @param constraints the circuit's constraint count
 * @param compileMs circuit compile time
 * @param setupMs the setup time when these keys were made (null if made elsewhere)
 * @param keyBytes each key file's size
 * @param keyLoadMs loading the key directory through JNI (hashes checked)
 * @param goKeyLoadMs the same in the pure-Go process
 * @param witnessBytes the ZKBW witness size
 * @param witness building the witness in Java, tree updates included
 * @param jni proving through JNI
 * @param go proving in pure Go, taking turns with {@code jni} (round i of each is a pair)
 * @param workers throughput with 1..n workers
 * @param jvmPeakRssKb the JVM's peak RSS (every case so far; keys and proofs included)
 * @param goPeakRssKb the pure-Go process's peak RSS
 * @param skipped why the case was not run, or null
 */
public record CaseResult(
    String backend,
    int slots,
    int depth,
    long constraints,
    long compileMs,
    Long setupMs,
    Map<String, Long> keyBytes,
    double keyLoadMs,
    double goKeyLoadMs,
    int witnessBytes,
    Samples witness,
    ProveRuns jni,
    ProveRuns go,
    List<WorkerPoint> workers,
    long jvmPeakRssKb,
    long goPeakRssKb,
    String skipped) {

  /** A case that could not run here (e.g. GPU proving without a GPU build). */
  static CaseResult skipped(String backend, int slots, int depth, long constraints, String why) {
    return new CaseResult(backend, slots, depth, constraints, 0, null, Map.of(), 0, 0, 0, null, null, null, List.of(), 0, 0, why);
  }

  /** Whether it ran. */
  public boolean ran() {
    return skipped == null;
  }

  /** Proofs per hour of one prover at the median JNI prove time. */
  public double proofsPerHour() {
    return 3_600_000 / jni.wall().median();
  }

  /** Proven transfers per second of one prover. */
  public double transfersPerSecond() {
    return slots * 1000.0 / jni.wall().median();
  }

  /**
   * JNI throughput over pure-Go throughput (the target is ≥ 0.98): the median over the rounds of Go
   * ÷ JNI within each round. The two proofs of a round run back to back, so a slow spell of a shared
   * machine falls on both and cancels, which it does not in a ratio of the two sides' medians.
   */
  public double jniOverGo() {
    return roundRatios().median();
  }

  /** How sure {@link #jniOverGo()} is: the interval around the median of the rounds' ratios. */
  public Samples.Interval jniOverGoInterval() {
    return roundRatios().medianInterval();
  }

  /** The ratio of the two sides' medians: Go's median prove time over JNI's. */
  public double jniOverGoOfMedians() {
    return go.wall().median() / jni.wall().median();
  }

  /** Go ÷ JNI prove time of each round. */
  Samples roundRatios() {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < jni.wall().millis().size(); i++) {
      ratios.add(go.wall().millis().get(i) / jni.wall().millis().get(i));
    }
    return new Samples(ratios);
  }

  /** Witness building with tree updates, as a share of the prove time (the target is ≤ 5 %). */
  public double witnessShare() {
    return witness.median() / jni.wall().median();
  }
}
