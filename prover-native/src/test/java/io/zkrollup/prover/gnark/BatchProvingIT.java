package io.zkrollup.prover.gnark;

import static io.zkrollup.prover.gnark.RollupFixture.key;
import static io.zkrollup.prover.gnark.RollupFixture.keyHash;
import static io.zkrollup.prover.gnark.RollupFixture.owner;
import static io.zkrollup.prover.gnark.RollupFixture.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.circuits.batch.Batch;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.batch.PubdataOp;
import io.zkrollup.circuits.batch.PublicInputs;
import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.Float16;
import io.zkrollup.circuits.tx.ForcedWithdrawal;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.circuits.tx.Withdrawal;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.nativebridge.NativeProverException;
import io.zkrollup.prover.testing.SharedTestKeys;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches built in Java from real signed transactions (state tree, EdDSA, batch builder) prove and
 * verify through JNI with Groth16, and a proof verifies for nothing but its own public inputs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchProvingIT {

  /** B and D of the Groth16 keys: room for a deposit (5 chunks), a withdrawal (4) and transfers. */
  static final int B = 12;

  static final int D = 4;

  private static final EdDsaPrivateKey ALICE = key(1);
  private static final EdDsaPrivateKey BOB = key(2);
  private static final EdDsaPrivateKey CAROL = key(3);
  private static final L1Address EXCHANGE = L1Address.fromHex("0x00112233445566778899aabbccddeeff01020304");

  private final LibZkProver lib = LibZkProver.load();
  private Path keys;
  private CircuitReport setup;
  private GnarkProver prover;

  @BeforeAll
  void setUp() {
    SharedTestKeys.KeySet keySet = SharedTestKeys.keySet(ProofSystem.GROTH16, B, D, DataAvailability.ROLLUP);
    keys = keySet.dir();
    setup = keySet.report();
    prover = GnarkProver.load(lib, keys);
  }

  @AfterAll
  void tearDown() {
    prover.close();
  }

  @Test
  void setupReportsTheCircuitAndWritesHashedKeys() throws Exception {
    assertThat(setup.constraints()).isPositive();
    assertThat(setup.fileSizes()).containsKeys("proving.key", "verifying.key");
    assertThat(Files.size(keys.resolve("verifying.key"))).isEqualTo(setup.fileSizes().get("verifying.key"));
    assertThat(prover.system()).isEqualTo(ProofSystem.GROTH16);
    assertThat(prover.slots()).isEqualTo(B);
    assertThat(prover.depth()).isEqualTo(D);
    // Keys made before validium mode, and every rollup setup since, are rollup keys.
    assertThat(setup.dataAvailability()).contains(DataAvailability.ROLLUP);
    assertThat(prover.dataAvailability()).isEqualTo(DataAvailability.ROLLUP);
  }

  @Test
  void twoChainedBatchesOfEveryOperationProveAndVerify() {
    RollupFixture rollup = new RollupFixture(D).open(1, ALICE, 1_000_000).open(2, BOB, 500);
    Batch first =
        rollup.seal(
            B,
            3,
            List.of(
                new Deposit(9, keyHash(CAROL), owner(CAROL), BigInteger.valueOf(42_000)),
                sign(new Transfer(1, 2, 123_400, 5, 0), ALICE),
                sign(new Withdrawal(1, EXCHANGE, BigInteger.valueOf(5_001), BigInteger.valueOf(4), 1), ALICE),
                sign(new Transfer(2, 9, 100, 3, 0), BOB)));
    Batch second = rollup.seal(B, 2, List.of(sign(new Transfer(9, 1, 1_000, 2, 0), CAROL)));
    assertThat(second.publicInputs().oldRoot()).isEqualTo(first.publicInputs().newRoot());

    BatchProof p1 = prover.prove(first.witness());
    BatchProof p2 = prover.prove(second.witness());

    assertThat(p1.publicInputs()).isEqualTo(first.publicInputs());
    assertThat(prover.verify(p1)).isTrue();
    assertThat(prover.verify(p2)).isTrue();
    assertThat(rollup.account(9).balance()).isEqualTo(BigInteger.valueOf(42_000 + 100 - 1_000 - 2));
  }

  @Test
  void forcedWithdrawalsPaidAndRefusedProveAndVerify() {
    RollupFixture rollup = new RollupFixture(D).open(1, ALICE, 1_000).open(2, BOB, 500);
    Batch batch =
        rollup.seal(
            B,
            1,
            List.of(
                new ForcedWithdrawal(2, owner(BOB), BigInteger.valueOf(400)), // paid
                new ForcedWithdrawal(1, owner(BOB), BigInteger.valueOf(1)), // refused: not Alice's owner
                sign(new Transfer(2, 1, 99, 1, 0), BOB))); // what Bob has left, less the fee
    assertThat(batch.publicData().ops())
        .containsExactly(
            new PubdataOp.ForcedWithdrawal(2, 0, owner(BOB), BigInteger.valueOf(400), true),
            new PubdataOp.ForcedWithdrawal(1, 0, owner(BOB), BigInteger.valueOf(1), false),
            new PubdataOp.Transfer(2, 1, Float16.encode(99)));
    BatchProof proof = prover.prove(batch.witness());
    assertThat(prover.verify(proof)).isTrue();
    assertThat(rollup.account(2).balance()).isZero();
    assertThat(rollup.account(1).balance()).isEqualTo(BigInteger.valueOf(1_099));
  }

  /**
   * Protocol v3: an ETH batch whose USDC ops pay no fee (a transfer, a withdrawal, a forced
   * withdrawal of USDC), then a batch whose operator account holds USDC, where the USDC transfer
   * pays and the ETH one does not.
   */
  @Test
  void tokenBatchesProveAndVerify() {
    int usdc = 0x1234;
    long usdcOperator = 6;
    RollupFixture rollup = new RollupFixture(D)
        .open(1, ALICE, 1_000)
        .open(2, BOB, 500)
        .open(3, ALICE, usdc, 70_000)
        .open(4, BOB, usdc, 0)
        .open(usdcOperator, key(99), usdc, 0);
    Batch eth =
        rollup.seal(
            B,
            2,
            List.of(
                sign(new Transfer(3, 4, 50_000, 0, 0, usdc), ALICE), // no fee: maxFee 0 is enough
                sign(new Transfer(1, 2, 100, 2, 0), ALICE),
                sign(new Withdrawal(4, EXCHANGE, BigInteger.valueOf(20_000), BigInteger.ZERO, 0, usdc), BOB),
                new ForcedWithdrawal(3, owner(ALICE), BigInteger.valueOf(20_000), usdc))); // paid: all Alice has left
    assertThat(eth.publicData().ops()).contains(
        new PubdataOp.Withdrawal(4, usdc, EXCHANGE, BigInteger.valueOf(20_000)),
        new PubdataOp.ForcedWithdrawal(3, usdc, owner(ALICE), BigInteger.valueOf(20_000), true));
    Batch inUsdc =
        rollup.seal(
            B,
            usdcOperator,
            3,
            List.of(sign(new Transfer(4, 3, 29_000, 3, 1, usdc), BOB), sign(new Transfer(2, 1, 600, 0, 0), BOB)));
    BatchProof p1 = prover.prove(eth.witness());
    BatchProof p2 = prover.prove(inUsdc.witness());
    assertThat(prover.verify(p1)).isTrue();
    assertThat(prover.verify(p2)).isTrue();
    assertThat(rollup.account(15).balance()).isEqualTo(BigInteger.TWO); // one ETH fee
    assertThat(rollup.account(usdcOperator).balance()).isEqualTo(BigInteger.valueOf(3)); // one USDC fee
    assertThat(rollup.account(4).balance()).isEqualTo(BigInteger.valueOf(50_000 - 20_000 - 29_000 - 3));
    assertThat(rollup.account(2).balance()).isZero();
  }

  @Test
  void aProofVerifiesForItsOwnPublicInputsOnly() {
    RollupFixture rollup = new RollupFixture(D).open(1, ALICE, 10_000).open(2, BOB, 0);
    Batch batch = rollup.seal(B, 1, List.of(sign(new Transfer(1, 2, 700, 1, 0), ALICE)));
    BatchProof proof = prover.prove(batch.witness());
    PublicInputs in = proof.publicInputs();
    Fr one = Fr.ONE;

    for (PublicInputs other :
        List.of(
            new PublicInputs(in.oldRoot().add(one), in.newRoot(), in.batchNumber(), in.pubdataHash()),
            new PublicInputs(in.oldRoot(), in.newRoot().add(one), in.batchNumber(), in.pubdataHash()),
            new PublicInputs(in.oldRoot(), in.newRoot(), in.batchNumber() + 1, in.pubdataHash()),
            new PublicInputs(in.oldRoot(), in.newRoot(), in.batchNumber(), in.pubdataHash().add(one)))) {
      assertThat(prover.verify(new BatchProof(ProofSystem.GROTH16, proof.proof(), other))).as("%s", other).isFalse();
    }
    byte[] damaged = proof.proof();
    damaged[damaged.length / 2] ^= 1;
    assertThat(verifiesOrRefuses(new BatchProof(ProofSystem.GROTH16, damaged, in))).isFalse();
    assertThat(prover.verify(new BatchProof(ProofSystem.PLONK, proof.proof(), in))).isFalse();
  }

  @Test
  void aWitnessForOtherParametersIsRefusedBeforeNativeCode() {
    RollupFixture rollup = new RollupFixture(D).open(1, ALICE, 10);
    Batch small = rollup.seal(2, 0, List.of());
    assertThatThrownBy(() -> prover.prove(small.witness()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("B=2");
  }

  @Test
  void theSolidityProofIsTheRawProofsABC() {
    RollupFixture rollup = new RollupFixture(D).open(1, ALICE, 10_000).open(2, BOB, 0);
    Batch batch = rollup.seal(B, 1, List.of(sign(new Transfer(1, 2, 300, 1, 0), ALICE)));
    BatchProof proof = prover.prove(batch.witness());
    byte[] raw = proof.proof();
    byte[] calldata = prover.solidityProof(proof);
    // The circuit has no commitment (docs/decisions.md): the raw proof is A ‖ B ‖ C ‖ u32 0 ‖ an
    // unused PoK point, 324 bytes, and the verifier takes A ‖ B ‖ C, 256 bytes.
    assertThat(raw).hasSize(324);
    assertThat(calldata).isEqualTo(Arrays.copyOfRange(raw, 0, 256));
    assertThatThrownBy(() -> prover.solidityProof(new BatchProof(ProofSystem.PLONK, raw, proof.publicInputs())))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] truncated = Arrays.copyOf(raw, 300);
    assertThatThrownBy(() -> prover.solidityProof(new BatchProof(ProofSystem.GROTH16, truncated, proof.publicInputs())))
        .isInstanceOfSatisfying(NativeProverException.class, e -> assertThat(e.code()).isEqualTo(NativeProverException.Code.INVALID_ARGUMENT));
  }

  @Test
  void theVerifierContractIsExportedFromTheVerifyingKey() {
    String solidity = prover.exportSolidity();
    assertThat(solidity).contains("pragma solidity").contains("function verifyProof");
  }

  @Test
  void aTamperedKeyDirectoryIsRefused(@TempDir Path copy) throws Exception {
    for (String f : List.of("circuit.ccs", "proving.key", "verifying.key", "manifest.json")) {
      Files.copy(keys.resolve(f), copy.resolve(f));
    }
    byte[] vk = Files.readAllBytes(copy.resolve("verifying.key"));
    vk[vk.length - 1] ^= 1;
    Files.write(copy.resolve("verifying.key"), vk);
    assertThatThrownBy(() -> GnarkProver.load(lib, copy))
        .isInstanceOf(NativeProverException.class)
        .hasMessageContaining("verifying.key");
  }

  private boolean verifiesOrRefuses(BatchProof proof) {
    try {
      return prover.verify(proof);
    } catch (NativeProverException e) {
      return false;
    }
  }
}
