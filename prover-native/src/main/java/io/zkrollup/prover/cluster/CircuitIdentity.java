package io.zkrollup.prover.cluster;

import com.google.protobuf.ByteString;
import io.zkrollup.api.v1.CircuitKey;
import io.zkrollup.api.v1.DataAvailabilityMode;
import io.zkrollup.api.v1.ProofBackend;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.ProofSystem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The exact circuit a set of keys proves: proof system, B, D, data-availability mode and the
 * SHA-256 of the key directory's verifying key. A worker gets only jobs whose identity equals the
 * coordinator's, so keys from another setup for the same B and D never produce proofs the node
 * would refuse. (The hash alone already tells the modes apart; the mode is carried so that a
 * mismatch can be reported as one.)
 *
 * @param system the proof system
 * @param slots B
 * @param depth D
 * @param dataAvailability the mode the keys were made for
 * @param verifyingKeySha256 SHA-256 of {@code verifying.key} (32 bytes, copied)
 */
public record CircuitIdentity(ProofSystem system, int slots, int depth, DataAvailability dataAvailability, byte[] verifyingKeySha256) {

  /** The verifying key's file name in a key directory (native/README.md, key directories). */
  public static final String VERIFYING_KEY_FILE = "verifying.key";

  /** Checks the values and copies the hash. */
  public CircuitIdentity {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(dataAvailability, "dataAvailability");
    if (slots < 1 || depth < 1) {
      throw new IllegalArgumentException("slots and depth must be ≥ 1, got B=" + slots + " D=" + depth);
    }
    if (verifyingKeySha256 == null || verifyingKeySha256.length != 32) {
      throw new IllegalArgumentException("the verifying key hash must be 32 bytes");
    }
    verifyingKeySha256 = verifyingKeySha256.clone();
  }

  /**
   * The identity of the keys in {@code keyDir} for a prover of {@code system}, B, D and mode (as a
   * loaded {@code GnarkProver} reports them).
   *
   * @throws UncheckedIOException if the verifying key cannot be read
   */
  public static CircuitIdentity of(Path keyDir, ProofSystem system, int slots, int depth, DataAvailability dataAvailability) {
    Path vk = keyDir.resolve(VERIFYING_KEY_FILE);
    try (InputStream in = Files.newInputStream(vk)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
      }
      return new CircuitIdentity(system, slots, depth, dataAvailability, sha.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + vk + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * Reads a {@link CircuitKey} message.
   *
   * @throws IllegalArgumentException if it names no known backend or mode, or has a malformed hash
   */
  public static CircuitIdentity fromProto(CircuitKey key) {
    ProofSystem system;
    if (key.getBackend() == ProofBackend.GROTH16) {
      system = ProofSystem.GROTH16;
    } else if (key.getBackend() == ProofBackend.PLONK) {
      system = ProofSystem.PLONK;
    } else {
      throw new IllegalArgumentException("unknown proof backend " + key.getBackendValue());
    }
    DataAvailability mode;
    if (key.getDataAvailability() == DataAvailabilityMode.DATA_AVAILABILITY_ROLLUP) {
      mode = DataAvailability.ROLLUP; // also a message from before the field existed
    } else if (key.getDataAvailability() == DataAvailabilityMode.DATA_AVAILABILITY_VALIDIUM) {
      mode = DataAvailability.VALIDIUM;
    } else {
      throw new IllegalArgumentException("unknown data-availability mode " + key.getDataAvailabilityValue());
    }
    return new CircuitIdentity(system, key.getSlots(), key.getDepth(), mode, key.getVerifyingKeySha256().toByteArray());
  }

  /** This identity as a {@link CircuitKey} message. */
  public CircuitKey toProto() {
    return CircuitKey.newBuilder()
        .setBackend(system == ProofSystem.GROTH16 ? ProofBackend.GROTH16 : ProofBackend.PLONK)
        .setSlots(slots)
        .setDepth(depth)
        .setDataAvailability(
            dataAvailability == DataAvailability.VALIDIUM
                ? DataAvailabilityMode.DATA_AVAILABILITY_VALIDIUM
                : DataAvailabilityMode.DATA_AVAILABILITY_ROLLUP)
        .setVerifyingKeySha256(ByteString.copyFrom(verifyingKeySha256))
        .build();
  }

  /** A copy of the hash. */
  @Override
  public byte[] verifyingKeySha256() {
    return verifyingKeySha256.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CircuitIdentity c
        && system == c.system
        && slots == c.slots
        && depth == c.depth
        && dataAvailability == c.dataAvailability
        && Arrays.equals(verifyingKeySha256, c.verifyingKeySha256);
  }

  @Override
  public int hashCode() {
    return Objects.hash(system, slots, depth, dataAvailability, Arrays.hashCode(verifyingKeySha256));
  }

  @Override
  public String toString() {
    return system.label() + " B=" + slots + " D=" + depth + " " + dataAvailability.label() + " vk " + HexFormat.of().formatHex(verifyingKeySha256, 0, 8);
  }
}
