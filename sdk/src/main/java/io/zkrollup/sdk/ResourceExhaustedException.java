package io.zkrollup.sdk;

import io.grpc.Status;

/**
 * {@code RESOURCE_EXHAUSTED}: the node's ingestion ring is full ({@link #busy()}: nothing was
 * accepted, retry with backoff), or the request is larger than the node takes (grpc-java's own
 * message size check: split the list).
 */
public final class ResourceExhaustedException extends RollupException {

  private final boolean busy;

  ResourceExhaustedException(boolean busy, String message, Throwable cause) {
    super(Status.Code.RESOURCE_EXHAUSTED, message, cause);
    this.busy = busy;
  }

  /** Whether the node answered {@link RejectionReason#BUSY}: a retry later may succeed as it is. */
  public boolean busy() {
    return busy;
  }
}
