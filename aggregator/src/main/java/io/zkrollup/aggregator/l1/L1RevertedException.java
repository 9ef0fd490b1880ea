package io.zkrollup.aggregator.l1;

/** L1 refused a call, as a contract reverts: nothing changed. The message is the revert reason. */
public final class L1RevertedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A revert with {@code reason}. */
  public L1RevertedException(String reason) {
    super(reason);
  }
}
