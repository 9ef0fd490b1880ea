package io.zkrollup.prover.nativebridge;

import java.nio.charset.StandardCharsets;

/**
 * A call into libzkprover failed. The library reports every failure, a recovered Go panic included,
 * as one of these; nothing that crosses the bridge is allowed to take the JVM down.
 */
public final class NativeProverException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the call failed; the numeric values are the {@code ZKP_ERR_*} codes of zkprover.h. */
  public enum Code {
    /** The input was malformed: wrong length, non-canonical field element, null, empty. */
    INVALID_ARGUMENT(1),
    /** The handle was never issued, was released, or names an object of another kind. */
    INVALID_HANDLE(2),
    /** The input or the number of live native objects is over a limit. */
    RESOURCE_EXHAUSTED(3),
    /** The native side failed for a reason the caller cannot fix. */
    INTERNAL(4),
    /** Go code panicked; the panic was recovered and its message and stack are in the message. */
    PANIC(5),
    /** A code this version of the Java side does not know. */
    UNKNOWN(-1);

    private final int value;

    Code(int value) {
      this.value = value;
    }

    /** The numeric code used on the native side. */
    public int value() {
      return value;
    }

    static Code of(int value) {
      for (Code code : values()) {
        if (code.value == value) {
          return code;
        }
      }
      return UNKNOWN;
    }
  }

  private final Code code;

  /** Called from the JNI shim; the message is UTF-8 so Go strings need no conversion in C. */
  NativeProverException(int code, byte[] utf8Message) {
    this(Code.of(code), new String(utf8Message, StandardCharsets.UTF_8));
  }

  NativeProverException(Code code, String message) {
    super(code + ": " + message);
    this.code = code;
  }

  /** Why the call failed. */
  public Code code() {
    return code;
  }
}
