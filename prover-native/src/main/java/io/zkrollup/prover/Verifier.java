package io.zkrollup.prover;

import io.zkrollup.circuits.batch.DataAvailability;

/**
 * Verifies proofs of one circuit (one batch size B, tree depth D and data-availability mode) made
 * with one proof system, and encodes them for the L1 verifier contract. A verifier holds the
 * verifying key only, never a proving key: it is what the node needs where it checks submitted
 * proofs and publishes them to L1. Implementations are safe to call from many threads; close them
 * to release the key.
 */
public interface Verifier extends AutoCloseable {

  /** The proof system whose proofs this verifier checks. */
  ProofSystem system();

  /** The batch size B of the circuit. */
  int slots();

  /** The tree depth D of the circuit. */
  int depth();

  /** The data-availability mode of the circuit: which pubdataHash its proofs commit to. */
  DataAvailability dataAvailability();

  /**
   * Where the keys came from (their manifest's record): a single-party development setup, never
   * for funds, or a multi-party ceremony with its transcript hash and contributors.
   */
  KeyOrigin origin();

  /**
   * Verifies a proof against the public inputs it carries.
   *
   * @return whether it verifies; a proof of another system is refused with {@code false}
   * @throws RuntimeException for proof bytes that do not decode (gnark: a {@code
   *     NativeProverException} with code {@code INVALID_ARGUMENT})
   */
  boolean verify(BatchProof proof);

  /**
   * The proof bytes the L1 verifier from {@link #exportSolidity} takes for this proof: for Groth16
   * the {@code proof} argument of {@code verifyProof(bytes proof, uint256[4] input)}, whose {@code
   * input} is {@link BatchProof#publicInputs()} in order (oldRoot, newRoot, batchNumber,
   * pubdataHash). Layout in native/README.md, "Solidity calldata".
   *
   * @throws IllegalArgumentException if the proof was made by another proof system
   * @throws RuntimeException for proof bytes that do not decode (gnark: a {@code
   *     NativeProverException} with code {@code INVALID_ARGUMENT})
   */
  byte[] solidityProof(BatchProof proof);

  /** The Solidity source of the L1 verifier contract for this verifying key. */
  String exportSolidity();

  /** Releases the key; later calls throw {@link IllegalStateException}. */
  @Override
  void close();
}
