package io.zkrollup.prover.gnark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.cluster.CircuitIdentity;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.nativebridge.NativeProverException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data-availability mode through JNI: a validium setup (B = 1, D = 1, the smallest circuit, a
 * few seconds) reports, records and reloads as validium, and a mode code the library does not know
 * is an exception, not a crash. Proving validium witnesses is tested in Go (native/proving,
 * native/batch); the Java builder of validium witnesses is not in this module.
 */
class ValidiumSetupIT {

  private static final int B = 1;
  private static final int D = 1;

  private final LibZkProver lib = LibZkProver.load();

  @Test
  void validiumKeysSayValidiumFromSetupToLoadedProver(@TempDir Path keys) throws Exception {
    CircuitReport setup = GnarkProver.setup(lib, B, D, ProofSystem.GROTH16, DataAvailability.VALIDIUM, keys);
    assertThat(setup.dataAvailability()).contains(DataAvailability.VALIDIUM);
    assertThat(setup.values()).containsEntry("mode", "validium");
    assertThat(Files.readString(keys.resolve("manifest.json"))).contains("\"mode\": \"validium\"");

    try (GnarkProver prover = GnarkProver.load(lib, keys)) {
      assertThat(prover.dataAvailability()).isEqualTo(DataAvailability.VALIDIUM);
      assertThat(prover.slots()).isEqualTo(B);
      assertThat(prover.toString()).contains("validium");
      CircuitIdentity identity = CircuitIdentity.of(keys, prover.system(), prover.slots(), prover.depth(), prover.dataAvailability());
      assertThat(CircuitIdentity.fromProto(identity.toProto())).isEqualTo(identity);
      assertThat(identity.dataAvailability()).isEqualTo(DataAvailability.VALIDIUM);
    }
    try (GnarkVerifier verifier = GnarkVerifier.load(lib, keys)) {
      assertThat(verifier.dataAvailability()).isEqualTo(DataAvailability.VALIDIUM);
      assertThat(verifier.toString()).contains("validium");
    }
  }

  @Test
  void describeNamesTheModeAndTheModesAreDifferentCircuits() {
    CircuitReport rollup = GnarkProver.describe(lib, B, D, ProofSystem.GROTH16, DataAvailability.ROLLUP);
    CircuitReport validium = GnarkProver.describe(lib, B, D, ProofSystem.GROTH16, DataAvailability.VALIDIUM);
    assertThat(rollup.dataAvailability()).contains(DataAvailability.ROLLUP);
    assertThat(validium.dataAvailability()).contains(DataAvailability.VALIDIUM);
    // Same witness, different constraints: validium hashes 32 more bytes and folds txHash.
    assertThat(validium.number("witnessBytes")).isEqualTo(rollup.number("witnessBytes"));
    assertThat(validium.constraints()).isNotEqualTo(rollup.constraints());
  }

  @Test
  void anUnknownModeIsAnInvalidArgument(@TempDir Path keys) {
    byte[] dir = keys.toString().getBytes(StandardCharsets.UTF_8);
    for (int mode : new int[] {2, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      assertThatThrownBy(() -> lib.circuitInfo(B, D, LibZkProver.BACKEND_GROTH16, mode))
          .isInstanceOfSatisfying(
              NativeProverException.class,
              e -> {
                assertThat(e.code()).isEqualTo(NativeProverException.Code.INVALID_ARGUMENT);
                assertThat(e.getMessage()).contains("mode must be 0 (rollup) or 1 (validium), got " + mode);
              });
      assertThatThrownBy(() -> lib.circuitSetup(B, D, LibZkProver.BACKEND_GROTH16, mode, dir))
          .isInstanceOfSatisfying(NativeProverException.class, e -> assertThat(e.code()).isEqualTo(NativeProverException.Code.INVALID_ARGUMENT));
    }
    // Refused before anything was written, and the library still answers.
    assertThat(keys.resolve("manifest.json")).doesNotExist();
    assertThat(new String(lib.circuitInfo(B, D, LibZkProver.BACKEND_GROTH16, LibZkProver.MODE_ROLLUP), StandardCharsets.UTF_8))
        .contains("mode=rollup");
    assertThat(DataAvailability.VALIDIUM.code()).isEqualTo(LibZkProver.MODE_VALIDIUM);
    assertThat(DataAvailability.ROLLUP.code()).isEqualTo(LibZkProver.MODE_ROLLUP);
  }
}
