package io.zkrollup.circuits.batch;

import io.zkrollup.statetree.field.Fr;
import java.util.List;
import java.util.Objects;

/**
 * The proof's four public inputs, in the circuit's order (docs/protocol.md, "Commitment and
 * public inputs").
 *
 * @param oldRoot the state root before the batch
 * @param newRoot the state root after the batch (fees credited)
 * @param batchNumber the header's batch number
 * @param pubdataHash {@code SHA-256(pubdata) mod 2^253}
 */
public record PublicInputs(Fr oldRoot, Fr newRoot, long batchNumber, Fr pubdataHash) {

  /** Checks for nulls and a negative batch number. */
  public PublicInputs {
    Objects.requireNonNull(oldRoot, "oldRoot");
    Objects.requireNonNull(newRoot, "newRoot");
    Objects.requireNonNull(pubdataHash, "pubdataHash");
    if (batchNumber < 0) {
      throw new IllegalArgumentException("batchNumber must be ≥ 0, got " + batchNumber);
    }
  }

  /** The inputs as field elements: oldRoot, newRoot, batchNumber, pubdataHash. */
  public List<Fr> toList() {
    return List.of(oldRoot, newRoot, Fr.of(batchNumber), pubdataHash);
  }
}
