package io.zkrollup.prover.gnark;

import static io.zkrollup.prover.gnark.RollupFixture.key;
import static io.zkrollup.prover.gnark.RollupFixture.sign;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.circuits.batch.Batch;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.batch.PublicInputs;
import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.statetree.field.Fr;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same through PLONK. One slot keeps the setup affordable on a 2-core machine: the circuit's
 * fixed SHA-256 tables alone are about 165k constraints, which PLONK roughly triples.
 */
class PlonkBatchProvingIT {

  private static final EdDsaPrivateKey ALICE = key(1);
  private static final EdDsaPrivateKey BOB = key(2);

  @Test
  void aJavaBuiltTransferBatchProvesAndVerifiesWithPlonk(@TempDir Path keys) {
    LibZkProver lib = LibZkProver.load();
    CircuitReport setup = GnarkProver.setup(lib, 1, 4, ProofSystem.PLONK, DataAvailability.ROLLUP, keys);
    assertThat(setup.constraints()).isPositive();

    RollupFixture rollup = new RollupFixture(4).open(1, ALICE, 5_000).open(2, BOB, 0);
    Batch batch = rollup.seal(1, 2, List.of(sign(new Transfer(1, 2, 1_230, 3, 0), ALICE)));

    try (GnarkProver prover = GnarkProver.load(lib, keys)) {
      assertThat(prover.system()).isEqualTo(ProofSystem.PLONK);
      BatchProof proof = prover.prove(batch.witness());
      assertThat(proof.publicInputs()).isEqualTo(batch.publicInputs());
      assertThat(prover.verify(proof)).isTrue();

      PublicInputs in = proof.publicInputs();
      PublicInputs forged = new PublicInputs(in.oldRoot(), in.newRoot(), in.batchNumber(), in.pubdataHash().add(Fr.ONE));
      assertThat(prover.verify(new BatchProof(ProofSystem.PLONK, proof.proof(), forged))).isFalse();

      // The verifying key alone verifies the same, and encodes the same L1 calldata.
      try (GnarkVerifier verifier = GnarkVerifier.load(lib, keys)) {
        assertThat(verifier.system()).isEqualTo(ProofSystem.PLONK);
        assertThat(verifier.verify(proof)).isTrue();
        assertThat(verifier.verify(new BatchProof(ProofSystem.PLONK, proof.proof(), forged))).isFalse();
        assertThat(verifier.solidityProof(proof)).isEqualTo(prover.solidityProof(proof));
        assertThat(verifier.exportSolidity()).isEqualTo(prover.exportSolidity());
      }
    }
  }
}
