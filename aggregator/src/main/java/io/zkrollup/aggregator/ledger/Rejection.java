package io.zkrollup.aggregator.ledger;

import java.util.Objects;

/**
 * A refused transaction: why, where in its list, and a message for people.
 *
 * @param reason the machine-readable reason
 * @param index the position of the offending transaction in its list (0 for a single one)
 * @param message what was wrong, naming the values
 */
public record Rejection(RejectReason reason, int index, String message) {

  /** Checks for nulls. */
  public Rejection {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }
}
