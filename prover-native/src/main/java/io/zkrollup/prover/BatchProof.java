package io.zkrollup.prover;

import io.zkrollup.circuits.batch.PublicInputs;
import java.util.Arrays;
import java.util.Objects;

/**
 * A proof of one batch and the public inputs it proves.
 *
 * @param system the proof system that made it
 * @param proof the proof in gnark's raw encoding (a copy is kept)
 * @param publicInputs oldRoot, newRoot, batchNumber, pubdataHash
 */
public record BatchProof(ProofSystem system, byte[] proof, PublicInputs publicInputs) {

  /** Copies the proof bytes so the record stays immutable. */
  public BatchProof {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(publicInputs, "publicInputs");
    proof = Objects.requireNonNull(proof, "proof").clone();
  }

  /** A copy of the proof bytes. */
  @Override
  public byte[] proof() {
    return proof.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchProof other
        && system == other.system
        && Arrays.equals(proof, other.proof)
        && publicInputs.equals(other.publicInputs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(system, Arrays.hashCode(proof), publicInputs);
  }

  @Override
  public String toString() {
    return "BatchProof[" + system.label() + ", " + proof.length + " bytes, " + publicInputs + "]";
  }
}
