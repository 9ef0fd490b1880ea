package io.zkrollup.aggregator.l1;

/**
 * L1 could not be reached, or did not answer in time, after every retry. Unlike {@link
 * L1RevertedException} it says nothing about the call itself: it may have happened or not, which
 * the caller finds out from L1's state once L1 answers again.
 */
public final class L1UnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** {@code what} failed; {@code cause} is the last failure. */
  public L1UnavailableException(String what, Throwable cause) {
    super(what, cause);
  }
}
