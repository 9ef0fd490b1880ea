package io.zkrollup.prover.worker;

import io.zkrollup.circuits.batch.BatchWitness;
import io.zkrollup.circuits.batch.PublicInputs;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.Prover;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real prover with a hook that runs before each prove (to hold a prove open while a test acts)
 * and a count of proves begun and ended. Does not close the real prover, which the test class shares.
 */
final class ObservedProver implements Prover {
  private final Prover real;
  private final Runnable beforeProve;
  final AtomicInteger calls = new AtomicInteger();
  final CountDownLatch entered = new CountDownLatch(1);
  final CountDownLatch returned = new CountDownLatch(1);

  ObservedProver(Prover real, Runnable beforeProve) {
    this.real = real;
    this.beforeProve = beforeProve;
  }

  @Override
  public ProofSystem system() {
    return real.system();
  }

  @Override
  public int slots() {
    return real.slots();
  }

  @Override
  public int depth() {
    return real.depth();
  }

  @Override
  public BatchProof prove(BatchWitness witness) {
    return prove(witness.toBytes(), witness.publicInputs());
  }

  @Override
  public BatchProof prove(byte[] witness, PublicInputs expected) {
    calls.incrementAndGet();
    entered.countDown();
    try {
      beforeProve.run();
      return real.prove(witness, expected);
    } finally {
      returned.countDown();
    }
  }

  @Override
  public boolean verify(BatchProof proof) {
    return real.verify(proof);
  }

  @Override
  public void close() {}
}
