package io.zkrollup.prover.gnark;

import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.KeyOrigin;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.Verifier;
import io.zkrollup.prover.nativebridge.BatchVerifier;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.nativebridge.NativeProverException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@link Verifier} on gnark through libzkprover: the verifying key of a key directory, without
 * its proving key or circuit. Verifies run concurrently on one instance and never wait for a proof
 * being made with the same keys elsewhere in the process (native/README.md, "Batch prover entry
 * points").
 */
public final class GnarkVerifier implements Verifier {

  private final BatchVerifier key;
  private final KeysInfo info;

  private GnarkVerifier(BatchVerifier key, KeysInfo info) {
    this.key = key;
    this.info = info;
  }

  /**
   * Loads the verifying key of a key directory written by {@link GnarkProver#setup}: its manifest
   * and {@code verifying.key}, whose SHA-256 is checked against the manifest. {@code proving.key}
   * and {@code circuit.ccs} are never read and need not be there.
   *
   * @throws NativeProverException {@code INVALID_ARGUMENT} for a missing, damaged or tampered
   *     manifest or verifying key
   */
  public static GnarkVerifier load(LibZkProver lib, Path keyDir) {
    Objects.requireNonNull(keyDir, "keyDir");
    BatchVerifier key = lib.verifierLoad(GnarkProver.utf8(keyDir));
    try {
      return new GnarkVerifier(key, KeysInfo.parse(key.info()));
    } catch (RuntimeException e) {
      key.close();
      throw e;
    }
  }

  @Override
  public ProofSystem system() {
    return info.system();
  }

  @Override
  public int slots() {
    return info.slots();
  }

  @Override
  public int depth() {
    return info.depth();
  }

  @Override
  public DataAvailability dataAvailability() {
    return info.dataAvailability();
  }

  @Override
  public KeyOrigin origin() {
    return info.origin();
  }

  @Override
  public boolean verify(BatchProof proof) {
    if (proof.system() != info.system()) {
      return false;
    }
    return key.verify(proof.proof(), GnarkProver.toBytes(proof.publicInputs()));
  }

  @Override
  public byte[] solidityProof(BatchProof proof) {
    if (proof.system() != info.system()) {
      throw new IllegalArgumentException("a " + proof.system().label() + " proof for " + info.system().label() + " keys");
    }
    return key.solidityProof(proof.proof());
  }

  @Override
  public String exportSolidity() {
    return new String(key.exportSolidity(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    key.close();
  }

  @Override
  public String toString() {
    return "GnarkVerifier[" + info.system().label() + ", B=" + info.slots() + ", D=" + info.depth() + ", " + info.dataAvailability().label() + "]";
  }
}
