package io.zkrollup.aggregator.coordinator;

import io.zkrollup.api.v1.CoordinatorError;
import java.util.Objects;

/** A request the coordinator refuses, with the reason a worker can act on. */
public final class CoordinatorException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient CoordinatorError reason;

  /** A refusal for {@code reason}, explained by {@code message}. */
  public CoordinatorException(CoordinatorError reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Why. */
  public CoordinatorError reason() {
    return reason;
  }
}
