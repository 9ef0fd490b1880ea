package io.zkrollup.aggregator.batch;

import java.util.Objects;

/**
 * A batch reached a stage.
 *
 * @param batch the batch
 * @param stage the stage it reached
 * @param proveMillis how long proving took ({@link Stage#PROVEN} only, else 0)
 */
public record BatchUpdate(StoredBatch batch, Stage stage, long proveMillis) {

  /** The stages of a batch after the sequencer closed it. */
  public enum Stage {
    /** Built: witness and public data stored, the tree moved to its new root. */
    SEALED,
    /** Its proof is verified and stored. */
    PROVEN,
    /** L1 accepted it. */
    PUBLISHED
  }

  /** Checks for nulls. */
  public BatchUpdate {
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(stage, "stage");
  }
}
