package io.zkrollup.prover;

import io.zkrollup.circuits.batch.BatchWitness;
import io.zkrollup.circuits.batch.PublicInputs;

/**
 * Proves and verifies batches of one circuit (one batch size B and tree depth D) with one proof
 * system. Implementations hold keys in memory; close them to release the keys.
 */
public interface Prover extends AutoCloseable {

  /** The proof system this prover runs. */
  ProofSystem system();

  /** The batch size B of the circuit whose keys this prover holds. */
  int slots();

  /** The tree depth D of the circuit whose keys this prover holds. */
  int depth();

  /**
   * Proves one batch.
   *
   * @throws IllegalArgumentException if the witness is for another B or D
   * @throws ProvingException if the witness breaks a rule of the circuit (it cannot be proven)
   */
  BatchProof prove(BatchWitness witness);

  /**
   * Proves one batch from its witness bytes ({@link BatchWitness#toBytes()}), as a batch store or a
   * remote coordinator hands them over.
   *
   * @param witness the witness bytes
   * @param expected the public inputs the witness must prove
   * @throws ProvingException if the witness is malformed, for another circuit, or breaks a rule
   * @throws IllegalStateException if the proof's public inputs are not {@code expected}
   */
  BatchProof prove(byte[] witness, PublicInputs expected);

  /**
   * Verifies a proof against the public inputs it carries.
   *
   * @return whether it verifies; a proof of another system is refused with {@code false}
   */
  boolean verify(BatchProof proof);

  /** Releases the keys; later calls throw {@link IllegalStateException}. */
  @Override
  void close();
}
