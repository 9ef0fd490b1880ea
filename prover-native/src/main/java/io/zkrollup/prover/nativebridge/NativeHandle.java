package io.zkrollup.prover.nativebridge;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Owns one handle of the native registry: releases it exactly once, on {@link #close()} or when the
 * owner becomes unreachable, and refuses use after release.
 */
final class NativeHandle implements AutoCloseable {

  private static final Cleaner CLEANER = Cleaner.create();

  /** The handle value, shared with the cleaning action; 0 once released. */
  private static final class Value implements Runnable {
    final AtomicLong value;

    Value(long value) {
      this.value = new AtomicLong(value);
    }

    @Override
    public void run() {
      long h = value.getAndSet(0);
      if (h != 0) {
        NativeCalls.release(h);
      }
    }
  }

  private final Value value;
  private final Cleaner.Cleanable cleanable;
  private final String ownerName;

  /**
   * @param owner the object whose reachability keeps the handle alive
   * @param handle the native handle
   * @param ownerName names the owner in the error after release
   */
  NativeHandle(Object owner, long handle, String ownerName) {
    this.value = new Value(handle);
    this.cleanable = CLEANER.register(owner, value);
    this.ownerName = ownerName;
  }

  /** The handle for a native call. */
  long live() {
    long h = value.value.get();
    if (h == 0) {
      throw new IllegalStateException(ownerName + " is closed");
    }
    return h;
  }

  /** The raw value, 0 once released (tests). */
  long raw() {
    return value.value.get();
  }

  /** Releases the handle. Idempotent. */
  @Override
  public void close() {
    cleanable.clean();
  }
}
