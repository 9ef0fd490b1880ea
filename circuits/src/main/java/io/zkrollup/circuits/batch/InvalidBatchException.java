package io.zkrollup.circuits.batch;

/**
 * A batch the protocol does not allow: an op breaks a rule (bad signature, wrong nonce,
 * insufficient balance, missing receiver, key mismatch, fee above the signed maximum, no room in
 * the batch …). The message names the slot and the rule. The tree is left as it was.
 */
public final class InvalidBatchException extends IllegalArgumentException {

  private final int slot;

  /**
   * A refusal.
   *
   * @param slot the slot of the offending op, or -1 for the batch as a whole (e.g. the operator)
   * @param reason the rule that was broken
   */
  public InvalidBatchException(int slot, String reason) {
    super(slot < 0 ? reason : "slot " + slot + ": " + reason);
    this.slot = slot;
  }

  /** The slot of the offending op, or -1 if the batch as a whole is invalid. */
  public int slot() {
    return slot;
  }
}
