package io.zkrollup.aggregator.store;

/** The node's storage failed; the node stops, and a restart recovers from what is on disk. */
public final class StorageException extends RuntimeException {

  /** An exception with a message and its cause. */
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  /** An exception with a message. */
  public StorageException(String message) {
    super(message);
  }
}
