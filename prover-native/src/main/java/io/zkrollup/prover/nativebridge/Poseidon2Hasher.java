package io.zkrollup.prover.nativebridge;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An incremental Poseidon2 hash held in native memory behind a handle. Calls on one hasher are
 * serialised natively, so sharing one between threads is safe but pointless. {@link #close()}
 * releases the native state; a hasher that is never closed is released when it becomes unreachable.
 */
public final class Poseidon2Hasher implements AutoCloseable {

  private static final Cleaner CLEANER = Cleaner.create();

  /** The native handle, shared with the cleaning action; 0 once released. */
  private static final class Handle implements Runnable {
    final AtomicLong value;

    Handle(long value) {
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

  private final Handle handle;
  private final Cleaner.Cleanable cleanable;

  Poseidon2Hasher(long handle) {
    this.handle = new Handle(handle);
    this.cleanable = CLEANER.register(this, this.handle);
  }

  /** Absorbs one or more whole field elements (a non-zero multiple of 32 bytes). */
  public void write(byte[] elements) {
    NativeCalls.hasherWrite(live(), elements);
  }

  /** The digest of everything written so far; the hasher stays usable. */
  public byte[] digest() {
    return NativeCalls.hasherDigest(live());
  }

  /** Releases the native state; later calls throw {@link IllegalStateException}. Idempotent. */
  @Override
  public void close() {
    cleanable.clean();
  }

  private long live() {
    long h = handle.value.get();
    if (h == 0) {
      throw new IllegalStateException("Poseidon2Hasher is closed");
    }
    return h;
  }
}
