package io.zkrollup.sdk;

import io.zkrollup.statetree.field.Fr;
import java.util.Objects;

/**
 * A batch reaching a stage.
 *
 * @param batchNumber the batch
 * @param stage the stage it reached
 * @param oldRoot the state root before it
 * @param newRoot the state root after it
 * @param transactions signed transactions and deposits in it
 * @param slots its slots (B)
 * @param pubdataHash the proof's public input: SHA-256 of what L1 receives, mod 2^253
 * @param proveMillis how long its proof took ({@link BatchStage#PROVEN} only, else 0)
 */
public record BatchEvent(long batchNumber, BatchStage stage, Fr oldRoot, Fr newRoot, int transactions, int slots, Fr pubdataHash, long proveMillis) {

  /** Checks for null. */
  public BatchEvent {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(oldRoot, "oldRoot");
    Objects.requireNonNull(newRoot, "newRoot");
    Objects.requireNonNull(pubdataHash, "pubdataHash");
  }
}
