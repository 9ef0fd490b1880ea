package io.zkrollup.statetree.store;

/**
 * The storage under a tree failed or holds data that does not decode (an I/O error, a corrupt
 * record). Distinct from {@link IllegalArgumentException}, which means the caller's input was bad.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With a message and the underlying cause. */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** With a message. */
  public StoreException(String message) {
    super(message);
  }
}
