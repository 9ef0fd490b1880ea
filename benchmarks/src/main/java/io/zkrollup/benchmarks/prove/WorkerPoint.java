package io.zkrollup.benchmarks.prove;

/**
 * Throughput with {@code workers} prover processes at once on one machine, and how long the node's
 * proof verification took meanwhile.
 *
 * @param workers concurrent prover processes
 * @param proofs proofs made in all
 * @param seconds wall time for all of them
 * @param slots transfers per proof (B)
 * @param verifyMs verifications on a verifier-only handle in the bench's JVM (as the node has),
 *     one every 20 ms while the workers proved; null where not measured
 */
public record WorkerPoint(int workers, int proofs, double seconds, int slots, Samples verifyMs) {

  /** Proofs per hour at this rate. */
  public double proofsPerHour() {
    return proofs * 3600 / seconds;
  }

  /** Proven transfers per second (every slot a transfer). */
  public double transfersPerSecond() {
    return (double) proofs * slots / seconds;
  }
}
