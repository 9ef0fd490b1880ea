package io.zkrollup.prover;

/** A batch could not be proven: its witness breaks a rule of the circuit or does not decode. */
public final class ProvingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Wraps the prover's reason. */
  public ProvingException(String message, Throwable cause) {
    super(message, cause);
  }
}
