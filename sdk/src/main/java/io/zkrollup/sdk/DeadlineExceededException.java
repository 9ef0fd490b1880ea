package io.zkrollup.sdk;

import io.grpc.Status;

/**
 * The call's deadline passed before the node answered ({@code DEADLINE_EXCEEDED}). A submission
 * may or may not have been accepted: ask {@link RollupClient#status} with {@link Wallet#txHash},
 * or resubmit (a transaction already accepted is then refused with {@link
 * RejectionReason#NONCE_REPLAYED}).
 */
public final class DeadlineExceededException extends RollupException {

  DeadlineExceededException(String message, Throwable cause) {
    super(Status.Code.DEADLINE_EXCEEDED, message, cause);
  }
}
