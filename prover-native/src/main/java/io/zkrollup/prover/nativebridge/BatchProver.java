package io.zkrollup.prover.nativebridge;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A loaded batch-circuit prover (compiled circuit, proving and verifying key) held in native memory
 * behind a handle; see {@link LibZkProver#proverLoad}. Calls on one prover are serialised natively.
 * {@link #close()} releases the keys; a prover that is never closed is released when it becomes
 * unreachable.
 */
public final class BatchProver implements AutoCloseable {

  /** Size of the public inputs: oldRoot, newRoot, batchNumber, pubdataHash, 32 bytes each. */
  public static final int PUBLIC_INPUTS_BYTES = 128;

  /** A proof and the public inputs it proves. */
  public record Proof(byte[] proof, byte[] publicInputs) {}

  private final NativeHandle handle;

  BatchProver(long handle) {
    this.handle = new NativeHandle(this, handle, "BatchProver");
  }

  /**
   * Proves one batch.
   *
   * @param witness the batch witness bytes of docs/protocol.md ("Batch witness"), for this
   *     prover's B and D
   * @return the proof (gnark's raw encoding) and the 128 bytes of public inputs
   * @throws NativeProverException {@code INVALID_ARGUMENT} if the witness does not decode or breaks
   *     a rule of the circuit
   */
  public Proof prove(byte[] witness) {
    return split(proveRaw(witness));
  }

  /**
   * The native answer of {@link #prove}: a 4-byte big-endian proof length, the proof, then the 128
   * bytes of public inputs.
   */
  public byte[] proveRaw(byte[] witness) {
    return NativeCalls.prove(live(), witness);
  }

  /** Splits the bytes of {@link #proveRaw}. */
  static Proof split(byte[] raw) {
    int n = ByteBuffer.wrap(raw, 0, 4).getInt();
    if (n < 0 || raw.length != 4 + n + PUBLIC_INPUTS_BYTES) {
      throw new IllegalStateException("malformed native proof result");
    }
    return new Proof(Arrays.copyOfRange(raw, 4, 4 + n), Arrays.copyOfRange(raw, 4 + n, raw.length));
  }

  /**
   * Verifies a proof.
   *
   * @param proof a proof as {@link #prove} returns it
   * @param publicInputs 128 bytes: oldRoot, newRoot, batchNumber, pubdataHash (canonical elements)
   * @return whether the proof verifies
   * @throws NativeProverException {@code INVALID_ARGUMENT} if the proof or the inputs are malformed
   */
  public boolean verify(byte[] proof, byte[] publicInputs) {
    return NativeCalls.verify(live(), proof, publicInputs);
  }

  /**
   * Makes later {@link #prove} calls run Groth16 on the GPU (gnark's ICICLE backend) with the same
   * keys; proofs verify with the unchanged verifying key. Needs a libzkprover built with the
   * {@code icicle} Go tag ({@link NativeVersions#gpu()} is {@code "icicle"}), CUDA and the ICICLE
   * libraries; see native/README.md, "GPU proving (ICICLE)". If the GPU cannot start, the next
   * {@code prove} fails with an exception (not a crash) and so do later GPU proofs.
   *
   * @throws NativeProverException {@code INTERNAL} if the library was built without the icicle
   *     tag, {@code INVALID_ARGUMENT} for PLONK keys
   */
  public void useGpu() {
    NativeCalls.proverUseGpu(live());
  }

  /** The Solidity source (UTF-8) of the L1 verifier contract for this prover's verifying key. */
  public byte[] exportSolidity() {
    return NativeCalls.exportSolidity(live());
  }

  /**
   * Re-encodes a proof as the proof argument of the verifier from {@link #exportSolidity}. Groth16:
   * {@code A (64) ‖ B (128) ‖ C (64)}, 256 bytes (the batch circuit has no commitment), the argument
   * {@code proof} of {@code verifyProof(bytes proof, uint256[4] input)}; PLONK: gnark's
   * {@code MarshalSolidity} layout, the argument {@code proof} of {@code Verify(bytes, uint256[])}
   * (native/README.md, "Solidity calldata").
   *
   * @param proof a proof as {@link #prove} returns it (gnark's raw encoding)
   * @return the proof bytes for the Solidity verifier (a new array)
   * @throws NativeProverException {@code INVALID_ARGUMENT} if the proof is malformed (wrong length,
   *     a point off the curve or outside the subgroup)
   */
  public byte[] solidityProof(byte[] proof) {
    return NativeCalls.solidityProof(live(), proof);
  }

  /**
   * Describes the loaded keys: UTF-8 {@code key=value} lines {@code b}, {@code d}, {@code
   * backend} ({@code groth16} or {@code plonk}), {@code mode} ({@code rollup} or {@code
   * validium}; key directories from before validium mode are rollup) and {@code origin} ({@code
   * development} with {@code setup}, or {@code ceremony} with {@code transcript}, {@code phase1}
   * and {@code phase2} (contributor names, comma-separated), {@code beacon1} and {@code beacon2};
   * key directories from before origins are development).
   */
  public byte[] info() {
    return NativeCalls.proverInfo(live());
  }

  /** Releases the native keys; later calls throw {@link IllegalStateException}. Idempotent. */
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
