package io.zkrollup.aggregator.ledger;

/** Thrown where a {@link Rejection} cannot be returned: the transaction is refused and nothing changed. */
public final class RejectedException extends RuntimeException {

  private final Rejection rejection;

  /** An exception carrying {@code rejection}. */
  public RejectedException(Rejection rejection) {
    super(rejection.reason() + ": " + rejection.message());
    this.rejection = rejection;
  }

  /** Shorthand for a single transaction. */
  public RejectedException(RejectReason reason, String message) {
    this(new Rejection(reason, 0, message));
  }

  /** The rejection. */
  public Rejection rejection() {
    return rejection;
  }
}
