package io.zkrollup.sdk;

import io.grpc.Status;

/**
 * No node answered ({@code UNAVAILABLE}: not running, unreachable, the connection dropped), or the
 * node stopped accepting ({@link #halted()}: shutting down, halted on a storage failure, or L1 is
 * in exodus). A submission that fails so was not acknowledged; if the connection dropped after the
 * request was sent, ask {@link RollupClient#status} before resubmitting.
 */
public final class NodeUnavailableException extends RollupException {

  private final boolean halted;

  NodeUnavailableException(boolean halted, String message, Throwable cause) {
    super(Status.Code.UNAVAILABLE, message, cause);
    this.halted = halted;
  }

  /** Whether the node itself answered that it stopped accepting ({@link RejectionReason#NODE_HALTED}). */
  public boolean halted() {
    return halted;
  }
}
