package io.zkrollup.prover.nativebridge;

/** libzkprover could not be loaded: not packaged for this platform, or the load itself failed. */
public final class NativeLibraryUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  NativeLibraryUnavailableException(String message) {
    super(message);
  }

  NativeLibraryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
