package io.zkrollup.prover.gnark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.nativebridge.BatchProver;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.nativebridge.NativeProverException;
import io.zkrollup.prover.testing.SharedTestKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * One witness per circuit rule, each breaking exactly that rule (native/testdata/negative, made
 * and checked by the Go test {@code TestNegativeWitnessFiles}), goes through JNI into the real
 * Groth16 prover: each must be refused with INVALID_ARGUMENT, the JVM must survive all of them, and
 * the valid control from the same builder must prove and verify with the same keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuleViolationsIT {

  private static final Path DIR = Path.of(System.getProperty("zkprover.negative"));

  private final LibZkProver lib = LibZkProver.load();
  private BatchProver prover;

  @BeforeAll
  void load() {
    // The files are B=12, D=4, like BatchProvingIT's keys, so one setup serves both.
    prover = lib.proverLoad(
        SharedTestKeys.of(ProofSystem.GROTH16, BatchProvingIT.B, BatchProvingIT.D, DataAvailability.ROLLUP)
            .toString()
            .getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  void close() {
    prover.close();
  }

  @Test
  void theValidControlProvesAndVerifies() throws IOException {
    BatchProver.Proof proof = prover.prove(Files.readAllBytes(DIR.resolve("valid-control.zkbw")));
    assertThat(prover.verify(proof.proof(), proof.publicInputs())).isTrue();
  }

  @TestFactory
  Stream<DynamicTest> everyRuleBreakingWitnessIsRefused() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(DIR)) {
      files = list.filter(p -> p.toString().endsWith(".zkbw"))
          .filter(p -> !p.getFileName().toString().equals("valid-control.zkbw"))
          .sorted()
          .toList();
    }
    assertThat(files).as("negative witness files (protocol v3: 40)").hasSizeGreaterThanOrEqualTo(40);
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(),
                    () -> {
                      byte[] witness = read(file);
                      NativeProverException e =
                          catchThrowableOfType(NativeProverException.class, () -> prover.prove(witness));
                      assertThat(e).as("proving %s must fail", file.getFileName()).isNotNull();
                      assertThat(e.code()).isEqualTo(NativeProverException.Code.INVALID_ARGUMENT);
                    }));
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
