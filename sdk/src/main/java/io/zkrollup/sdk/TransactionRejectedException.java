package io.zkrollup.sdk;

import io.grpc.Status;
import java.util.Objects;

/**
 * The node refused a transaction, or an atomic list because of one of its transactions: nothing of
 * the request was accepted (a list is all or nothing). {@link #reason()} says which rule, {@link
 * #index()} which transaction of the list (0 for a single transaction), and the message names the
 * account and the values.
 */
public final class TransactionRejectedException extends RollupException {

  private final RejectionReason reason;
  private final int index;

  TransactionRejectedException(Status.Code code, RejectionReason reason, int index, String message, Throwable cause) {
    super(code, message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.index = index;
  }

  /** Why: the node's {@code ErrorInfo} reason ({@link RejectionReason#UNKNOWN} for one this SDK does not know). */
  public RejectionReason reason() {
    return reason;
  }

  /** The position of the offending transaction in the submitted list (0 for a single transaction). */
  public int index() {
    return index;
  }
}
