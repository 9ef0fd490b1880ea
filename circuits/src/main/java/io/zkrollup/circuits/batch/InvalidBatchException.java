package io.zkrollup.circuits.batch;

import io.zkrollup.circuits.tx.TxViolation;
import java.util.Optional;

/**
 * A batch the protocol does not allow: an op breaks a rule (bad signature, wrong nonce,
 * insufficient balance, missing receiver, key mismatch, fee above the signed maximum, no room in
 * the batch …). The message names the slot and the rule. The tree is left as it was.
 */
public final class InvalidBatchException extends IllegalArgumentException {

  private final int slot;
  private final transient TxViolation violation;

  /**
   * A refusal for a reason outside {@link io.zkrollup.circuits.tx.TxRules} (a signature, the
   * batch's shape).
   *
   * @param slot the slot of the offending op, or -1 for the batch as a whole (e.g. the operator)
   * @param reason the rule that was broken
   */
  public InvalidBatchException(int slot, String reason) {
    this(slot, reason, null);
  }

  /**
   * A refusal because an op (or the operator's fee credit) breaks one of {@link
   * io.zkrollup.circuits.tx.TxRules}.
   *
   * @param slot the slot of the offending op, or -1 for the operator's credit after the last slot
   * @param violation the rule that was broken
   */
  public InvalidBatchException(int slot, TxViolation violation) {
    this(slot, violation.message(), violation);
  }

  private InvalidBatchException(int slot, String reason, TxViolation violation) {
    super(slot < 0 ? reason : "slot " + slot + ": " + reason);
    this.slot = slot;
    this.violation = violation;
  }

  /** The slot of the offending op, or -1 if the batch as a whole is invalid. */
  public int slot() {
    return slot;
  }

  /** The rule of {@link io.zkrollup.circuits.tx.TxRules} that was broken, if it was one of those. */
  public Optional<TxViolation> violation() {
    return Optional.ofNullable(violation);
  }
}
