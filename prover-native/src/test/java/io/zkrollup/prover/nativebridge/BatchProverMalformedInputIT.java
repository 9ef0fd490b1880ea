package io.zkrollup.prover.nativebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.circuits.batch.BatchWitness;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.nativebridge.NativeProverException.Code;
import io.zkrollup.prover.testing.SharedTestKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and malformed bytes into every batch-prover entry point give a {@link
 * NativeProverException}, never a JVM crash. Real Groth16 keys back the handle calls: the build's
 * shared B=12, D=4 set ({@link SharedTestKeys}, BatchProvingIT's), set up once per build; a setup
 * of this test's own, even at B=1, D=1, took 8 s of the suite.
 */
class BatchProverMalformedInputIT {

  private static final LibZkProver LIB = LibZkProver.load();
  /** BatchProvingIT's B and D, so that its key set serves both. */
  private static final int B = 12;
  private static final int D = 4;
  private static Path keys;
  /** Where the setups that must be refused point: not the shared keys, which one wrongly let through would overwrite. */
  @TempDir static Path noKeys;
  private static BatchProver prover;

  @BeforeAll
  static void setup() {
    SharedTestKeys.KeySet set = SharedTestKeys.keySet(ProofSystem.GROTH16, B, D, DataAvailability.ROLLUP);
    assertThat(set.report().values()).containsKeys("constraints", "setupMs");
    keys = set.dir();
    prover = LIB.proverLoad(dir(keys));
  }

  @AfterAll
  static void close() {
    if (prover != null) {
      prover.close();
    }
  }

  private static byte[] dir(Path p) {
    return p.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void assertCode(Supplier<?> call, Code code) {
    assertThatThrownBy(call::get)
        .isInstanceOfSatisfying(NativeProverException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private static int witnessSize() {
    return BatchWitness.serializedSize(B, D);
  }

  @Test
  void randomBytesIntoEveryEntryPoint() {
    Random rnd = new Random(20240601);
    for (int i = 0; i < 40; i++) {
      byte[] junk = new byte[rnd.nextInt(2 * witnessSize())];
      rnd.nextBytes(junk);
      assertCode(() -> prover.proveRaw(junk), Code.INVALID_ARGUMENT);
      byte[] publicInputs = new byte[rnd.nextBoolean() ? 128 : rnd.nextInt(200)];
      rnd.nextBytes(publicInputs);
      // 324 bytes is a real Groth16 proof's length (A ‖ B ‖ C ‖ u32 0 ‖ PoK); with the commitment
      // count zeroed the junk passes the length checks and reaches gnark's checked decoder.
      byte[] proof = new byte[rnd.nextBoolean() ? 324 : rnd.nextInt(600)];
      rnd.nextBytes(proof);
      if (proof.length == 324) {
        Arrays.fill(proof, 256, 260, (byte) 0);
      }
      assertCode(() -> prover.verify(proof, publicInputs), Code.INVALID_ARGUMENT);
      assertCode(() -> prover.solidityProof(proof), Code.INVALID_ARGUMENT);
      byte[] path = new byte[1 + rnd.nextInt(64)];
      rnd.nextBytes(path);
      assertCode(() -> LIB.proverLoad(path), Code.INVALID_ARGUMENT);
      long forged = rnd.nextLong();
      assertCode(() -> NativeCalls.prove(forged, junk), Code.INVALID_HANDLE);
      assertCode(() -> NativeCalls.verify(forged, proof, publicInputs), Code.INVALID_HANDLE);
      assertCode(() -> NativeCalls.exportSolidity(forged), Code.INVALID_HANDLE);
      assertCode(() -> NativeCalls.solidityProof(forged, proof), Code.INVALID_HANDLE);
      assertCode(() -> NativeCalls.proverInfo(forged), Code.INVALID_HANDLE);
      assertCode(() -> NativeCalls.proverUseGpu(forged), Code.INVALID_HANDLE);
      int b = rnd.nextInt();
      int d = 33 + rnd.nextInt(1000);
      assertCode(() -> LIB.circuitInfo(b, d, 0, 0), Code.INVALID_ARGUMENT);
      assertCode(() -> LIB.circuitSetup(b, d, 0, 0, path), Code.INVALID_ARGUMENT);
      assertCode(() -> LIB.circuitInfo(1, 1, 2 + rnd.nextInt(1000), 0), Code.INVALID_ARGUMENT);
      int mode = rnd.nextBoolean() ? 2 + rnd.nextInt(Integer.MAX_VALUE - 2) : -1 - rnd.nextInt(Integer.MAX_VALUE);
      assertCode(() -> LIB.circuitInfo(1, 1, 0, mode), Code.INVALID_ARGUMENT);
      assertCode(() -> LIB.circuitSetup(1, 1, 0, mode, dir(noKeys)), Code.INVALID_ARGUMENT);
    }
    // B counts slots in 16 bits; within that, a circuit that cannot fit this machine's memory is
    // refused before anything is compiled.
    assertCode(() -> LIB.circuitInfo(100_000, 32, 0, 0), Code.INVALID_ARGUMENT);
    assertCode(() -> LIB.circuitInfo(65_535, 32, 0, 0), Code.RESOURCE_EXHAUSTED);
    assertThat(new String(prover.exportSolidity(), StandardCharsets.UTF_8)).contains("pragma solidity");
  }

  @Test
  void wellFormedButFalseWitnessIsAnInvalidArgument() {
    // Right header and length, every element zero: it decodes, and the solver refuses it.
    ByteBuffer w = ByteBuffer.allocate(witnessSize());
    w.put(BatchWitness.MAGIC).put((byte) BatchWitness.VERSION).putShort((short) B).put((byte) D);
    assertCode(() -> prover.proveRaw(w.array()), Code.INVALID_ARGUMENT);
    byte[] other = w.array().clone();
    other[7] = 2; // D
    assertCode(() -> prover.proveRaw(other), Code.INVALID_ARGUMENT);
  }

  @Test
  void nullsAndTamperedKeys(@TempDir Path other) throws Exception {
    assertCode(() -> LIB.proverLoad(null), Code.INVALID_ARGUMENT);
    assertCode(() -> prover.proveRaw(null), Code.INVALID_ARGUMENT);
    assertCode(() -> prover.verify(null, new byte[128]), Code.INVALID_ARGUMENT);
    assertCode(() -> prover.solidityProof(null), Code.INVALID_ARGUMENT);
    assertCode(() -> LIB.proverLoad(dir(other)), Code.INVALID_ARGUMENT);
    for (String name : new String[] {"circuit.ccs", "proving.key", "verifying.key", "manifest.json"}) {
      Files.copy(keys.resolve(name), other.resolve(name));
    }
    byte[] vk = Files.readAllBytes(other.resolve("verifying.key"));
    vk[vk.length / 2] ^= 1;
    Files.write(other.resolve("verifying.key"), vk);
    assertThatThrownBy(() -> LIB.proverLoad(dir(other)))
        .isInstanceOf(NativeProverException.class)
        .hasMessageContaining("does not match its SHA-256");
  }
}
