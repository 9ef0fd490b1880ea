package io.zkrollup.prover.gnark;

import static io.zkrollup.prover.gnark.RollupFixture.key;
import static io.zkrollup.prover.gnark.RollupFixture.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.circuits.batch.Batch;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.batch.PublicInputs;
import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.KeyOrigin;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.Verifier;
import io.zkrollup.prover.nativebridge.FaultInjection;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.nativebridge.NativeProverException;
import io.zkrollup.prover.nativebridge.VerifierOverlapMain;
import io.zkrollup.prover.testing.SharedTestKeys;
import io.zkrollup.statetree.field.Fr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier-only handle: {@link GnarkVerifier} verifies with the verifying key alone (never
 * reading proving.key or circuit.ccs), answers as the prover does, and never waits for a proof
 * being made with the same keys, nor for other calls on itself (review S3).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GnarkVerifierIT {

  /** The keys BatchProvingIT uses, set up once per test JVM. */
  static final int B = BatchProvingIT.B;

  static final int D = BatchProvingIT.D;

  private static final EdDsaPrivateKey ALICE = key(1);
  private static final EdDsaPrivateKey BOB = key(2);

  private final LibZkProver lib = LibZkProver.load();
  private Path keys;
  private Path verifierOnly;
  private GnarkProver prover;
  private GnarkVerifier verifier;
  private BatchProof proof;

  @BeforeAll
  void setUp(@TempDir Path tmp) throws Exception {
    keys = SharedTestKeys.of(ProofSystem.GROTH16, B, D, DataAvailability.ROLLUP);
    prover = GnarkProver.load(lib, keys);
    proof = prover.prove(transfer(700).witness());
    // A copy of the key directory without the proving key and the circuit: what a verifier may not read.
    verifierOnly = Files.createDirectory(tmp.resolve("verifier-only"));
    for (String f : List.of("manifest.json", "verifying.key")) {
      Files.copy(keys.resolve(f), verifierOnly.resolve(f));
    }
    verifier = GnarkVerifier.load(lib, verifierOnly);
  }

  @AfterAll
  void tearDown() {
    verifier.close();
    prover.close();
  }

  private static Batch transfer(long amount) {
    RollupFixture rollup = new RollupFixture(D).open(1, ALICE, 10_000).open(2, BOB, 0);
    return rollup.seal(B, 1, List.of(sign(new Transfer(1, 2, amount, 1, 0), ALICE)));
  }

  @Test
  void itDescribesTheKeysWithoutTheProvingKeyOrTheCircuit() {
    assertThat(verifierOnly.resolve("proving.key")).doesNotExist();
    assertThat(verifierOnly.resolve("circuit.ccs")).doesNotExist();
    assertThat(verifier.system()).isEqualTo(ProofSystem.GROTH16);
    assertThat(verifier.slots()).isEqualTo(B);
    assertThat(verifier.depth()).isEqualTo(D);
    assertThat(verifier.dataAvailability()).isEqualTo(DataAvailability.ROLLUP);
    assertThat(verifier.toString()).contains("groth16", "B=" + B, "rollup");
  }

  @Test
  void itSaysWhereTheKeysCameFrom(@TempDir Path copy) throws Exception {
    // Keys from a setup are a single-party development setup's, as prover and as verifier.
    assertThat(verifier.origin()).isEqualTo(KeyOrigin.development());
    assertThat(prover.origin().kind()).isEqualTo(KeyOrigin.Kind.DEVELOPMENT);
    assertThat(verifier.origin().describe()).isEqualTo("single-party development setup: never for funds");

    Path manifest = copy.resolve("manifest.json");
    Files.copy(verifierOnly.resolve("verifying.key"), copy.resolve("verifying.key"));
    String written = Files.readString(verifierOnly.resolve("manifest.json"));
    assertThat(written).contains("\"kind\": \"development\"");
    // A manifest from before origins were recorded: development.
    Files.writeString(manifest, written.replaceAll(",\\s*\"origin\": \\{[^}]*\\}", ""));
    assertThat(Files.readString(manifest)).doesNotContain("origin");
    try (GnarkVerifier old = GnarkVerifier.load(lib, copy)) {
      assertThat(old.origin()).isEqualTo(KeyOrigin.development());
    }
    // A ceremony's origin as the manifest records it (a claim, which `ceremony verify --keys` proves).
    String h = "ab".repeat(32);
    String ceremony =
        "\"origin\": {\"kind\": \"ceremony\", \"transcript\": \"" + h + "\", \"phase1\": [{\"name\": \"alice\", \"sha256\": \"" + h
            + "\"}, {\"name\": \"bob\", \"sha256\": \"" + h + "\"}], \"phase2\": [{\"name\": \"alice\", \"sha256\": \"" + h
            + "\"}], \"beacon1\": \"01\", \"beacon2\": \"02\"}";
    Files.writeString(manifest, written.replaceAll("\"origin\": \\{[^}]*\\}", java.util.regex.Matcher.quoteReplacement(ceremony)));
    try (GnarkVerifier fromCeremony = GnarkVerifier.load(lib, copy)) {
      KeyOrigin o = fromCeremony.origin();
      assertThat(o.kind()).isEqualTo(KeyOrigin.Kind.CEREMONY);
      assertThat(o.transcript()).contains(h);
      assertThat(o.phase1Contributors()).containsExactly("alice", "bob");
      assertThat(o.contributors()).containsExactly("alice", "bob");
      assertThat(o.describe()).isEqualTo("ceremony " + h + ", 2 contributors");
    }
    // An origin that is neither is refused, not believed.
    Files.writeString(manifest, written.replace("\"kind\": \"development\"", "\"kind\": \"trusted\""));
    assertThatThrownBy(() -> GnarkVerifier.load(lib, copy))
        .isInstanceOfSatisfying(NativeProverException.class, e -> assertThat(e.code()).isEqualTo(NativeProverException.Code.INVALID_ARGUMENT))
        .hasMessageContaining("origin kind");
  }

  @Test
  void itVerifiesARealProofAndRefusesAWrongOne() {
    assertThat(verifier.verify(proof)).isTrue();
    PublicInputs in = proof.publicInputs();
    for (PublicInputs other :
        List.of(
            new PublicInputs(in.oldRoot().add(Fr.ONE), in.newRoot(), in.batchNumber(), in.pubdataHash()),
            new PublicInputs(in.oldRoot(), in.newRoot(), in.batchNumber() + 1, in.pubdataHash()),
            new PublicInputs(in.oldRoot(), in.newRoot(), in.batchNumber(), in.pubdataHash().add(Fr.ONE)))) {
      assertThat(verifier.verify(new BatchProof(ProofSystem.GROTH16, proof.proof(), other))).as("%s", other).isFalse();
    }
    assertThat(verifier.verify(new BatchProof(ProofSystem.PLONK, proof.proof(), in))).isFalse();
    byte[] damaged = proof.proof();
    damaged[0] ^= 1; // Ar is no longer on the curve
    assertThatThrownBy(() -> verifier.verify(new BatchProof(ProofSystem.GROTH16, damaged, in)))
        .isInstanceOfSatisfying(NativeProverException.class, e -> assertThat(e.code()).isEqualTo(NativeProverException.Code.INVALID_ARGUMENT));
  }

  @Test
  void itEncodesForL1AsTheProverDoes() {
    Verifier asProver = prover;
    assertThat(verifier.solidityProof(proof)).isEqualTo(asProver.solidityProof(proof)).hasSize(256);
    assertThat(verifier.exportSolidity()).isEqualTo(asProver.exportSolidity()).contains("function verifyProof");
    assertThatThrownBy(() -> verifier.solidityProof(new BatchProof(ProofSystem.PLONK, proof.proof(), proof.publicInputs())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTamperedOrIncompleteDirectoryIsRefused(@TempDir Path copy) throws Exception {
    Files.copy(verifierOnly.resolve("manifest.json"), copy.resolve("manifest.json"));
    assertThatThrownBy(() -> GnarkVerifier.load(lib, copy))
        .isInstanceOfSatisfying(NativeProverException.class, e -> assertThat(e.code()).isEqualTo(NativeProverException.Code.INVALID_ARGUMENT))
        .hasMessageContaining("verifying.key");
    byte[] vk = Files.readAllBytes(verifierOnly.resolve("verifying.key"));
    vk[vk.length / 2] ^= 1;
    Files.write(copy.resolve("verifying.key"), vk);
    assertThatThrownBy(() -> GnarkVerifier.load(lib, copy))
        .isInstanceOfSatisfying(NativeProverException.class, e -> assertThat(e.code()).isEqualTo(NativeProverException.Code.INVALID_ARGUMENT))
        .hasMessageContaining("verifying.key does not match its SHA-256");
  }

  @Test
  void aClosedVerifierIsRefusedAndReleasesItsHandle() {
    long before = lib.liveHandles();
    GnarkVerifier v = GnarkVerifier.load(lib, verifierOnly);
    assertThat(lib.liveHandles()).isEqualTo(before + 1);
    v.close();
    v.close(); // idempotent
    assertThat(lib.liveHandles()).isEqualTo(before);
    assertThatThrownBy(() -> v.verify(proof)).isInstanceOf(IllegalStateException.class);
  }

  /**
   * The node's case (review S3): a verify on the verifier runs while a proof is being made on the
   * prover of the same keys. Ordering, not speed: verifies that started after the proof did must
   * return before it does. The control, a verify on the prover itself started a second into the
   * proof, returns only after it: the test would see a shared lock.
   */
  @Test
  void verifiesDoNotWaitForAProofInProgress() throws Exception {
    Batch next = transfer(800);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      long proveStart = System.nanoTime();
      Future<Long> proveEnd =
          pool.submit(
              () -> {
                prover.prove(next.witness());
                return System.nanoTime();
              });
      Future<Long> controlEnd =
          pool.submit(
              () -> {
                Thread.sleep(1000);
                assertThat(prover.verify(proof)).isTrue();
                return System.nanoTime();
              });
      List<long[]> verifies = new ArrayList<>();
      while (!proveEnd.isDone()) {
        long start = System.nanoTime();
        assertThat(verifier.verify(proof)).isTrue();
        verifies.add(new long[] {start, System.nanoTime()});
      }
      long proved = proveEnd.get(5, TimeUnit.MINUTES);
      long during = verifies.stream().filter(v -> v[0] > proveStart && v[1] < proved).count();
      assertThat(during)
          .as("verifies on the verifier that returned while the %d ms proof ran", (proved - proveStart) / 1_000_000)
          .isPositive();
      assertThat(controlEnd.get(5, TimeUnit.MINUTES))
          .as("a verify on the prover's own handle waits for its proof")
          .isGreaterThanOrEqualTo(proved);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Many threads on one verifier at once: every answer right. */
  @Test
  void concurrentVerifiesOnOneVerifierAllAnswerRight() {
    PublicInputs in = proof.publicInputs();
    BatchProof forged = new BatchProof(ProofSystem.GROTH16, proof.proof(), new PublicInputs(in.oldRoot(), in.newRoot(), in.batchNumber() + 1, in.pubdataHash()));
    List<CompletableFuture<Void>> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < 10; i++) {
                  assertThat(verifier.verify(proof)).isTrue();
                  assertThat(verifier.verify(forged)).isFalse();
                }
              }));
    }
    CompletableFuture.allOf(threads.toArray(CompletableFuture[]::new)).join();
  }

  /**
   * Two calls on one verifier overlap: a verify returns while another call on the same verifier
   * handle is still in flight. Shown in a child JVM with the fault-injection library, whose test
   * hook holds a call in flight for seconds (a real verify takes milliseconds, too short to order
   * reliably); on a prover handle, the control, the verify waits for the held call.
   */
  @Test
  void aVerifyRunsWhileAnotherCallIsInFlightOnTheSameVerifier(@TempDir Path dir) throws Exception {
    Path proofFile = Files.write(dir.resolve("proof"), proof.proof());
    Path publicFile = Files.write(dir.resolve("public"), GnarkProver.toBytes(proof.publicInputs()));
    FaultInjection.Child child =
        FaultInjection.run(
            dir, Duration.ofMinutes(3), Map.of(), VerifierOverlapMain.class, keys.toString(), proofFile.toString(), publicFile.toString());
    assertThat(child.exitCode()).as(child.output()).isZero();
    assertThat(child.output()).as(child.output()).contains("verifier valid=true verifyReturnedFirst=true");
    assertThat(child.output()).as(child.output()).contains("prover valid=true verifyReturnedFirst=false");
  }
}
