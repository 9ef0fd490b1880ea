package io.zkrollup.benchmarks.prove;

/**
 * Throughput with {@code workers} provers at once on one machine.
 *
 * @param workers concurrent provers
 * @param proofs proofs made in all
 * @param seconds wall time for all of them
 * @param slots transfers per proof (B)
 */
public record WorkerPoint(int workers, int proofs, double seconds, int slots) {

  /** Proofs per hour at this rate. */
  public double proofsPerHour() {
    return proofs * 3600 / seconds;
  }

  /** Proven transfers per second (every slot a transfer). */
  public double transfersPerSecond() {
    return (double) proofs * slots / seconds;
  }
}
