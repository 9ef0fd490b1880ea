package io.zkrollup.prover.nativebridge;

/**
 * An incremental Poseidon2 hash held in native memory behind a handle. Calls on one hasher are
 * serialised natively, so sharing one between threads is safe but pointless. {@link #close()}
 * releases the native state; a hasher that is never closed is released when it becomes unreachable.
 */
public final class Poseidon2Hasher implements AutoCloseable {

  private final NativeHandle handle;

  Poseidon2Hasher(long handle) {
    this.handle = new NativeHandle(this, handle, "Poseidon2Hasher");
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
    handle.close();
  }

  private long live() {
    return handle.live();
  }
}
