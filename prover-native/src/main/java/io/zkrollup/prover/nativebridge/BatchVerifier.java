package io.zkrollup.prover.nativebridge;

import java.lang.ref.Reference;

/**
 * A loaded verifying key of the batch circuit held in native memory behind a handle; see {@link
 * LibZkProver#verifierLoad}. It holds neither the circuit nor the proving key, and it never
 * changes, so calls on one verifier from many threads run concurrently (a {@link BatchProver}
 * serialises its calls, and a verify on it waits for a proof in progress). {@link #close()}
 * releases the key once the calls in flight have returned; a verifier that is never closed is
 * released when it becomes unreachable.
 */
public final class BatchVerifier implements AutoCloseable {

  private final NativeHandle handle;

  BatchVerifier(long handle) {
    this.handle = new NativeHandle(this, handle, "BatchVerifier");
  }

  /**
   * Verifies a proof.
   *
   * @param proof a proof as {@link BatchProver#prove} returns it (gnark's raw encoding)
   * @param publicInputs 128 bytes: oldRoot, newRoot, batchNumber, pubdataHash (canonical elements)
   * @return whether the proof verifies
   * @throws NativeProverException {@code INVALID_ARGUMENT} if the proof or the inputs are malformed
   */
  public boolean verify(byte[] proof, byte[] publicInputs) {
    try {
      return NativeCalls.verify(live(), proof, publicInputs);
    } finally {
      Reference.reachabilityFence(this); // no release by the Cleaner while the call runs
    }
  }

  /** The Solidity source (UTF-8) of the L1 verifier contract for this verifying key. */
  public byte[] exportSolidity() {
    try {
      return NativeCalls.exportSolidity(live());
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * Re-encodes a proof as the proof argument of the verifier from {@link #exportSolidity}, exactly
   * as {@link BatchProver#solidityProof} does (native/README.md, "Solidity calldata").
   *
   * @param proof a proof as {@link BatchProver#prove} returns it (gnark's raw encoding)
   * @return the proof bytes for the Solidity verifier (a new array)
   * @throws NativeProverException {@code INVALID_ARGUMENT} if the proof is malformed
   */
  public byte[] solidityProof(byte[] proof) {
    try {
      return NativeCalls.solidityProof(live(), proof);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * Describes the verifying key, as {@link BatchProver#info()} does: UTF-8 {@code key=value}
   * lines {@code b}, {@code d}, {@code backend}, {@code mode} and the keys' {@code origin} with
   * its details (from the key manifest).
   */
  public byte[] info() {
    try {
      return NativeCalls.proverInfo(live());
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Releases the native key; later calls throw {@link IllegalStateException}. Idempotent. */
  @Override
  public void close() {
    handle.close();
  }

  /** The raw handle (tests). */
  long handle() {
    return handle.raw();
  }

  private long live() {
    return handle.live();
  }
}
