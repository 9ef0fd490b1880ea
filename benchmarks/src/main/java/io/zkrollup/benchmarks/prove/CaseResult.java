package io.zkrollup.benchmarks.prove;

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
 * @param jni proving through JNI, alone on the machine
 * @param go proving in pure Go, taking turns with {@code jni} (round i of each is a pair)
 * @param jniTogether JNI proofs made while pure Go proved the same witness at the same moment; null
 *     where not run (GPU proving, or {@code --simultaneous-runs 0})
 * @param goTogether the pure-Go proofs of those rounds (round i of each is a pair)
 * @param twinCheck the A/A check, or null where not asked for: per round, the pure-Go process's CPU
 *     time ÷ that of a second, identical one proving at the same moment (ideally 1)
 * @param workers throughput with 1..n worker processes, and the node's verification meanwhile
 * @param verify the node's proof verification with nothing else running, and on a prover's own
 *     handle while it proves; null where not measured
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
    ProveRuns jniTogether,
    ProveRuns goTogether,
    Samples twinCheck,
    List<WorkerPoint> workers,
    VerifyLatency verify,
    long jvmPeakRssKb,
    long goPeakRssKb,
    String skipped) {

  /** A case that could not run here (e.g. GPU proving without a GPU build). */
  static CaseResult skipped(String backend, int slots, int depth, long constraints, String why) {
    return new CaseResult(backend, slots, depth, constraints, 0, null, Map.of(), 0, 0, 0, null, null, null, null, null, null, List.of(), null, 0, 0, why);
  }

  /**
   * Proof verification as the node does it, apart from the workers' runs.
   *
   * @param idle on a verifier-only handle with nothing else running
   * @param sharedHandle on the handle a JNI prove is running on, started while it runs: what a node
   *     that verified with its local worker's handle waited (before issue 17)
   */
  public record VerifyLatency(Samples idle, Samples sharedHandle) {}

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
   * JNI throughput over pure-Go throughput (the target is ≥ 0.98). Where both sides proved at the
   * same moment, it is their work per proof (the median over those rounds of Go's CPU time ÷ JNI's)
   * times how busy each keeps the cores proving alone ({@link #busyRatio()}): throughput is cores
   * busy ÷ CPU time per proof, and a slow spell of a shared machine falls on both sides of such a
   * round alike. Otherwise (GPU proving) it is {@link #jniOverGoTakingTurns()}.
   */
  public double jniOverGo() {
    return provedTogether() ? workRatios().median() * busyRatio() : turnRatios().median();
  }

  /** How sure {@link #jniOverGo()} is: the interval around the median of its rounds' ratios. */
  public Samples.Interval jniOverGoInterval() {
    if (!provedTogether()) {
      return turnRatios().medianInterval();
    }
    Samples.Interval work = workRatios().medianInterval();
    return new Samples.Interval(work.low() * busyRatio(), work.high() * busyRatio(), work.confidence());
  }

  /** Whether the two sides also proved at the same moment. */
  public boolean provedTogether() {
    return jniTogether != null;
  }

  /** Go ÷ JNI CPU time of each round in which the two proved at the same moment. */
  Samples workRatios() {
    return goTogether.cpu().dividedBy(jniTogether.cpu());
  }

  /**
   * Cores JNI keeps busy proving alone ÷ cores pure Go keeps busy: below 1 if the JNI side waits
   * more (a proof serialised somewhere), which proving at the same moment would hide.
   */
  public double busyRatio() {
    return jni.coresBusy() / go.coresBusy();
  }

  /**
   * The ratio from the rounds in which the two took turns: the median over them of Go ÷ JNI prove
   * time. A slow spell lasting longer than one proof cancels in it, a shorter one does not.
   */
  public double jniOverGoTakingTurns() {
    return turnRatios().median();
  }

  /** How sure {@link #jniOverGoTakingTurns()} is. */
  public Samples.Interval jniOverGoTakingTurnsInterval() {
    return turnRatios().medianInterval();
  }

  /** The ratio of the two sides' medians proving alone: Go's median prove time over JNI's. */
  public double jniOverGoOfMedians() {
    return go.wall().median() / jni.wall().median();
  }

  /** Go ÷ JNI prove time of each round of taking turns. */
  Samples turnRatios() {
    return go.wall().dividedBy(jni.wall());
  }

  /** Witness building with tree updates, as a share of the prove time (the target is ≤ 5 %). */
  public double witnessShare() {
    return witness.median() / jni.wall().median();
  }
}
