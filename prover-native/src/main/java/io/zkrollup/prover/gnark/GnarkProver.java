package io.zkrollup.prover.gnark;

import io.zkrollup.circuits.batch.BatchWitness;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.batch.PublicInputs;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.KeyOrigin;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.Prover;
import io.zkrollup.prover.ProvingException;
import io.zkrollup.prover.Verifier;
import io.zkrollup.prover.nativebridge.BatchProver;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.nativebridge.NativeProverException;
import io.zkrollup.statetree.field.Fr;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@link Prover} on gnark through libzkprover. Keys live in a key directory written by {@link
 * #setup} (circuit, proving key, verifying key and a manifest with each file's SHA-256, checked on
 * every load).
 *
 * <p>It is a {@link Verifier} too, but its calls are serialised natively: a verify waits for a proof
 * in progress. Where proofs are checked while others are being made, load a {@link GnarkVerifier}
 * from the same directory instead.
 */
public final class GnarkProver implements Prover, Verifier {

  private final BatchProver keys;
  private final ProofSystem system;
  private final int slots;
  private final int depth;
  private final DataAvailability dataAvailability;
  private final KeyOrigin origin;

  private GnarkProver(BatchProver keys, KeysInfo info) {
    this.keys = keys;
    this.system = info.system();
    this.slots = info.slots();
    this.depth = info.depth();
    this.dataAvailability = info.dataAvailability();
    this.origin = info.origin();
  }

  /**
   * Compiles the circuit for B slots, depth D and a data-availability mode and describes it,
   * without a setup.
   *
   * @throws NativeProverException {@code INVALID_ARGUMENT} for B or D out of range
   */
  public static CircuitReport describe(LibZkProver lib, int slots, int depth, ProofSystem system, DataAvailability mode) {
    Objects.requireNonNull(mode, "mode");
    return CircuitReport.parse(lib.circuitInfo(slots, depth, system.nativeCode(), mode.code()));
  }

  /**
   * Runs the setup for B slots, depth D and a data-availability mode and writes the key directory
   * (its manifest records the mode). Groth16 keys made this way come from a single-party setup:
   * fine for tests and benchmarks, not for funds (use an MPC ceremony: {@link Ceremony}). PLONK keys
   * use a development SRS. Either way the manifest's origin says development.
   */
  public static CircuitReport setup(
      LibZkProver lib, int slots, int depth, ProofSystem system, DataAvailability mode, Path keyDir) {
    Objects.requireNonNull(mode, "mode");
    return CircuitReport.parse(lib.circuitSetup(slots, depth, system.nativeCode(), mode.code(), utf8(keyDir)));
  }

  /**
   * Loads a key directory.
   *
   * @throws NativeProverException {@code INVALID_ARGUMENT} for a missing, damaged or tampered
   *     directory
   */
  public static GnarkProver load(LibZkProver lib, Path keyDir) {
    Objects.requireNonNull(keyDir, "keyDir");
    BatchProver keys = lib.proverLoad(utf8(keyDir));
    KeysInfo info;
    try {
      info = KeysInfo.parse(keys.info());
    } catch (RuntimeException e) {
      keys.close();
      throw e;
    }
    return new GnarkProver(keys, info);
  }

  @Override
  public ProofSystem system() {
    return system;
  }

  @Override
  public int slots() {
    return slots;
  }

  @Override
  public int depth() {
    return depth;
  }

  /**
   * The data-availability mode the keys were made for (from the key manifest): which pubdataHash a
   * witness must carry for these keys to prove it.
   */
  @Override
  public DataAvailability dataAvailability() {
    return dataAvailability;
  }

  /** Where the keys came from (their manifest's record): a development setup or a ceremony. */
  @Override
  public KeyOrigin origin() {
    return origin;
  }

  @Override
  public BatchProof prove(BatchWitness witness) {
    if (witness.slots() != slots || witness.depth() != depth) {
      throw new IllegalArgumentException(
          "witness is for B=" + witness.slots() + ", D=" + witness.depth() + "; these keys are for B=" + slots + ", D=" + depth);
    }
    return prove(witness.toBytes(), witness.publicInputs());
  }

  @Override
  public BatchProof prove(byte[] witness, PublicInputs expected) {
    BatchProver.Proof proof;
    try {
      proof = keys.prove(witness);
    } catch (NativeProverException e) {
      throw new ProvingException("batch " + expected.batchNumber() + " cannot be proven: " + e.getMessage(), e);
    }
    PublicInputs proven = publicInputs(proof.publicInputs());
    if (!proven.equals(expected)) {
      throw new IllegalStateException("the native prover proved other public inputs than the witness states: " + proven);
    }
    return new BatchProof(system, proof.proof(), proven);
  }

  @Override
  public boolean verify(BatchProof proof) {
    if (proof.system() != system) {
      return false;
    }
    return keys.verify(proof.proof(), toBytes(proof.publicInputs()));
  }

  /**
   * Makes later proofs run on the GPU (gnark's ICICLE Groth16 backend) with the same keys.
   *
   * @throws NativeProverException {@code INTERNAL} if libzkprover was built without the {@code
   *     icicle} tag, {@code INVALID_ARGUMENT} for PLONK keys (native/README.md, "GPU proving")
   */
  public void useGpu() {
    keys.useGpu();
  }

  /** The Solidity source of the L1 verifier for these keys. */
  @Override
  public String exportSolidity() {
    return new String(keys.exportSolidity(), StandardCharsets.UTF_8);
  }

  /**
   * The proof bytes the L1 verifier from {@link #exportSolidity} takes for this proof: for Groth16
   * the {@code proof} argument of {@code verifyProof(bytes proof, uint256[4] input)}, whose {@code
   * input} is {@link BatchProof#publicInputs()} in order (oldRoot, newRoot, batchNumber,
   * pubdataHash). Layout in native/README.md, "Solidity calldata".
   *
   * @throws IllegalArgumentException if the proof was made by another proof system
   * @throws io.zkrollup.prover.nativebridge.NativeProverException {@code INVALID_ARGUMENT} if the
   *     proof bytes are malformed
   */
  @Override
  public byte[] solidityProof(BatchProof proof) {
    if (proof.system() != system) {
      throw new IllegalArgumentException("a " + proof.system().label() + " proof for " + system.label() + " keys");
    }
    return keys.solidityProof(proof.proof());
  }

  @Override
  public void close() {
    keys.close();
  }

  /** The 128-byte public inputs as the native verifier takes them. */
  static byte[] toBytes(PublicInputs in) {
    byte[] out = new byte[4 * Fr.BYTES];
    int offset = 0;
    for (Fr f : in.toList()) {
      f.writeBytes(out, offset);
      offset += Fr.BYTES;
    }
    return out;
  }

  static PublicInputs publicInputs(byte[] bytes) {
    if (bytes.length != 4 * Fr.BYTES) {
      throw new IllegalStateException("public inputs must be 128 bytes, got " + bytes.length);
    }
    Fr batchNumber = Fr.fromBytes(bytes, 2 * Fr.BYTES);
    return new PublicInputs(
        Fr.fromBytes(bytes, 0),
        Fr.fromBytes(bytes, Fr.BYTES),
        batchNumber.toBigInteger().longValueExact(),
        Fr.fromBytes(bytes, 3 * Fr.BYTES));
  }

  static byte[] utf8(Path p) {
    return p.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "GnarkProver[" + system.label() + ", B=" + slots + ", D=" + depth + ", " + dataAvailability.label() + "]";
  }
}
