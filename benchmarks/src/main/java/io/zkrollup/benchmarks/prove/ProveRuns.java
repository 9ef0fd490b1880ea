package io.zkrollup.benchmarks.prove;

import java.util.ArrayList;
import java.util.List;

/**
 * The measured proofs of one side (JNI or pure Go): each proof's wall time, the CPU time its whole
 * process spent meanwhile, and the minor page faults it took, in the order run.
 *
 * @param wall wall-clock milliseconds
 * @param cpu CPU milliseconds of the whole process (all threads)
 * @param minorFaults minor page faults (-1 where the platform does not tell)
 */
public record ProveRuns(Samples wall, Samples cpu, Samples minorFaults) {

  /** One proof's figures. */
  record Proof(double wallMs, double cpuMs, long minorFaults) {}

  static ProveRuns of(List<Proof> proofs) {
    List<Double> wall = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    List<Double> faults = new ArrayList<>();
    for (Proof p : proofs) {
      wall.add(p.wallMs());
      cpu.add(p.cpuMs());
      faults.add((double) p.minorFaults());
    }
    return new ProveRuns(new Samples(wall), new Samples(cpu), new Samples(faults));
  }

  /**
   * How many cores the process kept busy while proving: the median over the proofs of CPU ÷ wall
   * time. Taken proof by proof, a slow spell of the machine, which stretches both, cancels.
   */
  public double coresBusy() {
    return cpu.dividedBy(wall).median();
  }
}
