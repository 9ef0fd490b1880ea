package io.zkrollup.sdk;

/** What happened to a batch, in the order it happens. */
public enum BatchStage {
  /** Its witness is built and stored: its transactions are {@link TransactionStage#SEALED}. */
  SEALED,
  /** Its proof is verified. */
  PROVEN,
  /** It is verified on L1. */
  PUBLISHED
}
