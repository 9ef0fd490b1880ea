package io.zkrollup.benchmarks.prove;

import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.Verifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies one proof every 20 ms on a thread of its own and records how long each verification
 * took, as the node verifies submitted proofs while its workers prove.
 */
final class VerifySampler implements AutoCloseable {

  private static final long PERIOD_MILLIS = 20;

  private final Verifier verifier;
  private final BatchProof proof;
  private final List<Double> millis = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopping;
  private volatile RuntimeException failure;

  private VerifySampler(Verifier verifier, BatchProof proof) {
    this.verifier = verifier;
    this.proof = proof;
    this.thread = new Thread(this::run, "verify-sampler");
    this.thread.setDaemon(true);
  }

  static VerifySampler start(Verifier verifier, BatchProof proof) {
    VerifySampler s = new VerifySampler(verifier, proof);
    s.thread.start();
    return s;
  }

  private void run() {
    try {
      while (!stopping) {
        long t = System.nanoTime();
        if (!verifier.verify(proof)) {
          throw new IllegalStateException("the bench's proof does not verify");
        }
        double ms = (System.nanoTime() - t) / 1e6;
        synchronized (millis) {
          millis.add(ms);
        }
        Thread.sleep(PERIOD_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  /** Stops sampling and returns the verification times. */
  Samples stop() throws InterruptedException {
    stopping = true;
    thread.join();
    if (failure != null) {
      throw failure;
    }
    synchronized (millis) {
      if (millis.isEmpty()) {
        throw new IllegalStateException("no verification finished while the workers proved");
      }
      return new Samples(List.copyOf(millis));
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopping = true;
    thread.join();
  }
}
