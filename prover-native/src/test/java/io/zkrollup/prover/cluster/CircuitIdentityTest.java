package io.zkrollup.prover.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.zkrollup.api.v1.CircuitKey;
import io.zkrollup.api.v1.DataAvailabilityMode;
import io.zkrollup.api.v1.ProofBackend;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.ProofSystem;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CircuitIdentityTest {

  private static final byte[] VK = filled(7);

  private static byte[] filled(int v) {
    byte[] b = new byte[32];
    Arrays.fill(b, (byte) v);
    return b;
  }

  @Test
  void theModeSurvivesTheProtoAndTellsIdentitiesApart() {
    for (DataAvailability mode : DataAvailability.values()) {
      CircuitIdentity id = new CircuitIdentity(ProofSystem.GROTH16, 16, 32, mode, VK);
      assertThat(CircuitIdentity.fromProto(id.toProto())).isEqualTo(id);
    }
    CircuitIdentity rollup = new CircuitIdentity(ProofSystem.GROTH16, 16, 32, DataAvailability.ROLLUP, VK);
    CircuitIdentity validium = new CircuitIdentity(ProofSystem.GROTH16, 16, 32, DataAvailability.VALIDIUM, VK);
    assertThat(validium).isNotEqualTo(rollup);
    assertThat(validium.toProto().getDataAvailability()).isEqualTo(DataAvailabilityMode.DATA_AVAILABILITY_VALIDIUM);
    assertThat(validium.toString()).contains("validium");
  }

  @Test
  void aKeyWithoutTheFieldIsRollupAndAnUnknownModeIsRefused() {
    // What a peer from before the field existed sends.
    CircuitKey old =
        CircuitKey.newBuilder().setBackend(ProofBackend.GROTH16).setSlots(5).setDepth(4).setVerifyingKeySha256(ByteString.copyFrom(VK)).build();
    assertThat(CircuitIdentity.fromProto(old).dataAvailability()).isEqualTo(DataAvailability.ROLLUP);
    CircuitKey unknown = old.toBuilder().setDataAvailabilityValue(7).build();
    assertThatThrownBy(() -> CircuitIdentity.fromProto(unknown)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mode 7");
    assertThatThrownBy(() -> new CircuitIdentity(ProofSystem.GROTH16, 5, 4, null, VK)).isInstanceOf(NullPointerException.class);
  }
}
