package io.zkrollup.benchmarks;

import io.zkrollup.benchmarks.fixture.TransferBatchFixture;
import io.zkrollup.benchmarks.prove.Samples;
import io.zkrollup.circuits.batch.BatchBuilder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What trusting the pipeline's signatures saves the sealer, measured so that a shared machine
 * cannot fake it: the batch of {@link WitnessBuildingBenchmark} built alternately with {@code
 * VERIFY_ALL} (every signature and key hash checked while building, as the sealer did before) and
 * {@code TRUST_VERIFIED} (as it does now), in one JVM and one thread, which goes first alternating
 * by round; each build's thread CPU time (which time spent waiting for a core does not inflate)
 * and wall time. It prints the medians per transfer and the median of the paired per-round ratios
 * TRUST_VERIFIED / VERIFY_ALL with a 95 % interval.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.zkrollup.benchmarks.BatchBuildingRatio
 * [slots=16] [rounds=100] [warm-up rounds=30]} (depth 32, in-memory tree).
 */
public final class BatchBuildingRatio {

  private static final int DEPTH = 32;

  private BatchBuildingRatio() {}

  /** Runs the comparison and prints it. */
  public static void main(String[] args) {
    int slots = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    TransferBatchFixture verifying = new TransferBatchFixture(slots, DEPTH, BatchBuilder.Signatures.VERIFY_ALL);
    TransferBatchFixture trusting = new TransferBatchFixture(slots, DEPTH, BatchBuilder.Signatures.TRUST_VERIFIED);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<Double> verifyCpu = new ArrayList<>();
    List<Double> trustCpu = new ArrayList<>();
    List<Double> verifyWall = new ArrayList<>();
    List<Double> trustWall = new ArrayList<>();
    for (int round = 0; round < warmUp + rounds; round++) {
      boolean measured = round >= warmUp;
      for (int side = 0; side < 2; side++) {
        boolean trust = (round + side) % 2 == 0;
        long cpu = threads.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        (trust ? trusting : verifying).build();
        double cpuMillis = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
        double wallMillis = (System.nanoTime() - wall) / 1e6;
        if (measured) {
          (trust ? trustCpu : verifyCpu).add(cpuMillis);
          (trust ? trustWall : verifyWall).add(wallMillis);
        }
      }
    }
    report("thread CPU", new Samples(verifyCpu), new Samples(trustCpu), slots);
    report("wall", new Samples(verifyWall), new Samples(trustWall), slots);
  }

  private static void report(String what, Samples verify, Samples trust, int slots) {
    Samples ratio = trust.dividedBy(verify);
    Samples.Interval interval = ratio.medianInterval();
    System.out.printf(
        Locale.ROOT,
        "%-10s per transfer: VERIFY_ALL %.1f µs, TRUST_VERIFIED %.1f µs (medians of %d batches of %d); TRUST_VERIFIED / VERIFY_ALL %.3f (%.3f–%.3f, %.0f %%)%n",
        what,
        1000 * verify.median() / slots,
        1000 * trust.median() / slots,
        verify.millis().size(),
        slots,
        ratio.median(),
        interval.low(),
        interval.high(),
        100 * interval.confidence());
  }
}
